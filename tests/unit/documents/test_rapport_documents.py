"""The rapport d'analyse des offres read back (DOCX) and printed (PDF)."""

from __future__ import annotations

import copy
import json
import re
import zlib
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from openamo.award import score_offers
from openamo.documents.rapport import (
    ReportInput,
    of,
    presentation,
    write_report_from_dict,
)
from openamo.errors import OpenAMOError
from openamo.validation import parse_input

EXAMPLE = json.loads(
    (Path(__file__).resolve().parents[3] / "examples" / "offres_rapport.json").read_text("utf-8")
)


def docx_text(path: Path) -> str:
    document = Document(str(path))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("rapport") / "rapport.docx"
    result = write_report_from_dict(copy.deepcopy(EXAMPLE), out)
    assert result.files == [str(out)]
    return docx_text(out)


def test_the_report_explains_the_method_of_each_criterion(report: str) -> None:
    assert "Note = Note maximale × Pmin / P" in report
    assert "Méthode proportionnelle" in report
    assert "Qualité gustative, fraîcheur et calibres (15,00 pts)" in report
    # The method as announced, never the tool's advice on choosing it (the rejected tenderers
    # read the report too).
    assert "Prix : Méthode proportionnelle (dite « classique ») — Note = " in report
    assert "Méthode neutre" not in report and "avantager les offres chères" not in report


def test_the_report_shows_every_mark_with_its_justification(report: str) -> None:
    assert "Véhicule électrique pour les écoles" in report
    assert "18,00 / 20" in report
    assert "Note calculée selon la méthode annoncée." in report


def test_the_report_tells_how_the_abnormally_low_offer_was_handled(report: str) -> None:
    assert (
        "Agrilog Express — Offre de 41\u202f200,00\u00a0€ HT qui semble anormalement basse"
        in report
    )
    assert "Justifications insuffisantes : offre rejetée par décision motivée" in report
    assert "cotations RNM" in report
    # Decided: the report states the decision, not the advice to ask for justifications.
    assert "Il s'agit d'une suspicion" not in report and "l'acheteur doit demander" not in report


def test_the_report_ranks_and_proposes_per_lot(report: str) -> None:
    assert re.search(r"1\nMaraîchers Associés SCOP\n64\u202f980,50\u00a0€\n88,69", report)
    assert "Il est proposé d'attribuer à Maraîchers Associés SCOP" in report
    assert "Il est proposé d'attribuer à Laiterie du Plateau" in report
    assert "Offre régularisée — Laiterie du Plateau" in report


def test_the_report_records_candidacies_and_leaves_the_decision_to_the_buyer(report: str) -> None:
    assert "Candidature recevable" in report
    flat = " ".join(report.split())
    # The first-ranked candidacy of lot 1 was completed at the buyer's request: said so, with
    # the piece and its date, never « manque » for a piece that was produced.
    assert (
        "pièces complétées à la demande de l'acheteur (CCP R2144-2) : capacités techniques et "
        "professionnelles demandées ; Liste de références complétée le 20/01/2027" in flat
    )
    assert "manque :" not in flat
    assert "Maraîchers Associés SCOP (dossier complété à la demande de l'acheteur, " in flat
    assert "Maraîchers Associés SCOP (dossier complet" not in flat
    assert "seront publiés dans le RC" not in flat
    assert "le pouvoir adjudicateur décide" in report
    assert "commission d'appel d'offres de la Commune de Saint-Exemple" in report


def test_the_report_is_dated_by_its_analysis_and_its_decision(report: str) -> None:
    flat = " ".join(report.split())
    assert (
        "Rapport établi le 10/02/2027 par Cabinet Exemple AMO, assistant à maîtrise d'ouvrage, "
        "soumis à la décision de la commission d'appel d'offres" in flat
    )
    assert "Classement validé le 15/02/2027." in flat
    assert "Décision de la commission d'appel d'offres de la Commune de Saint-Exemple du " in flat
    data = copy.deepcopy(EXAMPLE)
    data["report"]["decided_on"] = "2027-02-01"
    with pytest.raises(OpenAMOError, match="précéder l'analyse"):
        write_report_from_dict(data, Path("/nonexistent/rapport.docx"))


