from decimal import Decimal

from openamo.evaluation import average_mark


def test_the_average_mark_is_rounded_half_up_to_the_hundredth() -> None:
    assert average_mark([4, 4, 5]) == Decimal("4.33")
    assert average_mark([3, 4]) == Decimal("3.50")
    assert average_mark([1, 2, 2]) == Decimal("1.67")
    assert average_mark([]) == Decimal(0)
