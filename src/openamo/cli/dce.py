"""``amo dce generate``: the consultation file (RC, AE, CCAP, CCTP, BPU/DQE) from one JSON."""

from __future__ import annotations

from typing import Any

import typer

from openamo.cli._io import JsonOption, run_command

app = typer.Typer(
    help="Génération du dossier de consultation des entreprises (DCE).", add_completion=False
)


@app.callback()
def _group() -> None:
    """Dossier de consultation des entreprises."""


@app.command("generate")
def generate(
    source: str = typer.Argument(
        ..., metavar="FICHIER", help="Fichier JSON de la consultation (ou « - »)."
    ),
    out: str = typer.Option(
        ..., "--out", help="Dossier où écrire les documents, ou fichier .zip du DCE entier."
    ),
    as_zip: bool = typer.Option(False, "--zip", help="Écrire le DCE en un seul fichier ZIP."),
    as_json: bool = JsonOption,
) -> None:
    """Vérifie la consultation puis écrit RC, AE, CCAP, CCTP (DOCX) et BPU/DQE (XLSX)."""
    from openamo.documents.dce import generate_dce_from_dict, render_files, write_dce_archive

    def compute(data: Any) -> Any:
        if as_zip or out.lower().endswith(".zip"):
            target = out if out.lower().endswith(".zip") else f"{out.rstrip('/')}/DCE.zip"
            return write_dce_archive(data, target)
        return generate_dce_from_dict(data, out)

    run_command(source, as_json, compute, render_files)
