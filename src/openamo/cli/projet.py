"""``amo projet``: framing, steering dashboard and cost of drift with and without AMO.

- ``amo projet roi [FICHIER|-] [--json]``: cost of drift, deterministic (worked example) or
  Monte-Carlo (``runs``, ``seed``); fields documented in :mod:`openamo.steering.roi`.
- ``amo projet cadrage [FICHIER|-] [--json]``: the ten framing questions, score, missing
  answers, baseline and pre-filled risk register (:mod:`openamo.steering.framing`).
- ``amo projet pilotage [FICHIER|-] [--json]``: change requests, drift and margin alerts,
  schedule slip, risks and KPIs at a date (:mod:`openamo.steering.report`).
- ``amo projet rapport [FICHIER|-] --out rapport.docx|.pdf [--json]``: the steering
  committee's report, the same document as the web's (:mod:`openamo.documents.pilotage`).
"""

from __future__ import annotations

import typer

from openamo.cli._io import FileArgument, JsonOption, run_command

app = typer.Typer(
    help="Pilotage des projets informatiques : cadrage, dérive, ROI de l'AMO.", add_completion=False
)


@app.callback()
def _group() -> None:
    """Pilotage des projets informatiques."""


@app.command("roi")
def roi(source: str | None = FileArgument, as_json: bool = JsonOption) -> None:
    """Coût de la dérive avec et sans AMO (déterministe, ou Monte-Carlo avec « runs »)."""
    from openamo.steering.roi import roi_from_dict
    from openamo.steering.text import render_roi

    run_command(source, as_json, roi_from_dict, render_roi)


@app.command("cadrage")
def cadrage(source: str | None = FileArgument, as_json: bool = JsonOption) -> None:
    """Score du cadrage (10 questions), réponses manquantes, base de référence et risques."""
    from openamo.steering.framing import assess_framing_from_dict
    from openamo.steering.text import render_framing

    run_command(source, as_json, assess_framing_from_dict, render_framing)


@app.command("pilotage")
def pilotage(source: str | None = FileArgument, as_json: bool = JsonOption) -> None:
    """Tableau de bord : évolutions et dérive, planning, risques et indicateurs à une date."""
    from openamo.steering.report import steering_report_from_dict
    from openamo.steering.text import render_report

    run_command(source, as_json, steering_report_from_dict, render_report)


@app.command("rapport")
def rapport(
    source: str | None = FileArgument,
    out: str = typer.Option(..., "--out", "-o", help="Fichier produit : .docx ou .pdf"),
    as_json: bool = JsonOption,
) -> None:
    """Rapport du comité de pilotage (DOCX ou PDF) : synthèse, décisions attendues, évolutions,
    planning, indicateurs, risques et coût de la dérive."""
    from openamo.documents.pilotage import render_summary, write_steering_report_from_dict

    run_command(
        source, as_json, lambda data: write_steering_report_from_dict(data, out), render_summary
    )
