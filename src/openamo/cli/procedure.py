"""``amo procedure choose``: which procedure, publicity and deadlines for a purchase."""

from __future__ import annotations

import typer

from openamo.cli._io import FileArgument, JsonOption, run_command

app = typer.Typer(help="Valeur estimée, choix de la procédure, publicité et délais minimaux.")


@app.callback()
def _group() -> None:
    """Choix de la procédure de passation."""


@app.command("choose")
def choose(source: str | None = FileArgument, as_json: bool = JsonOption) -> None:
    """Choisit la procédure d'un achat à partir d'un JSON (date, acheteur, nature, montant…)."""
    from openamo.procurement import choose_procedure_from_dict
    from openamo.procurement.text import render_text

    run_command(source, as_json, choose_procedure_from_dict, render_text)
