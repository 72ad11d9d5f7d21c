"""``amo procedure choose``: which procedure, publicity and deadlines for a purchase."""

from __future__ import annotations

import typer

from openamo.cli._io import FileArgument, JsonOption, run_command

app = typer.Typer(
    help="Valeur estimée, choix de la procédure, publicité et délais minimaux.",
    add_completion=False,
)


@app.callback()
def _group() -> None:
    """Choix de la procédure de passation."""


@app.command("choose")
def choose(source: str | None = FileArgument, as_json: bool = JsonOption) -> None:
    """Choisit la procédure d'un achat à partir d'un JSON (date, acheteur, nature, montant…)."""
    from openamo.procurement import choose_procedure_from_dict
    from openamo.procurement.text import render_text

    run_command(source, as_json, choose_procedure_from_dict, render_text)


@app.command("sans-concurrence")
def sans_concurrence(source: str | None = FileArgument, as_json: bool = JsonOption) -> None:
    """Marché sans publicité ni mise en concurrence (R2122-1 à R2122-11) : conditions, limites."""
    from openamo.procurement.without_competition import (
        render_text,
        without_competition_from_dict,
    )

    run_command(source, as_json, without_competition_from_dict, render_text)
