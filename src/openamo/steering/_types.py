"""Decimal types of the steering contract: fractions in input, decimal strings in output."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer

from openamo.errors import OpenAMOError
from openamo.money import to_cents
from openamo.validation import MAX_AMOUNT

_NUMBER_RE = re.compile(r"^-?\d+(?:[.,]\d+)?$")
_LIMIT = Decimal(1_000_000)


def _parse_decimal(value: Any, limit: Decimal = _LIMIT) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("nombre attendu, pas un booléen")
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(str(value))
    elif isinstance(value, str):
        text = value.strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
        percent = text.endswith("%")
        text = text.removesuffix("%")
        if not _NUMBER_RE.match(text):
            raise ValueError(f"nombre invalide « {value} » (attendu par exemple « 0.10 »)")
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation as exc:  # pragma: no cover - the regex already filters
            raise ValueError(f"nombre invalide « {value} »") from exc
        if percent:
            number = number / 100
    else:
        raise ValueError("nombre attendu sous forme de chaîne, par exemple « 0.10 »")
    if not number.is_finite() or abs(number) >= limit:
        raise ValueError("nombre hors limites")
    return number


def _parse_measure(value: Any) -> Decimal:
    return _parse_decimal(value, MAX_AMOUNT)


def format_decimal(value: Decimal) -> str:
    """Plain positional notation, never an exponent ("0.1", "12.50")."""
    text = format(value, "f")
    return "0" if text in {"-0", "-0.0"} else text


Fraction = Annotated[
    Decimal,
    BeforeValidator(_parse_decimal),
    PlainSerializer(format_decimal, return_type=str),
]
"""A rate written as a fraction ("0.10" = 10 %); "10 %" is also read as 0.10."""

Measure = Annotated[
    Decimal,
    BeforeValidator(_parse_measure),
    PlainSerializer(format_decimal, return_type=str),
]
"""A KPI value in its own unit (days, %, euros…), up to the contract's amount limit."""

DecimalText = Annotated[Decimal, PlainSerializer(format_decimal, return_type=str)]
"""An output number (percent, ratio, probability) written as a decimal string."""


def quantize(value: Decimal, places: int) -> Decimal:
    """Round half up to ``places`` decimals (explicit rounding of every displayed figure)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percent_of(part: Decimal, whole: Decimal, places: int = 2) -> Decimal:
    """``part`` as a percentage of ``whole``; 0 when ``whole`` is 0."""
    if whole == 0:
        return Decimal(0)
    return quantize(part * 100 / whole, places)


def french_number(value: Decimal, places: int = 2) -> str:
    """``12,5`` style: French decimal comma, trailing zeros kept to ``places``."""
    return f"{quantize(value, places):,.{places}f}".replace(",", "\u202f").replace(".", ",")


def french_percent(fraction: Decimal, places: int = 2) -> str:
    """A fraction shown as a French percentage: 0.2666… → « 26,67 % », 0.1 → « 10 % »."""
    text = french_number(fraction * 100, places)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return f"{text}\u00a0%"


def bounded_amount(value: Decimal, what: str = "montant") -> Decimal:
    """``value`` rounded to the cent, or a French error when it leaves the contract's limits."""
    if not value.is_finite() or abs(value) >= MAX_AMOUNT:
        raise OpenAMOError(
            f"{what.capitalize()} hors limites ({MAX_AMOUNT:.0e} €) : vérifiez les montants et "
            "les taux saisis.",
            code="out_of_range",
        )
    return to_cents(value)
