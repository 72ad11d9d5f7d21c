"""Import of official index series (INSEE-like CSV: ``période;valeur``), tolerant of messy files.

Accepted: UTF-8 (with or without BOM) or Windows-1252/ISO-8859-1; ``;``, tab or ``,`` separators;
decimal comma; thin or no-break spaces as thousands separators; quoted cells; INSEE "BDM" exports
with their title lines (``Libellé``, ``idBank``, ``Dernière mise à jour``, ``Période``) and a
status column (``A`` définitive, ``P`` provisoire, ``R`` révisée); newest-first ordering; periods
written ``2024-01``, ``01/2024``, ``2024M01``, ``janv. 2024``, ``2024-01-01``, ``2024-T1``.
Lines before the first data line are titles; any unreadable line after it is an error, and a file
with errors is rejected as a whole, every bad line listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import Field

from openamo.errors import ErrorDetail, OpenAMOError
from openamo.pricing._decimals import DecimalOut, format_decimal, parse_decimal
from openamo.pricing.periods import frequency, parse_period
from openamo.validation import OutputModel, csv_records
from openamo.wording import count

MAX_BYTES = 20 * 1024 * 1024
PROVISIONAL_CODES = {"p", "provisoire"}
REFERENCES = [
    "CCP R2112-13 (formule de révision fondée sur des indices représentatifs du coût)",
    "CCP R2112-14 (référence aux indices officiels de prix des matières premières)",
]


class IndexSeriesResult(OutputModel):
    name: str
    frequency: str | None
    count: int
    first_period: str | None
    last_period: str | None
    values: dict[str, DecimalOut]
    provisional: list[str]
    encoding: str
    separator: str
    skipped_title_lines: int
    warnings: list[str] = Field(default_factory=list)
    references: list[str] = Field(default_factory=lambda: list(REFERENCES))
    explanation: str = ""


@dataclass
class _Reading:
    values: dict[str, Decimal] = field(default_factory=dict)
    provisional: set[str] = field(default_factory=set)
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    titles: int = 0


def decode(content: bytes) -> tuple[str, str]:
    """Text and encoding name: UTF-8 first, then Windows-1252, then ISO-8859-1 (never fails)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(
                encoding
            ), "UTF-8" if encoding == "utf-8-sig" else "Windows-1252 (ISO-8859-1)"
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1"), "ISO-8859-1"


