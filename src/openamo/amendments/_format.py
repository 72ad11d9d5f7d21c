"""French display of legal rates (percentages use :func:`openamo.money.format_percent`, amounts
:func:`openamo.money.format_euros`)."""

from __future__ import annotations

from decimal import Decimal


def fr_rate(rate: Decimal) -> str:
    """A legal rate stored as a fraction, for people: ``Decimal("0.15")`` → ``"15 %"``."""
    value = (rate * 100).normalize()
    text = f"{value:f}".replace(".", ",")
    return text + "\u00a0%"
