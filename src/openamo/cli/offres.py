"""``amo offres``: score and rank offers, write the rapport d'analyse des offres."""

from __future__ import annotations

from typing import Any

import typer

from openamo.cli._io import FileArgument, JsonOption, run_command

app = typer.Typer(
    help="Notation et classement des offres, rapport d'analyse des offres.", add_completion=False
)


@app.callback()
def _group() -> None:
    """Analyse des candidatures et des offres."""


@app.command("score")
def score(source: str | None = FileArgument, as_json: bool = JsonOption) -> None:
    """Note, classe les offres et signale les offres anormalement basses (JSON en entrée)."""
    from openamo.award import score_offers_from_dict
    from openamo.award.text import render_text

    run_command(source, as_json, score_offers_from_dict, render_text)


@app.command("rapport")
def rapport(
    source: str = typer.Argument(
        ..., metavar="FICHIER", help="Fichier JSON de l'analyse (ou « - »)."
    ),
    out: str = typer.Option(..., "--out", help="Fichier produit : .docx ou .pdf"),
    as_json: bool = JsonOption,
) -> None:
    """Rédige le rapport d'analyse des offres en DOCX ou PDF."""
    from openamo.documents.dce import render_files
    from openamo.documents.rapport import write_report_from_dict

    def compute(data: Any) -> Any:
        return write_report_from_dict(data, out)

    run_command(source, as_json, compute, render_files)
