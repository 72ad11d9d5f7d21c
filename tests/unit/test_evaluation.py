from decimal import Decimal

from openamo.evaluation import average_mark, overall_mark


def test_the_average_mark_is_rounded_half_up_to_the_hundredth() -> None:
    assert average_mark([4, 4, 5]) == Decimal("4.33")
    assert average_mark([3, 4]) == Decimal("3.50")
    assert average_mark([1, 2, 2]) == Decimal("1.67")
    assert average_mark([]) == Decimal(0)


def test_the_overall_mark_is_the_mean_of_the_averages_rounded_half_up() -> None:
    assert overall_mark([Decimal("3.50"), Decimal("3.75")]) == Decimal("3.63")
    assert overall_mark([Decimal("4.33"), Decimal("3.50"), Decimal("5.00")]) == Decimal("4.28")
    assert overall_mark([Decimal("2.00")]) == Decimal("2.00")
    assert overall_mark([]) == Decimal(0)
