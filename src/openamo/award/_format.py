"""French display of numbers in explanations (amounts use :func:`openamo.money.format_euros`)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def fr_number(value: Decimal, places: int = 2) -> str:
    quantum = Decimal(1).scaleb(-places)
    text = f"{value.quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def fr_percent(fraction: Decimal, places: int = 2) -> str:
    """``Decimal("0.3125")`` → ``"31,25 %"``."""
    return f"{fr_number(fraction * 100, places)}\u00a0%"


def fr_plain(value: Decimal) -> str:
    """A coefficient as written in French: ``Decimal("0.90")`` → ``"0,9"``."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")
