"""``amo prix``: price revision / actualisation and index series import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from openamo.cli._io import FileArgument, JsonOption, fail, read_json, run_command
from openamo.errors import OpenAMOError

app = typer.Typer(
    help="Actualisation et révision des prix, séries d'indices.", add_completion=False
)

SerieOption = typer.Option(
    None,
    "--serie",
    help="Fichier CSV d'une série d'indices (période;valeur) ; son nom est celui du fichier "
    "sans extension. Répétable.",
)


@app.callback()
def _group() -> None:
    """Actualisation et révision des prix."""


def _read_series(path: str) -> tuple[str, Any]:
    from openamo.pricing import read_index_series

    file = Path(path)
    if not file.is_file():
        raise OpenAMOError(f"Fichier introuvable : « {path} ».", code="file_not_found")
    return file.stem, read_index_series(file.read_bytes(), file.stem)


@app.command("revision")
def revision(
    source: str | None = FileArgument,
    as_json: bool = JsonOption,
    serie: list[str] | None = SerieOption,
) -> None:
    """Calcule P = P0 × (a + Σ bᵢ × Iᵢ/I₀ᵢ) à partir d'un JSON (prix, partie fixe, termes)."""
    from openamo.pricing import revise_from_dict
    from openamo.pricing.text import render_revision

    def compute(data: Any) -> Any:
        if serie and isinstance(data, dict):
            series = dict(data.get("series") or {}) if isinstance(data.get("series"), dict) else {}
            for path in serie:
                name, result = _read_series(path)
                series[name] = {k: str(v) for k, v in result.values.items()}
            data = {**data, "series": series}
        return revise_from_dict(data)

    run_command(source, as_json, compute, render_revision)


@app.command("indices")
def indices(
    path: str = typer.Argument(..., metavar="FICHIER", help="Fichier CSV de la série"),
    as_json: bool = JsonOption,
) -> None:
    """Lit une série d'indices officielle (CSV INSEE ou tableur) et la contrôle ligne à ligne."""
    from openamo.cli._io import dump_json
    from openamo.pricing.text import render_series

    try:
        _, result = _read_series(path)
    except OpenAMOError as exc:
        fail(exc, as_json)
    except OSError as exc:
        fail(OpenAMOError(f"Lecture impossible : {exc.strerror}.", code="io"), as_json)
    payload = result.model_dump(mode="json")
    typer.echo(dump_json(payload) if as_json else render_series(result))


__all__ = ["app", "read_json"]
