from __future__ import annotations

from datetime import date

from openamo.construction._calendar import add_days, add_months, is_working_day


def test_a_deadline_ending_on_a_sunday_moves_to_monday() -> None:
    assert add_days(date(2027, 7, 9), 30) == date(2027, 8, 9)


def test_a_deadline_ending_on_a_public_holiday_moves_to_the_next_working_day() -> None:
    assert add_days(date(2026, 10, 22), 20) == date(2026, 11, 12)  # 11 novembre


def test_easter_monday_is_not_a_working_day() -> None:
    assert not is_working_day(date(2026, 4, 6))


def test_months_run_from_day_to_day_and_stop_at_the_end_of_a_short_month() -> None:
    assert add_months(date(2027, 6, 30), 12) == date(2028, 6, 30)
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert add_months(date(2028, 6, 30), -3) == date(2028, 3, 30)
    assert add_months(date(2027, 8, 31), 1) == date(2027, 9, 30)
