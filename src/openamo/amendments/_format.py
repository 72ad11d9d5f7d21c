"""French display of percentages (amounts use :func:`openamo.money.format_euros`)."""

from __future__ import annotations

from decimal import Decimal


def fr_percent(value: Decimal) -> str:
    """``Decimal("12.50")`` → ``"12,50 %"`` (non-breaking space before the sign)."""
    return f"{value:.2f}".replace(".", ",") + "\u00a0%"


def fr_rate(rate: Decimal) -> str:
    """A legal rate stored as a fraction, for people: ``Decimal("0.15")`` → ``"15 %"``."""
    value = (rate * 100).normalize()
    text = f"{value:f}".replace(".", ",")
    return text + "\u00a0%"
