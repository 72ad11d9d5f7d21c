"""What every steering page writes the same way: amounts, numbers, measures, percentages, dates,
risk badges."""

from __future__ import annotations

import datetime
from decimal import Decimal

from openamo.money import format_euros
from openamo.steering.enums import (
    KpiDirection,
    RiskLevel,
)

RISK_BADGES = {
    RiskLevel.FAIBLE: "success",
    RiskLevel.MODERE: "info",
    RiskLevel.ELEVE: "warning",
    RiskLevel.CRITIQUE: "error",
}


def euros(amount: Decimal | str | None) -> str:
    return "—" if amount is None else format_euros(Decimal(amount))


def number(value: Decimal | str | int | None, places: int = 2) -> str:
    """French decimal display without useless zeros: « 12,5 », « 2 », « 1 234,56 »."""
    if value is None:
        return "—"
    amount = Decimal(value).quantize(Decimal(1).scaleb(-places))
    text = f"{amount:,.{places}f}".replace(",", "\u202f").replace(".", ",")
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def percent(value: Decimal | str | None, places: int = 2) -> str:
    """A value already in percent: « 6,32 % »."""
    return "—" if value is None else f"{number(value, places)}\u00a0%"


def fraction(value: Decimal | str | None, places: int = 2) -> str:
    """A fraction shown as a percentage: 0.1 → « 10 % »."""
    return "—" if value is None else percent(Decimal(value) * 100, places)


def day(value: datetime.date | str | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return f"{value:%d/%m/%Y}"


def direction_label(value: KpiDirection) -> str:
    return "hausse" if value is KpiDirection.HAUSSE else "baisse"


def measure(value: Decimal | str | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{number(value)}\u00a0{unit}".strip() if unit else number(value)