def _separator(lines: list[str]) -> str:
    sample = [line for line in lines if line.strip()][:50]
    for candidate in (";", "\t"):
        if sum(candidate in line for line in sample) >= max(1, len(sample) // 2):
            return candidate
    return ","


def read_index_series(content: bytes, name: str) -> IndexSeriesResult:
    """Parse a series file; raise one :class:`OpenAMOError` listing every bad line."""
    if len(content) > MAX_BYTES:
        raise OpenAMOError("Fichier d'indices trop volumineux (20 Mo au plus).", code="too_large")
    text, encoding = decode(content)
    lines = text.splitlines()
    separator = _separator(lines)
    reading = _Reading()
    for number, (_, cells) in enumerate(csv_records(lines, separator), start=1):
        _read_line(reading, number, [c.strip() for c in cells], separator)
    if reading.errors:
        raise _errors(reading.errors, name)
    if not reading.values:
        raise OpenAMOError(
            f"Aucune valeur d'indice lisible dans « {name} » (attendu : une ligne « période;valeur » "
            "par mois, par exemple « 2024-01;131,4 »).",
            code="empty_series",
        )
    return _result(name, reading, encoding, separator)


def _read_line(reading: _Reading, number: int, cells: list[str], separator: str) -> None:
    cells = [c.strip('"').strip() for c in cells]
    if not any(cells):
        return
    period = parse_period(cells[0])
    if period is None:
        if reading.values or reading.errors:
            reading.errors.append(_bad(number, "période", f"période illisible « {cells[0]} »"))
        else:
            reading.titles += 1
        return
    raw = _value_cell(cells, separator, reading)
    if raw is None or not raw:
        reading.warnings.append(f"Ligne {number} : pas de valeur pour {period}, ligne ignorée.")
        return
    try:
        value = parse_decimal(raw, "valeur d'indice", "131,4")
    except ValueError as exc:
        reading.errors.append(_bad(number, "valeur", str(exc)))
        return
    if value <= 0:
        reading.errors.append(_bad(number, "valeur", "une valeur d'indice doit être positive"))
        return
    _store(reading, number, period, value, cells[2:] if len(cells) > 2 else [])


def _value_cell(cells: list[str], separator: str, reading: _Reading) -> str | None:
    if len(cells) < 2:
        return None
    if separator == "," and len(cells) == 3 and cells[1].isdigit() and cells[2].isdigit():
        if not any("virgule décimale" in w.lower() for w in reading.warnings):
            reading.warnings.append(
                "Virgule décimale non protégée par des guillemets dans un fichier séparé par des "
                "virgules : « 131,4 » lu comme 131.4."
            )
        return f"{cells[1]}.{cells[2]}"
    return cells[1]


def _store(reading: _Reading, number: int, period: str, value: Decimal, rest: list[str]) -> None:
    known = reading.values.get(period)
    if known is not None and known != value:
        reading.errors.append(
            _bad(number, "période", f"{period} apparaît deux fois avec des valeurs différentes")
        )
        return
    reading.values[period] = value
    if rest and rest[0].lower() in PROVISIONAL_CODES:
        reading.provisional.add(period)


@dataclass(frozen=True)
class BadLine:
    """A line of a series file the importer refused: its number, the column, why (French)."""

    line: int
    column: str
    message: str


def bad_lines(error: OpenAMOError) -> list[BadLine]:
    """The lines :func:`read_index_series` refused, as its error lists them (the ``lines`` of
    its JSON); none for any other error."""
    return [
        BadLine(int(e["line"]), str(e["field"]), str(e["message"]))
        for e in error.extra.get("lines", [])
    ]


def _bad(line: int, column: str, message: str) -> dict[str, Any]:
    return {"line": line, "field": column, "message": message}


def _errors(errors: list[dict[str, Any]], name: str) -> OpenAMOError:
    return OpenAMOError(
        f"Le fichier d'indices « {name} » contient {count(len(errors), 'ligne invalide')} : "
        "rien n'a été importé.",
        code="invalid_file",
        details=[ErrorDetail(f"ligne {e['line']}, {e['field']}", e["message"]) for e in errors],
        extra={"lines": errors},
    )


def _result(name: str, reading: _Reading, encoding: str, separator: str) -> IndexSeriesResult:
    periods = sorted(reading.values)
    frequencies = {frequency(p) for p in periods}
    warnings = list(reading.warnings)
    if len(frequencies) > 1:
        warnings.append(f"Périodicités mélangées dans la série : {', '.join(sorted(frequencies))}.")
    if reading.provisional:
        warnings.append(
            "Valeurs provisoires (P) : "
            + ", ".join(sorted(reading.provisional))
            + " — une révision calculée sur une valeur provisoire doit être régularisée."
        )
    label = {";": "point-virgule", "\t": "tabulation", ",": "virgule"}[separator]
    explanation = (
        f"Série « {name} » : {count(len(periods), 'valeur')} {', '.join(sorted(frequencies))} de "
        f"{periods[0]} à {periods[-1]} (dernière valeur {format_decimal(reading.values[periods[-1]])}), "
        f"fichier {encoding} séparé par {label}, {count(reading.titles, 'ligne de titre ignorée', 'lignes de titre ignorées')}."
    )
    return IndexSeriesResult(
        name=name,
        frequency=frequencies.pop() if len(frequencies) == 1 else None,
        count=len(periods),
        first_period=periods[0],
        last_period=periods[-1],
        values={p: reading.values[p] for p in periods},
        provisional=sorted(reading.provisional),
        encoding=encoding,
        separator=label,
        skipped_title_lines=reading.titles,
        warnings=warnings,
        explanation=explanation,
    )


def canonical_series(values: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Series keyed by canonical periods (``01/2024`` → ``2024-01``); unreadable keys are errors."""
    canonical: dict[str, Decimal] = {}
    for key, value in values.items():
        period = parse_period(key)
        if period is None:
            raise OpenAMOError(
                f"Période illisible « {key} » dans une série d'indices (attendu « 2024-01 »).",
                details=[ErrorDetail("series", f"période « {key} »")],
            )
        canonical[period] = value
    return canonical


def value_at(values: Mapping[str, Decimal], period: str) -> Decimal | None:
    """The value of ``period`` in a canonical series, or None."""
    return values.get(period)
