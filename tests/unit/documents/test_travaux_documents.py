"""The programme synthesis: every figure from the domain's verdict, no tag left unfilled."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document

from openamo.construction.models import PhasesInput
from openamo.documents.travaux import make_programme
from openamo.validation import parse_input


def test_the_synthesis_carries_programme_envelope_changes_and_estimates(tmp_path: Path) -> None:
    data = parse_input(
        PhasesInput,
        {
            "date": "2026-03-02",
            "work_kind": "rehabilitation",
            "envelope_works_ht": "800000.00",
            "envelope_set_on": "2025-06-01",
            "envelope_changes": [
                {
                    "date": "2025-09-10",
                    "works_ht": "760000.00",
                    "decided_by": "Le maire",
                    "reason": "Abandon de l'extension côté cour",
                },
            ],
            "programme": {
                "needs": ["Mise en accessibilité de la mairie"],
                "spaces": [{"name": "Salle du conseil", "area_m2": "120.5"}],
            },
            "phases": [{"phase": "diag", "submitted_on": "2025-08-01", "estimate_ht": "790000"}],
        },
    )
    out = make_programme(data, tmp_path / "p.docx", title="Mairie accessible", buyer="Commune")
    document = Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "{{" not in text + cells and "{%" not in text + cells
    assert "Mise en accessibilité de la mairie" in text
    assert "760\u202f000,00\u00a0€" in text  # the envelope in force, after the change
    assert "800\u202f000,00\u00a0€" in text  # the one first set
    assert "− 40\u202f000,00\u00a0€" in cells and "Le maire" in cells
    assert "120,50" in cells and "Salle du conseil" in cells
    assert "Objectifs environnementaux" not in text  # an empty section is left out


def test_the_final_account_letter_lists_each_step_and_the_next_deadline(tmp_path: Path) -> None:
    import datetime as dt
    import json

    from openamo.construction import final_account
    from openamo.construction.enums import ReceptionDecision
    from openamo.construction.models import DgdInput
    from openamo.documents.travaux import make_dgd_letter

    example = Path(__file__).resolve().parents[3] / "examples" / "travaux_dgd.json"
    result = final_account(parse_input(DgdInput, json.loads(example.read_text("utf-8"))))
    out = make_dgd_letter(
        result,
        tmp_path / "dgd.docx",
        buyer="Commune de Saint-Exemple",
        holder="Bâtiments du Val Construction SAS",
        contract="Marché 2026-TRAV-01 — Gros œuvre",
        reception=ReceptionDecision.AVEC_RESERVES,
        as_of=dt.date(2027, 9, 15),
    )
    document = Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "{{" not in text + cells and "{%" not in text + cells
    assert "notifiée le 09/07/2027 — réception avec réserves" in text
    assert "fait dans le délai (le 03/08/2027)" in cells
    assert "fait dans le délai (le 30/08/2027)" in cells
    # The holder's return is the only step left: the letter names it and its deadline.
    assert "Prochaine échéance, pour le titulaire : Décompte général renvoyé" in text
    assert "29/09/2027" in text
    # The later steps are dated from the parameters: the claim and the deemed acceptance.
    assert "transmettez votre mémoire en réclamation au maître d'ouvrage (copie au maître " in text
    assert (
        "au plus tard le 29/09/2027 ; à défaut, vous serez réputé l'avoir accepté le 30/09/2027"
        in text
    )
    assert "Échéances suivantes" in text
    assert "Mémoire en réclamation du titulaire" in cells and "30/09/2027" in cells


def _pdf_text(path: Path) -> str:
    import subprocess

    assert path.read_bytes().startswith(b"%PDF-")
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    return " ".join(done.stdout.split())


def test_the_pdf_programme_says_what_the_word_one_says(tmp_path: Path) -> None:
    data = parse_input(
        PhasesInput,
        {
            "date": "2026-03-02",
            "work_kind": "rehabilitation",
            "envelope_works_ht": "800000.00",
            "envelope_set_on": "2025-06-01",
            "programme": {"needs": ["Mise en accessibilité de la mairie"]},
        },
    )
    out = make_programme(data, tmp_path / "p.pdf", title="Mairie accessible", buyer="Commune")
    text = _pdf_text(out)
    assert "PROGRAMME ET ENVELOPPE FINANCIÈRE" in text
    assert "Mise en accessibilité de la mairie" in text and "800 000,00 €" in text.replace(
        "\u202f", " "
    ).replace("\u00a0", " ")
    assert "{{" not in text and "Objectifs environnementaux" not in text
    assert "L2421-2" in text


def test_every_construction_document_prints_to_pdf(tmp_path: Path) -> None:
    import datetime as dt
    import json

    from openamo.construction import choose_moe_procedure, final_account, service_orders
    from openamo.construction.enums import ReceptionDecision, WorkKind
    from openamo.construction.models import DgdInput, MoeInput, OrdersInput
    from openamo.documents.travaux import (
        make_dgd_letter,
        make_moe_elements,
        make_reception_report,
        make_service_order,
    )

    root = Path(__file__).resolve().parents[3] / "examples"
    dgd = final_account(parse_input(DgdInput, json.loads((root / "travaux_dgd.json").read_text())))
    letter = _pdf_text(make_dgd_letter(
        dgd, tmp_path / "dgd.pdf", buyer="Commune", holder="Bâtiments du Val",
        contract="Marché 2026-TRAV-01", reception=ReceptionDecision.AVEC_RESERVES,
        as_of=dt.date(2027, 9, 15),
    ))  # fmt: skip
    assert "DÉCOMPTE GÉNÉRAL DU MARCHÉ" in letter and "29/09/2027" in letter
    orders = service_orders(parse_input(OrdersInput, {
        "consultation_date": "2026-02-27",
        "orders": [{"number": 1, "kind": "demarrage", "received_on": "2026-04-28"}],
    }))  # fmt: skip
    order = _pdf_text(make_service_order(
        orders.orders[0], orders, tmp_path / "os.pdf", buyer="Commune", holder="Bâtiments du Val",
        contract="Marché 2026-TRAV-01", lot="Lot 1", subject="Démarrage des travaux",
        description="", issued_on=dt.date(2026, 4, 27),
    ))  # fmt: skip
    assert "ORDRE DE SERVICE N° 1" in order and "13/05/2026" in order and "15 jours" in order
    report = _pdf_text(make_reception_report(
        tmp_path / "pv.pdf", buyer="Commune", holder="Bâtiments du Val",
        contract="Marché 2026-TRAV-01", label="Réception du lot 1",
        inspected_on=dt.date(2027, 6, 20), notice_on=dt.date(2027, 6, 1),
        decision="Prononcée sans réserve", effective_on=dt.date(2027, 6, 20),
        decided_on=dt.date(2027, 7, 1), note="", reserves=[], result=None,
    ))  # fmt: skip
    assert "PROCÈS-VERBAL ET DÉCISION DE RÉCEPTION" in report
    assert "Avis d'achèvement des travaux du titulaire reçu le 01/06/2027" in report
    verdict = choose_moe_procedure(parse_input(MoeInput, {
        "date": "2026-03-02", "work_kind": "batiment_neuf", "estimated_fee_ht": "310000",
    }))  # fmt: skip
    moe = _pdf_text(make_moe_elements(
        verdict, tmp_path / "moe.pdf", title="Restaurant scolaire", buyer="Commune",
        work_kind=WorkKind.BATIMENT_NEUF, mission=["Esquisse"], envelope_works_ht=None,
        reduction_cap="15 %",
    ))  # fmt: skip
    assert "MARCHÉ DE MAÎTRISE D'ŒUVRE" in moe and "Esquisse" in moe


def test_an_unknown_document_format_is_refused_in_french(tmp_path: Path) -> None:
    import pytest

    from openamo.errors import OpenAMOError

    data = parse_input(
        PhasesInput,
        {"date": "2026-03-02", "work_kind": "rehabilitation", "envelope_works_ht": "800000.00",
         "envelope_set_on": "2025-06-01"},
    )  # fmt: skip
    with pytest.raises(OpenAMOError, match=r"utilisez \.docx ou \.pdf"):
        make_programme(data, tmp_path / "p.odt", title="Mairie", buyer="Commune")


def test_the_committed_construction_templates_match_their_build_scripts(tmp_path: Path) -> None:
    """A build script changed without rebuilding its .docx (or the reverse) would print the
    old text: each template is rebuilt here and compared paragraph by paragraph."""
    import importlib

    from openamo.documents.render import TEMPLATES_DIR

    def texts(path: Path) -> list[str]:
        document = Document(str(path))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return [p.text for p in document.paragraphs] + cells

    for stem in ("travaux_programme", "travaux_moe", "travaux_os", "travaux_pv_reception",
                 "travaux_dgd"):  # fmt: skip
        module = importlib.import_module(f"openamo.documents.templates.{stem}_build")
        rebuilt = module.build(tmp_path / f"{stem}.docx")
        assert texts(rebuilt) == texts(TEMPLATES_DIR / f"{stem}.docx"), stem


def _space_before(paragraph: Any) -> float:
    """The space before a paragraph, its own or its style's (and the styles it is based on)."""
    if paragraph.paragraph_format.space_before is not None:
        return float(paragraph.paragraph_format.space_before.pt)
    style = paragraph.style
    while style is not None:
        if style.paragraph_format.space_before is not None:
            return float(style.paragraph_format.space_before.pt)
        style = style.base_style
    return 0.0


