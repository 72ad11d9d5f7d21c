"""``amo attribution calendrier``: every date from the award decision to the notification;
``amo attribution lettres``: the letters of the procedure (DOCX and PDF)."""

from __future__ import annotations

from pathlib import Path

import typer

from openamo.cli._io import FileArgument, JsonOption, run_command

app = typer.Typer(
    help="Après l'attribution : délai de suspension, signature, avis, recours.",
    add_completion=False,
)


@app.callback()
def _group() -> None:
    """Achèvement de la procédure après la décision d'attribution."""


@app.command("calendrier")
def calendrier(source: str | None = FileArgument, as_json: bool = JsonOption) -> None:
    """Dates de la décision d'attribution à la notification, avis, données essentielles, recours."""
    from openamo.award.calendar import award_calendar_from_dict
    from openamo.award.text import render_calendar

    run_command(source, as_json, award_calendar_from_dict, render_calendar)


OutDirOption = typer.Option(..., "--out", "-o", help="Dossier où écrire les lettres (DOCX et PDF).")


@app.command("lettres")
def lettres(
    source: str | None = FileArgument, out: Path = OutDirOption, as_json: bool = JsonOption
) -> None:
    """Lettres de la procédure : compléments de candidature, offre anormalement basse, rejet,
    attribution (DOCX et PDF)."""
    from openamo.documents.letters import make_letters_from_dict, render_summary

    run_command(source, as_json, lambda data: make_letters_from_dict(data, out), render_summary)
