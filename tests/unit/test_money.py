from decimal import Decimal

from openamo.money import with_vat


def test_an_amount_with_vat_is_rounded_to_the_cent() -> None:
    assert with_vat(Decimal("100.05"), Decimal("5.5")) == Decimal("105.55")
    assert with_vat(Decimal("66743.76"), Decimal("20")) == Decimal("80092.51")