def test_a_formalised_procedure_gets_the_r2184_2_presentation_content(report: str) -> None:
    flat = " ".join(report.split())
    assert "Rapport de présentation (CCP R2184-1 à R2184-3)" in flat
    assert (
        "1° Pouvoir adjudicateur : Commune de Saint-Exemple, Hôtel de ville, 1 place de la "
        "Mairie, 35999 Saint-Exemple ; objet :" in flat
    )
    assert "2° Candidats exclus : aucun." in flat
    assert "3° Candidats sélectionnés : Primeurs du Val SARL" in flat
    assert "4° Lot 1 — Fruits et légumes frais — offres rejetées : Agrilog Express (Offre" in flat
    assert "Primeurs du Val SARL (classée n° 2, 83,95 points sur 100)" in flat
    assert "5° Lot 3 — Produits laitiers — titulaire : Laiterie du Plateau" in flat
    # No instruction to the buyer printed (R2184-2 5°: the subcontracted share « si elle est
    # connue »), and the share when the file knows it.
    assert "à indiquer" not in flat
    data = copy.deepcopy(EXAMPLE)
    data["report"]["subcontracting"] = {"Laiterie du Plateau": "transport, 4 000 € HT"}
    assert any(
        item.endswith(
            "; part du marché que Laiterie du Plateau envisage de sous-traiter : transport, "
            "4 000 € HT."
        )
        for item in presentation_of(data)
    )
    data = copy.deepcopy(EXAMPLE)
    data["procedure"] = "mapa"
    assert presentation_of(data) == []


def presentation_of(data: Any) -> list[str]:
    parsed = parse_input(ReportInput, data)
    return presentation(parsed.report, score_offers(parsed, require_justifications=True))


def test_de_is_contracted_before_the_decision_maker() -> None:
    assert of("le maître d'ouvrage de X") == "du maître d'ouvrage de X"
    assert of("les membres de la CAO") == "des membres de la CAO"
    assert of("la commission") == "de la commission"
    assert of("l'assemblée") == "de l'assemblée"
    assert of("Anne Dupont") == "d'Anne Dupont"
    assert of("Monsieur le maire") == "de Monsieur le maire"


