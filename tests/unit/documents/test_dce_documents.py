"""The DCE read back: every document carries the consultation's data, the BPU/DQE computes."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from openamo import law
from openamo.documents.dce import THIRD_PARTY_MONTHS, generate_dce_from_dict
from openamo.documents.render import TEMPLATES_DIR
from openamo.documents.templates import dce_templates_build
from openamo.errors import OpenAMOError
from openamo.money import format_euros

EXAMPLE = json.loads(
    (Path(__file__).resolve().parents[3] / "examples" / "dce_generate.json").read_text("utf-8")
)


def style_of(paragraph: Any) -> str:
    return str(paragraph.style.name) if paragraph.style is not None else ""


def docx_text(path: Path) -> str:
    document = Document(str(path))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def dce(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dce")
    generate_dce_from_dict(copy.deepcopy(EXAMPLE), out)
    return out


def test_the_dce_has_one_acte_and_one_bpu_dqe_per_lot(dce: Path) -> None:
    names = sorted(path.name for path in dce.iterdir())
    assert names == [
        "AE_lot_1.docx",
        "AE_lot_2.docx",
        "AE_lot_3.docx",
        "BPU_DQE_lot_1.xlsx",
        "BPU_DQE_lot_2.xlsx",
        "BPU_DQE_lot_3.xlsx",
        "CCAP.docx",
        "CCTP.docx",
        "RC.docx",
    ]


def test_the_rc_states_procedure_criteria_weights_and_deadline(dce: Path) -> None:
    text = docx_text(dce / "RC.docx")
    assert "Appel d'offres ouvert" in text
    assert "11/01/2027 à 12 h 00" in text
    assert "Prix\n50,00 %" in text
    assert "Qualité gustative, fraîcheur et calibres\n15,00 %" in text
    assert "Note = Note maximale × Pmin / P" in text
    assert "R2152-3" in text and "R2144-2" in text
    assert "Qualité des produits" in text and "Performance environnementale" in text
    assert "{{" not in text and "{%" not in text


def test_the_ccap_carries_the_revision_formula_penalties_and_egalim(dce: Path) -> None:
    text = docx_text(dce / "CCAP.docx")
    assert "P = P0 × (0,7 × I1/I1₀ + 0,3 × I2/I2₀)" in text
    assert "janvier 2027" in text
    assert "Retard de livraison de plus d'une heure" in text and "50,00\u00a0€ HT" in text
    assert "au moins 50 % de produits durables et de qualité" in text
    assert "dont au moins 20 % issus de l'agriculture biologique" in text
    assert "Lot 2 : au moins 60 % de produits durables et de qualité parmi les viandes" in text
    assert "ma cantine" in text
    assert "Livraisons regroupées" in text
    # the highlighted request names the indices as French does: « de I1 et de I2 »
    assert "identifiant de la série INSEE (idBank) de I1 et de I2, pour que" in text


def test_the_cctp_lists_the_items_and_the_school_catering_requirements(dce: Path) -> None:
    text = docx_text(dce / "CCTP.docx")
    assert "Pommes bio (AB), catégorie I" in text
    # quantities written as a French reader does, thousands separated
    assert "11\u202f000" in text and "52\u202f000" in text and "52000" not in text
    # the weekly vegetarian menu is the restaurant's duty (CRPM L230-5-6), not its suppliers'
    assert "menu végétarien" not in text
    assert "Office de l'école Louise-Michel" in text  # delivery sites
    assert "Respect de la chaîne du froid" in text


def test_each_acte_engagement_names_its_lot(dce: Path) -> None:
    text = docx_text(dce / "AE_lot_2.docx")
    assert "Lot n° 2 — Viandes et volailles" in text
    assert "maximum 110\u202f000,00\u00a0€ HT" in text
    # the form of the contract in its own sentence, not nested in brackets; exact articles
    assert "Forme du marché : Accord-cadre exécuté par émission de bons de commande (CCP " in text
    assert "R2162-13 et R2162-14)" in text and "R2162-13 à R2162-14" not in text
    assert "))" not in text
    document = Document(str(dce / "AE_lot_2.docx"))
    paragraphs = [p.text for p in document.paragraphs]
    # each box of the subcontracting choice on its own line, and the amount to fill on a line
    # of its own under its label (no justified gap before the colon)
    assert "☐ Aucune prestation n'est sous-traitée à la remise de l'offre." in paragraphs
    assert any(p.startswith("☐ Les prestations sous-traitées sont déclarées") for p in paragraphs)
    assert (
        "Montant du détail quantitatif estimatif, qui ne vaut que pour le jugement des offres :"
        in paragraphs
    )


def test_the_dqe_recomputes_from_the_bpu_with_real_formulas(dce: Path) -> None:
    workbook = load_workbook(dce / "BPU_DQE_lot_1.xlsx")
    bpu, dqe = workbook["BPU"], workbook["DQE"]
    assert bpu["B5"].value == "Pommes bio (AB), catégorie I"
    assert bpu["D5"].value is None  # the bidder writes the unit price
    assert dqe["D5"].value == 11000
    assert dqe["E5"].value == "=BPU!D5"
    assert dqe["F5"].value == "=ROUND(D5*E5,2)"
    assert dqe["F10"].value == "=SUM(F5:F8)"
    assert dqe["F13"].value == "=F10+F12"


def test_a_refused_consultation_writes_nothing(tmp_path: Path) -> None:
    data = copy.deepcopy(EXAMPLE)
    data["price"] = {"form": "ferme"}
    with pytest.raises(OpenAMOError):
        generate_dce_from_dict(data, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_user_text_cannot_inject_spreadsheet_formulas(tmp_path: Path) -> None:
    data = copy.deepcopy(EXAMPLE)
    data["lots"] = [data["lots"][0]]
    data["lots"][0]["name"] = "=cmd|' /C calc'!A0"
    data["lots"][0]["items"] = [
        {
            "code": "@SUM(1+1)",
            "designation": '=HYPERLINK("http://x","clic")',
            "unit": "+kg",
            "quantity": "1",
        },
        {"designation": "-2+3", "unit": "\tkg", "quantity": "2"},
    ]
    generate_dce_from_dict(data, tmp_path)
    workbook = load_workbook(tmp_path / "BPU_DQE_lot_1.xlsx")
    ours = {"E5", "F5", "E6", "F6", "F8", "F10", "F11"}
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert sheet.title == "DQE" and cell.coordinate in ours, cell.coordinate
    bpu = workbook["BPU"]
    assert bpu["A1"].value.startswith("Bordereau")
    # Text cells, as typed: no apostrophe added, the quote-prefix style keeps them text.
    for cell, typed in (
        ("B5", '=HYPERLINK("http://x","clic")'),
        ("A5", "@SUM(1+1)"),
        ("C5", "+kg"),
        ("B6", "-2+3"),
    ):
        assert bpu[cell].value == typed and bpu[cell].data_type == "s", cell
        assert bpu[cell].quotePrefix, cell
    assert not bpu["B7"].quotePrefix


def test_only_the_bidders_cells_are_open_and_they_take_a_positive_decimal(dce: Path) -> None:
    workbook = load_workbook(dce / "BPU_DQE_lot_1.xlsx")
    bpu, dqe = workbook["BPU"], workbook["DQE"]
    assert bpu.protection.sheet and dqe.protection.sheet
    # the DQE reads its prices from the BPU: no sheet can be renamed, moved or deleted
    assert workbook.security is not None and workbook.security.lockStructure
    open_cells = {
        (sheet.title, cell.coordinate)
        for sheet in (bpu, dqe)
        for row in sheet.iter_rows(min_row=1, max_row=20, max_col=8)
        for cell in row
        if not cell.protection.locked
    }
    assert open_cells == {("BPU", f"D{row}") for row in range(5, 9)} | {("DQE", "F11")}
    (validation,) = bpu.data_validations.dataValidation
    assert (validation.type, validation.operator, validation.formula1) == (
        "decimal",
        "greaterThanOrEqual",
        "0",
    )
    assert str(validation.sqref) == "D5:D8"
    assert validation.showErrorMessage and "positif" in validation.error


def test_each_sheet_prints_on_a4_landscape_fitted_to_width_with_its_titles(dce: Path) -> None:
    workbook = load_workbook(dce / "BPU_DQE_lot_1.xlsx")
    for sheet, area in ((workbook["BPU"], "$A$1:$E$8"), (workbook["DQE"], "$A$1:$F$13")):
        setup = sheet.page_setup
        assert str(setup.paperSize) == sheet.PAPERSIZE_A4 == "9"
        assert setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows == "$1:$4"
        assert sheet.print_area == f"'{sheet.title}'!{area}"
        assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text


def test_a_dqe_below_the_lots_minimum_is_flagged_in_the_result_not_to_the_bidders(
    tmp_path: Path,
) -> None:
    data = copy.deepcopy(EXAMPLE)
    data["lots"][0]["min_amount_ht"] = "70000.00"
    result = generate_dce_from_dict(data, tmp_path)
    # Lot 1 at the buyer's prices: 11000 × 2.60 + 12000 × 1.15 + 8000 × 0.95 + 14000 × 0.85.
    expected = "Lot 1 : le DQE aux prix estimés par l'acheteur (61\u202f900,00\u00a0€ HT)"
    (warning,) = [text for text in result.warnings if text.startswith("Lot 1 : le DQE")]
    assert warning.startswith(expected) and "minimum du lot (70\u202f000,00\u00a0€ HT)" in warning
    # The sheet goes to the bidders: neither the buyer's estimate nor the advice to the buyer.
    workbook = load_workbook(tmp_path / "BPU_DQE_lot_1.xlsx")
    for sheet in workbook.worksheets:
        cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
        assert not any("Attention" in v or "61" + "\u202f900" in v or "revoyez" in v for v in cells)
    data["lots"][0]["min_amount_ht"] = "10000.00"
    data["lots"][0]["max_amount_ht"] = "50000.00"
    result = generate_dce_from_dict(data, tmp_path / "max")
    assert any("dépasse le maximum du lot (50\u202f000,00" in text for text in result.warnings)
    data["lots"][0]["max_amount_ht"] = "90000.00"
    result = generate_dce_from_dict(data, tmp_path / "inside")
    assert not any(text.startswith("Lot 1 : le DQE") for text in result.warnings)
    assert load_workbook(tmp_path / "inside" / "BPU_DQE_lot_1.xlsx")["DQE"]["A3"].value is None


def test_the_sheets_print_in_an_office_font_with_the_bidder_cells_shaded(dce: Path) -> None:
    """No cell left in openpyxl's Calibri or without a font name (LibreOffice prints those in a
    serif fallback); the open cells, and only they, shaded and framed for the bidder."""
    from openamo.documents.xlsx import BIDDER_FILL, FONT_NAME

    workbook = load_workbook(dce / "BPU_DQE_lot_1.xlsx")
    for sheet in workbook.worksheets:
        written = [c for row in sheet.iter_rows() for c in row if c.value is not None]
        assert {c.font.name for c in written} == {FONT_NAME}, sheet.title
        assert sheet.oddHeader.left.font == sheet.oddFooter.center.font == FONT_NAME
        shaded = {
            c.coordinate
            for row in sheet.iter_rows()
            for c in row
            if c.fill.fill_type == "solid" and c.fill.fgColor.rgb.endswith(BIDDER_FILL)
        }
        opened = {c.coordinate for row in sheet.iter_rows() for c in row if not c.protection.locked}
        assert shaded == opened and opened, sheet.title


def test_the_committed_templates_match_their_build_script(tmp_path: Path) -> None:
    dce_templates_build.build(tmp_path)
    for name in dce_templates_build.DOCUMENTS:
        assert docx_text(tmp_path / name) == docx_text(TEMPLATES_DIR / name), name
    rebuilt = load_workbook(tmp_path / "bpu_dqe.xlsx")
    committed = load_workbook(TEMPLATES_DIR / "bpu_dqe.xlsx")
    for title in ("BPU", "DQE"):
        assert [c.value for c in rebuilt[title][4]] == [c.value for c in committed[title][4]]


def test_an_output_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "fichier"
    target.write_text("x")
    with pytest.raises(OpenAMOError, match="n'est pas un dossier"):
        generate_dce_from_dict(copy.deepcopy(EXAMPLE), target)


def test_the_whole_dce_downloads_as_one_zip() -> None:
    import io
    import zipfile

    from openamo.documents.dce import dce_archive_from_dict

    content, summary = dce_archive_from_dict(copy.deepcopy(EXAMPLE))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(summary.files)
        assert "RC.docx" in names and "BPU_DQE_lot_3.xlsx" in names
        assert archive.testzip() is None


def test_the_rc_dates_for_questions_and_answers_are_working_days(dce: Path) -> None:
    text = " ".join(docx_text(dce / "RC.docx").split())
    # offers due Monday 11/01/2027: ten days before is 1 January (public holiday), six days
    # before Tuesday 5 January — the questions move to Thursday 31 December, not later
    assert "au plus tard le 31/12/2026." in text and "01/01/2027" not in text
    assert "au plus tard le 05/01/2027, soit au moins 6 jours avant" in text
    assert "(CCP R2132-6, 1er alinéa)" in text


def test_the_rc_reads_its_question_and_answer_delays_from_the_law_parameters(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from openamo import law
    from openamo.documents import dce as module

    values = {module.QUESTIONS_DAYS: 15, module.ANSWERS_DAYS: 8}
    real = law.LawSnapshot.value

    def value(self: Any, path: str) -> Any:
        return values.get(path) or real(self, path)

    monkeypatch.setattr(law.LawSnapshot, "value", value)
    generate_dce_from_dict(copy.deepcopy(EXAMPLE), tmp_path)
    text = " ".join(docx_text(tmp_path / "RC.docx").split())
    # offers due Monday 11/01/2027: fifteen days before is Sunday 27 December, eight days
    # before is Sunday 3 January — each moves to the Thursday 24/12 and Thursday 31/12
    assert "au plus tard le 24/12/2026." in text
    assert "au plus tard le 31/12/2026, soit au moins 8 jours avant" in text


def test_the_rc_has_the_sworn_statement_groupements_questions_and_remedies(dce: Path) -> None:
    text = docx_text(dce / "RC.docx")
    assert "L2141-1 à L2141-5 et L2141-7 à L2141-11" in text and "R2143-3" in text
    assert "R2142-19" in text and "DC4" in text and "R2132-6" in text
    assert "copie de sauvegarde" in text
    assert "langue française" in text and "euros" in text
    for article in ("L551-1", "L551-13", "R551-7", "R2182-1"):
        assert article in text, article
    assert "délai de 31 jours" in text and "moins de 11 jours" in text
    assert "Ce n'est" not in text and "recommand" not in text  # no advice to the buyer


def test_the_acte_has_the_attri1_sections_and_the_avance_only_where_it_applies(
    dce: Path,
) -> None:
    text = docx_text(dce / "AE_lot_2.docx")
    for fragment in (
        "IBAN",
        "Forme du groupement",
        "Annexe DC4",
        "R2191-59",
        "Comptable public assignataire",
        "représentée par Madame la Maire",
    ):
        assert fragment in text, fragment
    # lot 2: minimum 40 000 € but maximum 110 000 €: a single order may exceed 50 000 € HT
    assert "Je renonce au bénéfice de l'avance : ☐ Non    ☐ Oui" in text and "R2191-17" in text
    # lot 1: maximum 90 000 €, lot 3: maximum 55 000 € → orders may still exceed 50 000 €
    data = copy.deepcopy(EXAMPLE)
    for lot in data["lots"]:
        lot["max_amount_ht"] = "45000.00"
        lot["min_amount_ht"] = "10000.00"
    from openamo.award.dossier import prepare_consultation_from_dict
    from openamo.documents.dce import advance_for

    file = prepare_consultation_from_dict(data)
    assert all(advance_for(file, lot) is None for lot in file.data.lots)


def test_the_ccap_has_payment_days_subcontracting_derogations_and_social_condition(
    dce: Path,
) -> None:
    text = docx_text(dce / "CCAP.docx")
    assert "délai global de paiement de 30 jours" in text
    for fragment in (
        "paiement direct",
        "Bons de commande",
        "Vérifications et admission",
        "L8222-1",
        "Nantissement",
        "L2112-2-1",
        "CCAG-FCS, article 14 (pénalités)",
    ):
        assert fragment in text, fragment
    assert "le cas échéant, aux pénalités" not in text
    assert "RGPD" not in text  # not an IT purchase


def test_an_it_purchase_gets_the_gdpr_and_reversibility_clauses(tmp_path: Path) -> None:
    data = copy.deepcopy(EXAMPLE)
    data["ccag"] = "CCAG-TIC (arrêté du 30 mars 2021)"
    data["cpv"] = "48000000-8"
    generate_dce_from_dict(data, tmp_path)
    text = docx_text(tmp_path / "CCAP.docx")
    assert "article 28 du règlement (UE) 2016/679" in text
    assert "article 42 du CCAG-TIC" in text
    assert "CCAG-TIC, article 14 (pénalités)" in text


def test_a_missing_social_condition_is_flagged_when_the_law_requires_one(tmp_path: Path) -> None:
    data = copy.deepcopy(EXAMPLE)
    data["social_conditions"] = []
    result = generate_dce_from_dict(data, tmp_path)
    assert any("L2112-2-1" in warning for warning in result.warnings)
    document = Document(str(tmp_path / "CCAP.docx"))
    flagged = [p.text for p in document.paragraphs if style_of(p) == "À compléter"]
    assert any("caractère social" in text for text in flagged)


def test_every_figure_comes_from_one_source(dce: Path) -> None:
    """The lot amounts, the deadline, the duration and the payment period printed in the RC, the
    AE, the CCAP and the DQE are the input's (and the law's), in the same words everywhere."""
    rc, ccap = docx_text(dce / "RC.docx"), docx_text(dce / "CCAP.docx")
    for lot in EXAMPLE["lots"]:
        amounts = docx_text(dce / f"AE_lot_{lot['number']}.docx")
        for field in ("min_amount_ht", "max_amount_ht"):
            figure = format_euros(Decimal(lot[field]))
            assert figure in rc and figure in ccap and figure in amounts, (lot["number"], field)
        workbook = load_workbook(dce / f"BPU_DQE_lot_{lot['number']}.xlsx")
        quantities = [row[3].value for row in workbook["DQE"].iter_rows(min_row=5) if row[1].value]
        expected = [Decimal(item["quantity"]) for item in lot["items"]]
        assert [Decimal(str(q)) for q in quantities[: len(expected)]] == expected
        assert lot["name"] in workbook["DQE"]["A1"].value
    assert "11/01/2027 à 12 h 00" in rc
    for text in (rc, ccap, docx_text(dce / "AE_lot_1.docx")):
        assert "12 mois à compter de la notification" in text


def test_the_ccap_penalty_sentences_are_not_right_aligned(dce: Path) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document(str(dce / "CCAP.docx"))
    (table,) = [t for t in document.tables if t.rows[0].cells[0].text == "Manquement"]
    cell = table.rows[1].cells[1]
    # « 50,00 € HT par livraison et par école » is a sentence: right-aligned, its second line
    # hung at the right edge (« école »)
    assert "par livraison et par école" in cell.text
    assert all(p.alignment != WD_ALIGN_PARAGRAPH.RIGHT for p in cell.paragraphs)


def test_the_rc_reads_the_remedies_time_limits_from_the_law_parameters(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from openamo import law
    from openamo.documents import dce as module

    values = {
        module.STANDSTILL_ELECTRONIC_DAYS: 12,
        module.STANDSTILL_DAYS: 17,
        module.CONTRACT_REFERRAL_DAYS: 32,
        module.CONTRACT_REFERRAL_MONTHS: 7,
        module.THIRD_PARTY_MONTHS: 3,
    }
    real = law.LawSnapshot.value

    def value(self: Any, path: str) -> Any:
        return values.get(path) or real(self, path)

    monkeypatch.setattr(law.LawSnapshot, "value", value)
    generate_dce_from_dict(copy.deepcopy(EXAMPLE), tmp_path)
    text = " ".join(docx_text(tmp_path / "RC.docx").split())
    assert "moins de 12 jours après l'envoi" in text and "(17 jours en cas d'envoi" in text
    assert "délai de 32 jours" in text and "délai de 7 mois" in text
    assert "validité du contrat, dans un délai de 3 mois" in text


def test_the_rc_does_not_offer_bidders_a_remedy_tarn_et_garonne_closed(dce: Path) -> None:
    """Since CE 4 avril 2014 (n° 358994), the choice of the contractor and the decision to sign
    are contested only through the recours en contestation de validité (the prefect aside): an
    RC offering bidders an excess-of-power claim against them misleads."""
    text = " ".join(docx_text(dce / "RC.docx").split())
    assert "recours pour excès de pouvoir contre les actes détachables" not in text
    assert "ne peuvent être contestés qu'à l'occasion de ce recours" in text


def test_the_rc_gives_the_third_party_remedy_its_deadline_and_its_article(dce: Path) -> None:
    """The two months of the Tarn-et-Garonne claim (recours_tiers parameter) are the common
    time limit of CJA R421-1: the RC names the decision and the article."""
    text = " ".join(docx_text(dce / "RC.docx").split())
    months = law.at(dt.date(2026, 12, 1)).value(THIRD_PARTY_MONTHS)
    assert f"validité du contrat, dans un délai de {months} mois à compter" in text
    assert (
        "n° 358994 ; délai de droit commun du recours contentieux, article R421-1 du code de "
        "justice administrative"
    ) in text


def test_a_lot_without_technical_requirements_is_flagged_never_filled_in(
    tmp_path: Path,
) -> None:
    """No stock sentence (« Conformité aux normes… ») stands for requirements the buyer did not
    give: the gap is in the result and highlighted « À compléter » in the CCTP."""
    data = copy.deepcopy(EXAMPLE)
    data["lots"][2]["requirements"] = []
    result = generate_dce_from_dict(data, tmp_path)
    assert any(
        w.startswith("Lot n° 3 : les exigences techniques manquent") for w in result.warnings
    )
    cctp = Document(str(tmp_path / "CCTP.docx"))
    flagged = [p.text for p in cctp.paragraphs if "exigences techniques du lot n° 3" in p.text]
    assert flagged and all(
        style_of(p) == "À compléter" for p in cctp.paragraphs if p.text in flagged
    )
    assert "Conformité aux normes" not in docx_text(tmp_path / "CCTP.docx")
    # the example gives every lot its requirements: nothing to complete
    complete = generate_dce_from_dict(copy.deepcopy(EXAMPLE), tmp_path / "complete")
    assert not any("exigences techniques manquent" in w for w in complete.warnings)