def _after_tables(path: Path) -> list[tuple[str, float]]:
    from docx.text.paragraph import Paragraph

    document = Document(str(path))
    found = []
    for table in document.tables:
        following = table._tbl.getnext()
        if following is not None and following.tag.endswith("}p"):
            paragraph = Paragraph(following, document._body)
            found.append((paragraph.text, _space_before(paragraph)))
    return found


def test_the_paragraph_after_a_table_is_spaced_from_it(tmp_path: Path) -> None:
    import datetime as dt

    from openamo.documents.travaux import make_reception_report

    data = parse_input(
        PhasesInput,
        {
            "date": "2026-03-02",
            "work_kind": "rehabilitation",
            "envelope_works_ht": "800000.00",
            "envelope_set_on": "2025-06-01",
            "programme": {"spaces": [{"name": "Salle du conseil", "area_m2": "120.5"}]},
            "envelope_changes": [
                {"date": "2025-09-10", "works_ht": "760000.00", "decided_by": "Le maire",
                 "reason": "Abandon de l'extension"},
            ],
        },
    )  # fmt: skip
    programme = make_programme(data, tmp_path / "p.docx", title="Mairie", buyer="Commune")
    report = make_reception_report(
        tmp_path / "pv.docx", buyer="Commune", holder="Bâtiments du Val",
        contract="Marché 2026-TRAV-01", label="Réception du lot 1",
        inspected_on=dt.date(2027, 6, 20), notice_on=None, decision="Prononcée avec réserves",
        effective_on=dt.date(2027, 6, 20), decided_on=dt.date(2027, 7, 1), note="",
        reserves=[("Joints de carrelage à reprendre", dt.date(2027, 9, 1), None)], result=None,
    )  # fmt: skip
    spaced = _after_tables(programme) + _after_tables(report)
    texts = [text for text, _ in spaced]
    assert any(text.startswith("Surface totale programmée") for text in texts)
    assert any(text.startswith("Références") for text in texts)  # after the last table
    assert any("réserve" in text for text in texts)
    assert all(space >= 6 for _, space in spaced), spaced
