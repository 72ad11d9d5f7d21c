"""French display of percentages (amounts use :func:`openamo.money.format_euros`)."""

from __future__ import annotations

from decimal import Decimal

from openamo.money import format_percent

fr_percent = format_percent


def fr_rate(rate: Decimal) -> str:
    """A legal rate stored as a fraction, for people: ``Decimal("0.15")`` → ``"15 %"``."""
    value = (rate * 100).normalize()
    text = f"{value:f}".replace(".", ",")
    return text + "\u00a0%"
