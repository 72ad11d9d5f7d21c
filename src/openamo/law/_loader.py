"""Reads ``parameters/**/*.yaml`` into :class:`Parameter` objects, failing loudly on bad files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from openamo.errors import LawDataError
from openamo.law._model import UNITS, DatedValue, Parameter, Scalar

PARAMETERS_DIR = Path(__file__).parent / "parameters"


def load_tree(root: Path = PARAMETERS_DIR) -> dict[str, Parameter]:
    """Every parameter under ``root``, keyed by its dotted path (the folder tree is the taxonomy)."""
    parameters: dict[str, Parameter] = {}
    for file in sorted(root.rglob("*.yaml")):
        if file.name == "index.yaml":
            continue
        relative = file.relative_to(root).with_suffix("")
        path = ".".join(relative.parts)
        parameters[path] = load_parameter(file, path)
    if not parameters:
        raise LawDataError(f"Aucun paramètre juridique trouvé dans {root}.", code="law_data")
    return parameters


def load_parameter(file: Path, path: str) -> Parameter:
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LawDataError(f"Fichier de paramètre illisible {file.name} : {exc}") from exc
    except ValueError as exc:  # YAML timestamps such as 2020-13-01 fail while being built
        raise LawDataError(f"{file.name} : date invalide ({exc}).") from exc
    if not isinstance(raw, Mapping):
        raise LawDataError(f"{file.name} : le fichier doit contenir un dictionnaire YAML.")
    return _parse_parameter(raw, path, file.name)


def _parse_parameter(raw: Mapping[str, Any], path: str, name: str) -> Parameter:
    description = raw.get("description")
    if not isinstance(description, str) or not description.strip():
        raise LawDataError(f"{name} : « description » manquante.")
    metadata = raw.get("metadata") or {}
    unit = metadata.get("unit")
    if unit not in UNITS:
        raise LawDataError(f"{name} : unité « {unit} » inconnue (attendu : {', '.join(UNITS)}).")
    values_raw = raw.get("values")
    if not isinstance(values_raw, Mapping) or not values_raw:
        raise LawDataError(f"{name} : « values » doit lister au moins une valeur datée.")
    starts = sorted(values_raw, key=lambda key: _as_date(key, name, "values"))
    values: list[DatedValue] = []
    for position, key in enumerate(starts):
        start = _as_date(key, name, "values")
        next_start = (
            _as_date(starts[position + 1], name, "values") if position + 1 < len(starts) else None
        )
        values.append(_parse_value(values_raw[key], start, next_start, unit, name))
    return Parameter(
        path=path,
        description=description.strip(),
        unit=unit,
        values=tuple(values),
        last_value_still_valid_on=_optional_date(
            metadata.get("last_value_still_valid_on"), name, "last_value_still_valid_on"
        ),
        reference_url=metadata.get("reference_url"),
        documentation=raw.get("documentation"),
    )


def _parse_value(
    raw: Any, start: dt.date, next_start: dt.date | None, unit: str, name: str
) -> DatedValue:
    where = f"{name} [{start.isoformat()}]"
    if not isinstance(raw, Mapping) or "value" not in raw:
        raise LawDataError(f"{where} : chaque date doit porter « value » et « reference ».")
    reference = raw.get("reference")
    if not isinstance(reference, str) or not reference.strip():
        raise LawDataError(f"{where} : « reference » (article et texte) manquante.")
    until = _optional_date(raw.get("until"), name, "until")
    implicit_until = next_start - dt.timedelta(days=1) if next_start else None
    if until is not None:
        if until < start or (implicit_until is not None and until > implicit_until):
            raise LawDataError(f"{where} : « until » ({until}) incohérent avec les autres dates.")
    else:
        until = implicit_until
    return DatedValue(
        start=start,
        until=until,
        value=_convert(raw["value"], unit, where),
        reference=reference.strip(),
        source=raw.get("source"),
        official_journal_date=_optional_date(
            raw.get("official_journal_date"), name, "official_journal_date"
        ),
        note=raw.get("note"),
    )


def _convert(value: Any, unit: str, where: str) -> Scalar | None:
    if value is None:
        return None
    if unit == "bool":
        if not isinstance(value, bool):
            raise LawDataError(f"{where} : valeur booléenne attendue, reçu « {value} ».")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise LawDataError(f"{where} : valeur numérique attendue, reçu « {value} ».")
    if unit in {"day", "month", "year", "count"}:
        if not isinstance(value, int):
            raise LawDataError(f"{where} : nombre entier attendu, reçu « {value} ».")
        return value
    try:
        # str() first: a YAML float such as 0.2 must become Decimal("0.2"), not its binary image.
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise LawDataError(f"{where} : nombre attendu, reçu « {value} ».") from exc


def _as_date(key: Any, name: str, field: str) -> dt.date:
    if isinstance(key, dt.datetime):
        return key.date()
    if isinstance(key, dt.date):
        return key
    if isinstance(key, str):
        try:
            return dt.date.fromisoformat(key)
        except ValueError:
            pass
    raise LawDataError(f"{name} : date invalide « {key} » dans « {field} » (attendu AAAA-MM-JJ).")


def _optional_date(value: Any, name: str, field: str) -> dt.date | None:
    return None if value is None else _as_date(value, name, field)
