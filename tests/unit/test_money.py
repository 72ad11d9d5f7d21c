from decimal import Decimal

from openamo.money import with_vat


def test_an_amount_with_vat_is_rounded_to_the_cent() -> None:
    assert with_vat(Decimal("100.05"), Decimal("5.5")) == Decimal("105.55")
    assert with_vat(Decimal("66743.76"), Decimal("20")) == Decimal("80092.51")


def test_the_amount_without_its_unit_is_the_euros_without_the_sign() -> None:
    from openamo.money import format_cents, format_euros

    assert format_cents(Decimal("120000.005")) == "120\u202f000,01"
    assert format_euros(Decimal("120000.005")) == format_cents(Decimal("120000.005")) + "\u00a0€"
