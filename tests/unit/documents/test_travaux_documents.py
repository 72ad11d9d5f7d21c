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
