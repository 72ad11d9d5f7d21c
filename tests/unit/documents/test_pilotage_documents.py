"""The steering committee's report (``amo projet rapport`` and the web's download) read back:
the dashboard's figures, the decisions awaited, the framing and the cost of drift."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from openamo.documents.pilotage import (
    SteeringDocument,
    SteeringDocumentInput,
    steering_document_from_input,
    steering_report_bytes,
    write_steering_report_from_dict,
)
from openamo.errors import OpenAMOError
from openamo.steering.report import steering_report
from openamo.validation import parse_input

EXAMPLE = json.loads(
    (Path(__file__).resolve().parents[3] / "examples" / "projet_rapport.json").read_text("utf-8")
)


def example() -> Any:
    return copy.deepcopy(EXAMPLE)


def docx_text(path: Path) -> str:
    document = Document(str(path))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("pilotage") / "rapport.docx"
    result = write_steering_report_from_dict(example(), out)
    assert result.files == [str(out)]
    return docx_text(out)


def test_the_report_is_dated_by_its_situation_and_names_its_author(report: str) -> None:
    assert (
        "Situation au 15/04/2027 : vigilance. Rapport établi le 16/04/2027 par Cabinet Exemple "
        "AMO, assistant à maîtrise d'ouvrage, pour le comité de pilotage." in report
    )


def test_the_subtitle_names_the_buyer_once_and_the_measures_read_as_one_sentence(
    report: str,
) -> None:
    # the example's project name repeats the buyer (« Nouveau logiciel de gestion RH —
    # Communauté de communes du Pays de Saint-Exemple »)
    assert (
        "Communauté de communes du Pays de Saint-Exemple — Nouveau logiciel de gestion RH\n"
        in report
    )
    assert report.count("Saint-Exemple — Nouveau logiciel de gestion RH — Communauté") == 0
    assert "validé par le sponsor ; chaque demande d'évolution chiffrée" in report
    assert " ; Chaque " not in report


def test_the_synthesis_shows_the_dashboard_figures(report: str) -> None:
    text = report.replace("\u202f", " ").replace("\xa0", " ")
    assert "Budget de référence HT | 75 000,00 € | Marge (10 %) | 7 500,00 €" in text
    assert "Dérive budgétaire (acceptée) | 1,73 % | Marge consommée | 17,33 % (normal)" in text
    assert "Cadrage : score de complétude 95/100, risque faible." in text


def test_the_pending_request_is_put_to_the_committee(tmp_path: Path) -> None:
    out = tmp_path / "rapport.docx"
    write_steering_report_from_dict(example(), out)
    tables = {table.rows[0].cells[-1].text: table for table in Document(str(out)).tables}
    pending = [row.cells[0].text for row in tables["Justification"].rows[1:]]
    assert pending == ["DE-04 — Signature électronique des arrêtés individuels"]
    decided = [(row.cells[0].text[:5], row.cells[5].text) for row in tables["Décidée le"].rows[1:]]
    assert decided == [
        ("DE-01", "acceptée"),
        ("DE-02", "acceptée"),
        ("DE-03", "acceptée"),
        ("DE-04", "en attente de décision"),
        ("DE-05", "refusée"),
    ]


def test_the_cost_of_drift_is_the_seeded_simulation(report: str) -> None:
    text = report.replace("\u202f", " ").replace("\xa0", " ")
    assert "Simulation du 16/04/2027 (Monte-Carlo, 100 000 tirages, graine 2026)." in text
    assert "Dérive évitée par euro d'AMO | 1,7 €" in text
    assert "Coût de l'AMO | 7 350,00 €" in text


def test_without_framing_nor_simulation_those_sections_are_left_out() -> None:
    data = example()
    steering = parse_input(SteeringDocumentInput, data).pilotage
    document = SteeringDocument(
        report=steering_report(steering),
        buyer="Communauté de communes du Pays de Saint-Exemple",
        author="Mme Dupont",
        generated_on=steering.as_of,
        changes=steering.change_requests,
    )
    content = steering_report_bytes(document, "docx")
    assert content[:4] == b"PK\x03\x04"
    assert steering_report_bytes(document, "pdf")[:5] == b"%PDF-"


def test_the_framing_answers_lower_the_risks_when_the_dashboard_has_none() -> None:
    given = steering_document_from_input(parse_input(SteeringDocumentInput, example()))
    data = example()
    del data["pilotage"]["framing"]
    derived = steering_document_from_input(parse_input(SteeringDocumentInput, data))
    assert [(r.id, r.score) for r in derived.report.risks] == [
        (r.id, r.score) for r in given.report.risks
    ]
    data = example()
    del data["pilotage"]["framing"], data["cadrage"]
    unframed = steering_document_from_input(parse_input(SteeringDocumentInput, data))
    assert sum(r.score for r in unframed.report.risks) > sum(r.score for r in given.report.risks)


def test_a_report_written_before_its_situation_is_refused(tmp_path: Path) -> None:
    data = example()
    data["report"]["generated_on"] = "2027-04-14"
    with pytest.raises(OpenAMOError, match="avant la date de la situation"):
        write_steering_report_from_dict(data, tmp_path / "rapport.docx")
    assert not (tmp_path / "rapport.docx").exists()


def test_only_word_and_pdf_are_written(tmp_path: Path) -> None:
    with pytest.raises(OpenAMOError, match=r"\.docx ou en \.pdf"):
        write_steering_report_from_dict(example(), tmp_path / "rapport.odt")
