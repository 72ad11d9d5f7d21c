"""Decimal input types and formatting shared by the pricing models (no float ever)."""

from __future__ import annotations

import re
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer

_NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$")
_LIMIT = Decimal("1e12")


def parse_decimal(value: Any, what: str = "nombre", example: str = "0.15") -> Decimal:
    """A finite Decimal from a JSON string or number; ``,`` or ``.`` as decimal separator."""
    if isinstance(value, bool):
        raise ValueError(f"{what} attendu, pas un booléen")
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(str(value))
    elif isinstance(value, str):
        text = value.strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
        if not _NUMBER_RE.match(text):
            raise ValueError(f"{what} invalide « {value} » (attendu par exemple « {example} »)")
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation as exc:  # pragma: no cover - the regex filters first
            raise ValueError(f"{what} invalide « {value} »") from exc
    else:
        raise ValueError(f"{what} attendu sous forme de chaîne, par exemple « {example} »")
    if not number.is_finite() or abs(number) >= _LIMIT:
        raise ValueError(f"{what} hors limites")
    return number


def format_decimal(number: Decimal) -> str:
    """Shortest plain notation: ``Decimal('1.0850')`` → ``"1.085"``, never an exponent."""
    text = f"{number.normalize():f}"
    return "0" if text in {"-0", ""} else text


def _share(value: Any) -> Decimal:
    number = parse_decimal(value, "part")
    if not Decimal(0) <= number <= Decimal(1):
        raise ValueError("part attendue entre 0 et 1 (par exemple « 0.15 » pour 15 %)")
    return number


def _index(value: Any) -> Decimal:
    number = parse_decimal(value, "valeur d'indice", "131.4")
    if number <= 0:
        raise ValueError("une valeur d'indice doit être strictement positive")
    return number


def _percent(value: Any) -> Decimal:
    number = parse_decimal(value, "pourcentage", "2.15")
    if not Decimal(-100) <= number <= Decimal(1000):
        raise ValueError("pourcentage hors limites")
    return number


_DECIMAL_OUT = PlainSerializer(format_decimal, return_type=str)

Share = Annotated[Decimal, BeforeValidator(_share), _DECIMAL_OUT]
"""A fraction between 0 and 1 (weight of a term, fixed part), written "0.15"."""

IndexValue = Annotated[Decimal, BeforeValidator(_index), _DECIMAL_OUT]
"""A strictly positive index value ("131.4")."""

Percent = Annotated[Decimal, BeforeValidator(_percent), _DECIMAL_OUT]
"""A percentage ("3.15" for 3,15 %)."""

DecimalOut = Annotated[Decimal, _DECIMAL_OUT]
"""Any computed decimal, written in its shortest plain form."""


def round_to(number: Decimal, places: int, mode: str = "au_plus_proche") -> Decimal:
    """Round to ``places`` decimals: half up (``au_plus_proche``), up or down."""
    quantum = Decimal(1).scaleb(-places)
    rounding = {"au_plus_proche": ROUND_HALF_UP, "superieur": ROUND_CEILING}.get(mode, ROUND_FLOOR)
    return number.quantize(quantum, rounding=rounding)


def fixed(number: Decimal, places: int) -> str:
    """Half-up rounding to ``places`` decimals, written with exactly that many decimals."""
    return f"{round_to(number, places):.{places}f}"


def fr(number: Decimal, places: int | None = 2) -> str:
    """French display of a number: ``12,50`` (``places`` decimals) or shortest form if None."""
    text = format_decimal(number) if places is None else fixed(number, places)
    return text.replace(".", ",")
