"""``amo egalim``: EGAlim ratios, import of ma cantine purchase files, exports, DQE forecast."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any, NoReturn

import typer

from openamo.catering.enums import CateringBuyer, Territory
from openamo.cli._io import FileArgument, JsonOption, dump_json, fail, run_command
from openamo.errors import OpenAMOError

app = typer.Typer(
    help="Ratios EGAlim de la restauration collective (ma cantine).", add_completion=False
)

CsvArgument = typer.Argument(
    ..., metavar="FICHIER", help="Fichier CSV d'achats au format ma cantine."
)
BuyerOption = typer.Option(
    CateringBuyer.AUTRE.value,
    "--acheteur",
    help="Restauration de l'État, d'un de ses établissements publics ou d'une entreprise "
    "publique nationale : objectif de 100 % des viandes et poissons.",
)
TerritoryOption = typer.Option(
    Territory.METROPOLE.value, "--territoire", help="Territoire : paliers de l'outre-mer."
)


def _choice(enum: type[CateringBuyer] | type[Territory], value: str, option: str) -> Any:
    """The option's value, or a French error listing the accepted ones (exit 2)."""
    try:
        return enum(value)
    except ValueError:
        accepted = ", ".join(f"« {member.value} »" for member in enum)
        raise OpenAMOError(
            f"Valeur « {value} » non reconnue pour {option} (valeurs possibles : {accepted}).",
            code="invalid_option",
        ) from None


PartialOption = typer.Option(
    False, "--partial", help="Importer les lignes valides et signaler les autres (sinon : rien)."
)


class ExportFormat(StrEnum):
    ACHATS = "achats"
    BILAN = "bilan"


FormatOption = typer.Option(
    ExportFormat.ACHATS, "--format", help="achats : fichier d'achats ; bilan : bilan simplifié."
)


@app.callback()
def _group() -> None:
    """Ratios EGAlim de la restauration collective."""


def _read_bytes(path: str) -> bytes:
    file = Path(path)
    if not file.is_file():
        raise OpenAMOError(f"Fichier introuvable : « {path} ».", code="file_not_found")
    try:
        return file.read_bytes()
    except OSError as exc:
        raise OpenAMOError(f"Lecture impossible : {exc.strerror}.", code="io") from None


def _fail(exc: OpenAMOError, as_json: bool) -> NoReturn:
    fail(exc, as_json)


@app.command("ratios")
def ratios(source: str | None = FileArgument, as_json: bool = JsonOption) -> None:
    """Ratios EGAlim : produits durables et de qualité, dont bio, viandes et poissons."""
    from openamo.catering import ratios_from_dict
    from openamo.catering.text import render_ratios

    run_command(source, as_json, ratios_from_dict, render_ratios)


@app.command("import")
def import_(
    path: str = CsvArgument,
    as_json: bool = JsonOption,
    partial: bool = PartialOption,
    buyer: str = BuyerOption,
    territory: str = TerritoryOption,
) -> None:
    """Importe un fichier d'achats ma cantine et calcule les ratios ; liste chaque ligne invalide."""
    from openamo.catering import import_purchases
    from openamo.catering.text import render_import

    try:
        result = import_purchases(
            _read_bytes(path),
            partial=partial,
            buyer=_choice(CateringBuyer, buyer, "--acheteur"),
            territory=_choice(Territory, territory, "--territoire"),
        )
    except OpenAMOError as exc:
        _fail(exc, as_json)
    typer.echo(dump_json(result.model_dump(mode="json")) if as_json else render_import(result))


@app.command("export")
def export(
    path: str = CsvArgument,
    format_: ExportFormat = FormatOption,
    partial: bool = PartialOption,
) -> None:
    """Réécrit un fichier d'achats au format d'import ma cantine, ou en bilan annuel simplifié."""
    from openamo.catering import declaration_csv, parse_purchases, purchases_csv
    from openamo.catering.purchases import reject

    try:
        parsed = parse_purchases(_read_bytes(path))
        if parsed.errors and not partial:
            raise reject(parsed)
        if format_ is ExportFormat.BILAN:
            text = declaration_csv(parsed.purchases)
        else:
            text = purchases_csv(parsed.purchases, by_id=parsed.format == "achats_id")
    except OpenAMOError as exc:
        _fail(exc, False)
    typer.echo(text, nl=False)


@app.command("prevision")
def prevision(source: str | None = FileArgument, as_json: bool = JsonOption) -> None:
    """Prévision des ratios EGAlim à partir d'un DQE de restauration (avant attribution)."""
    from openamo.catering import forecast_from_dict
    from openamo.catering.text import render_forecast

    run_command(source, as_json, forecast_from_dict, render_forecast)
