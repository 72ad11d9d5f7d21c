"""Money is Decimal euros; rounding is always explicit and named."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
_FRENCH_SEPARATORS = str.maketrans({",": "\u202f", ".": ","})


def to_cents(amount: Decimal) -> Decimal:
    """Round to the cent, half up (the usual rule for amounts in public contracts)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def with_vat(amount_ht: Decimal, vat_rate_percent: Decimal) -> Decimal:
    """The TTC amount of ``amount_ht`` at ``vat_rate_percent`` (« 20 » for 20 %), to the cent."""
    return to_cents(amount_ht * (1 + vat_rate_percent / 100))


def format_amount(amount: Decimal) -> str:
    """JSON contract form: a string of decimal euros with two decimals ("120000.00")."""
    return f"{to_cents(amount):.2f}"


def format_cents(amount: Decimal) -> str:
    """French display without the unit: ``120 000,00`` (narrow no-break spaces as thousands
    separator), for a form field, a table cell whose header names the unit, a chart label."""
    return f"{to_cents(amount):,.2f}".translate(_FRENCH_SEPARATORS)


def format_euros(amount: Decimal) -> str:
    """French display: ``120 000,00 €`` with narrow no-break spaces as thousands separator."""
    return format_cents(amount) + "\u00a0€"


def percent(part: Decimal, whole: Decimal, places: int = 2) -> Decimal:
    """Share of ``part`` in ``whole`` in percent, rounded half up to ``places`` decimals."""
    if whole == 0:
        return Decimal(0)
    quantum = Decimal(1).scaleb(-places)
    return (part * 100 / whole).quantize(quantum, rounding=ROUND_HALF_UP)


def format_percent(value: Decimal) -> str:
    """French display of a percentage: ``Decimal("12.5")`` → ``12,50 %`` (no-break space)."""
    return f"{value:.2f}".replace(".", ",") + "\u00a0%"


def format_share(fraction: Decimal) -> str:
    """A legal rate for a French sentence, as short as exact: ``Decimal("0.2")`` → ``20 %``,
    ``Decimal("0.125")`` → ``12,5 %`` (the parameters store rates as fractions of one)."""
    value = (fraction * 100).normalize()
    text = f"{value:f}".replace(".", ",")
    return text + "\u00a0%"
