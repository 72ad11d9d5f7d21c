"""``amo law show``: the legal figures in force at a date, with their references."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import typer

from openamo.cli._io import JsonOption, dump_json, fail
from openamo.errors import OpenAMOError

PARIS = ZoneInfo("Europe/Paris")

app = typer.Typer(help="Paramètres juridiques datés (seuils, taux, délais).", add_completion=False)


@app.callback()
def _group() -> None:
    """Le droit sous forme de données datées."""


@app.command("show")
def show(
    date: str | None = typer.Option(None, "--date", help="Date AAAA-MM-JJ (défaut : aujourd'hui)."),
    prefix: str | None = typer.Option(None, "--prefix", help="Filtre, ex. procurement.thresholds"),
    as_json: bool = JsonOption,
) -> None:
    """Liste les chiffres en vigueur à une date avec leurs références."""
    from openamo import law

    try:
        day = dt.date.fromisoformat(date) if date else dt.datetime.now(tz=PARIS).date()
    except ValueError:
        fail(OpenAMOError(f"Date invalide « {date} » (attendu AAAA-MM-JJ)."), as_json)
    try:
        rows = [
            (param, value)
            for param, value in law.at(day).in_force()
            if not prefix or param.path.startswith(prefix)
        ]
    except OpenAMOError as exc:
        fail(exc, as_json)
    if as_json:
        typer.echo(
            dump_json(
                {
                    "date": day.isoformat(),
                    "parameters": [
                        {
                            "path": param.path,
                            "description": param.description,
                            "value": str(value.value),
                            "unit": param.unit,
                            "start": value.start.isoformat(),
                            "until": value.until.isoformat() if value.until else None,
                            "reference": value.reference,
                        }
                        for param, value in rows
                    ],
                }
            )
        )
        return
    typer.echo(f"Paramètres en vigueur le {day:%d/%m/%Y} ({len(rows)}) :")
    for param, value in rows:
        until = f" jusqu'au {value.until:%d/%m/%Y}" if value.until else ""
        typer.echo(
            f"- {param.path} = {value.value} {law.UNITS[param.unit]} "
            f"(depuis le {value.start:%d/%m/%Y}{until})\n    {param.description}\n"
            f"    {value.reference}"
        )
