"""``amo avenant check|document``: legal check of a contract modification, and the avenant."""

from __future__ import annotations

from pathlib import Path

import typer

from openamo.cli._io import FileArgument, JsonOption, run_command

app = typer.Typer(
    help="Contrôle et rédaction des avenants (CCP L2194-1, R2194-1 … R2194-10).",
    add_completion=False,
)


@app.callback()
def _group() -> None:
    """Modification des marchés en cours d'exécution."""


@app.command("check")
def check(source: str | None = FileArgument, as_json: bool = JsonOption) -> None:
    """Vérifie qu'une modification est permise, sur quelle base, et les formalités qui suivent."""
    from openamo.amendments import check_amendment_from_dict
    from openamo.amendments.text import render_text

    run_command(source, as_json, check_amendment_from_dict, render_text)


OutOption = typer.Option(..., "--out", "-o", help="Fichier produit : .docx ou .pdf.")


@app.command("document")
def document(
    source: str | None = FileArgument, out: Path = OutOption, as_json: bool = JsonOption
) -> None:
    """Rédige l'avenant (contenu du formulaire EXE10) en DOCX ou en PDF."""
    from openamo.documents.avenant import make_avenant_from_dict, render_summary

    run_command(source, as_json, lambda data: make_avenant_from_dict(data, out), render_summary)
