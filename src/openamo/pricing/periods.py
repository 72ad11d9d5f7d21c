"""Periods of index series: months ``2024-01``, quarters ``2024-T1`` and years ``2024``.

Official series come in many spellings (INSEE ``2024-01``, ``01/2024``, ``2024M01``, ``janv. 2024``,
``2024-01-01``…); :func:`parse_period` reads them all into one canonical key.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

_MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "mar": 3,
    "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8,
    "septembre": 9, "sept": 9, "sep": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11,
    "decembre": 12, "dec": 12,
}  # fmt: skip

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(\d{4})[-/.]?m?(\d{1,2})$"), "ym"),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), "ymd"),
    (re.compile(r"^(\d{1,2})[/.-](\d{4})$"), "my"),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), "dmy"),
    (re.compile(r"^(\d{4})[-/ ]?[tq](\d)$"), "yq"),
    (re.compile(r"^[tq](\d)[-/ ]?(\d{4})$"), "qy"),
    (re.compile(r"^(\d{4})$"), "y"),
    (re.compile(r"^([a-z]+)\.?[ -]?(\d{4})$"), "namey"),
)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _month(year: int, month: int) -> str | None:
    return f"{year:04d}-{month:02d}" if 1 <= month <= 12 and 1900 <= year <= 2200 else None


def _quarter(year: int, quarter: int) -> str | None:
    return f"{year:04d}-T{quarter}" if 1 <= quarter <= 4 and 1900 <= year <= 2200 else None


def _from_match(kind: str, groups: tuple[str, ...]) -> str | None:
    if kind == "ym":
        return _month(int(groups[0]), int(groups[1]))
    if kind in {"ymd", "dmy"}:
        parts = groups if kind == "ymd" else (groups[2], groups[1], groups[0])
        year, month, day = (int(part) for part in parts)
        try:
            date(year, month, day)
        except ValueError:
            return None
        return _month(year, month)
    if kind == "my":
        return _month(int(groups[1]), int(groups[0]))
    if kind == "yq":
        return _quarter(int(groups[0]), int(groups[1]))
    if kind == "qy":
        return _quarter(int(groups[1]), int(groups[0]))
    if kind == "y":
        year = int(groups[0])
        return f"{year:04d}" if 1900 <= year <= 2200 else None
    number = _MONTHS.get(groups[0])
    return _month(int(groups[1]), number) if number else None


def parse_period(text: str) -> str | None:
    """Canonical period key (``2024-01``, ``2024-T1``, ``2024``) or None when unreadable."""
    folded = _fold(text).strip('"').strip()
    for pattern, kind in _PATTERNS:
        found = pattern.match(folded)
        if found:
            return _from_match(kind, found.groups())
    return None


def frequency(period: str) -> str:
    if "-T" in period:
        return "trimestrielle"
    return "mensuelle" if "-" in period else "annuelle"


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def first_day(period: str) -> date:
    """The first day of a canonical period: ``2025-06`` → 1 June 2025, ``2025-T3`` → 1 July
    2025, ``2025`` → 1 January 2025 (the mois zéro of a formula given as its index month)."""
    year, _, rest = period.partition("-")
    if not rest:
        return date(int(year), 1, 1)
    if rest.startswith("T"):
        return date(int(year), 3 * int(rest[1:]) - 2, 1)
    return date(int(year), int(rest), 1)
