"""``amo attribution calendrier``: every date from the award decision to the notification."""

from __future__ import annotations

import typer

from openamo.cli._io import FileArgument, JsonOption, run_command

app = typer.Typer(help="Après l'attribution : délai de suspension, signature, avis, recours.")


@app.callback()
def _group() -> None:
    """Achèvement de la procédure après la décision d'attribution."""


@app.command("calendrier")
def calendrier(source: str | None = FileArgument, as_json: bool = JsonOption) -> None:
    """Dates de la décision d'attribution à la notification, avis, données essentielles, recours."""
    from openamo.award.calendar import award_calendar_from_dict
    from openamo.award.text import render_calendar

    run_command(source, as_json, award_calendar_from_dict, render_calendar)