def pdf_objects(content: bytes) -> bytes:
    """The PDF's objects with their compressed streams inflated (WeasyPrint packs them)."""
    parts = [content]
    for match in re.finditer(rb"stream\r?\n", content):
        try:
            parts.append(zlib.decompressobj().decompress(content[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def pdf_outline(objects: bytes) -> list[str]:
    """Bookmark titles (WeasyPrint makes one per heading), UTF-16 hex or literal strings."""
    titles = []
    for hexa, literal in re.findall(rb"/Title (?:<feff([0-9a-f]+)>|\(([^)]*)\))", objects):
        titles.append(
            bytes.fromhex(hexa.decode()).decode("utf-16-be") if hexa else literal.decode()
        )
    return titles


def test_the_pdf_report_is_a_real_pdf_with_its_sections(tmp_path: Path) -> None:
    out = tmp_path / "rapport.pdf"
    write_report_from_dict(copy.deepcopy(EXAMPLE), out)
    content = out.read_bytes()
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    objects = pdf_objects(content)
    assert objects.count(b"/Type /Page") - objects.count(b"/Type /Pages") >= 3
    outline = pdf_outline(objects)
    assert "1. Conformité des critères" in outline
    assert "Lot 1 — Fruits et légumes frais" in outline
    assert outline.count("Proposition d'attribution") == 3  # lot 2 without offer too


def _without_justification(data: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    offer = changed["lots"][2]["offers"][1]
    offer["scores"]["Qualité des produits"]["Qualité gustative, fraîcheur et calibres"] = 13
    return changed


def test_a_mark_without_justification_stops_the_report(tmp_path: Path) -> None:
    with pytest.raises(OpenAMOError) as raised:
        write_report_from_dict(_without_justification(EXAMPLE), tmp_path / "r.docx")
    assert raised.value.code == "missing_justification"
    assert "Fromagerie Centrale — Qualité des produits / Qualité gustative" in str(
        raised.value.extra["missing"]
    )
    assert not (tmp_path / "r.docx").exists()


def test_only_docx_and_pdf_reports_are_produced(tmp_path: Path) -> None:
    with pytest.raises(OpenAMOError, match=r"\.docx ou en \.pdf"):
        write_report_from_dict(copy.deepcopy(EXAMPLE), tmp_path / "r.odt")


def test_the_report_needs_its_heading(tmp_path: Path) -> None:
    data = copy.deepcopy(EXAMPLE)
    del data["report"]
    with pytest.raises(OpenAMOError, match="Entrée invalide"):
        write_report_from_dict(data, tmp_path / "r.docx")


def test_a_consultation_without_lots_gets_one_analysis_section(tmp_path: Path) -> None:
    data = copy.deepcopy(EXAMPLE)
    data["offers"] = data["lots"][0]["offers"]
    data["estimate_ht"] = "62000.00"
    del data["lots"]
    write_report_from_dict(data, tmp_path / "r.docx")
    text = docx_text(tmp_path / "r.docx")
    assert "Analyse des offres\nConsultation : 4 offres reçues, 3 classées, 1 écartée." in text
    assert "Il est proposé d'attribuer à Maraîchers Associés SCOP" in text


def test_the_criteria_findings_are_sentences_not_tool_tags(report: str) -> None:
    assert "Les caractéristiques environnementales de l'offre sont prises en compte." in report
    assert "[Information]" not in report and "[Avertissement]" not in report


def test_a_lot_with_several_winners_proposes_each_with_its_mark(tmp_path: Path) -> None:
    data = copy.deepcopy(EXAMPLE)
    data["lots"][0]["winners"] = 2
    write_report_from_dict(data, tmp_path / "r.docx")
    text = docx_text(tmp_path / "r.docx")
    proposal = next(line for line in text.splitlines() if line.startswith("Il est proposé"))
    assert "auteurs des 2 offres économiquement les plus avantageuses" in proposal
    assert " et " in proposal.split(", auteurs")[0] and "(notes de " in proposal
    assert "(s)" not in proposal


def test_each_offer_heading_is_a_heading_kept_with_its_table(tmp_path: Path) -> None:
    out = tmp_path / "rapport.docx"
    write_report_from_dict(copy.deepcopy(EXAMPLE), out)
    headings = [
        p
        for p in Document(str(out)).paragraphs
        if p.text.startswith("Maraîchers Associés SCOP — 64\u202f980,50")
    ]
    assert len(headings) == 1
    (heading,) = headings
    # a plain paragraph glued to the previous offer's table could end a page alone
    assert heading.style is not None and heading.style.name == "Heading 3"
    assert heading.style.paragraph_format.keep_with_next


def test_the_criterion_column_is_wide_enough_and_a_lot_without_offer_has_no_empty_table(
    tmp_path: Path,
) -> None:
    from docx.shared import Length

    out = tmp_path / "rapport.docx"
    write_report_from_dict(copy.deepcopy(EXAMPLE), out)
    document = Document(str(out))
    marks = [
        table
        for table in document.tables
        if [cell.text for cell in table.rows[0].cells]
        == ["Critère", "Note", "Points", "Justification"]
    ]
    assert marks
    for table in marks:
        widths = [Length(int(column.w or 0)).cm for column in table._tbl.tblGrid.gridCol_lst]
        assert widths[0] >= 6.0 and widths[0] > widths[3] - 1.5, widths
    # the lot without offer: no header-only table, a proposal that says what follows
    assert all(len(table.rows) > 1 for table in document.tables)
    text = docx_text(out)
    assert "Aucune offre n'a été reçue pour ce lot" in text
    assert "procédure infructueuse pour ce lot" in text
    assert text.count("Notes et justifications") == 2  # lots 1 and 3, not lot 2


def test_the_presentation_says_why_a_lot_is_not_awarded() -> None:
    data = parse_input(ReportInput, copy.deepcopy(EXAMPLE))
    items = presentation(data.report, score_offers(data, require_justifications=True))
    assert (
        "R2184-3, 7° — Lot 2 — Viandes et volailles — raisons pour lesquelles le marché n'est "
        "pas attribué : aucune offre n'a été reçue ; la procédure est déclarée infructueuse "
        "pour ce lot." in items
    )
    assert not any("Lot 1" in item and "R2184-3" in item for item in items)


def test_a_framework_agreement_s_value_is_its_maximum_the_offers_a_dqe_estimate() -> None:
    data = copy.deepcopy(EXAMPLE)
    data["report"]["framework_agreement"] = True
    (first, *_) = presentation_of(data)
    assert "accord-cadre, valeur des offres retenues" in first
    assert first.endswith("HT (montant estimé d'après le DQE).")
    data["report"]["framework_maximum_ht"] = "300000.00"
    (first, *_) = presentation_of(data)
    assert "valeur de l'accord-cadre : 300" in first and "son montant maximum" in first
    assert "(montant estimé d'après le DQE)" in first
