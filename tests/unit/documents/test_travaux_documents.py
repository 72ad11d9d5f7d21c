"""The programme synthesis: every figure from the domain's verdict, no tag left unfilled."""

from __future__ import annotations

from pathlib import Path

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
    assert "notifiée le 09/07/2027 (réception avec réserves" in text
    assert "fait dans le délai (le 03/08/2027)" in cells
    assert "fait dans le délai (le 30/08/2027)" in cells
    # The holder's return is the only step left: the letter names it and its deadline.
    assert "Prochaine échéance, pour le titulaire : Décompte général renvoyé" in text
    assert "29/09/2027" in text
