"""Deadlines counted as the CCAG-Travaux counts them (art. 3.2).

A deadline in days starts the day after the act that triggers it and ends at the end of its last
day; when that day is a Saturday, a Sunday or a public holiday it moves to the end of the next
working day. A deadline in months runs from a day of the month to the same day (the last day of
a shorter month when that day does not exist). Public holidays are those of metropolitan France
(the ``holidays`` library); Alsace-Moselle's extra days are not counted.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays

CCAG_COUNTING = (
    "CCAG-Travaux 2021, art. 3.2 (un délai part du lendemain de l'acte ; prolongé au premier jour "
    "ouvrable qui suit s'il expire un samedi, un dimanche ou un jour férié)"
)


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("FR", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def next_working_day(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date) -> date:
    """The working day on or before ``day``: a date set « au plus tard » by the buyer, moved
    earlier rather than onto a Sunday or a public holiday."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def add_days(start: date, days: int) -> date:
    """End of a deadline of ``days`` days triggered on ``start`` (extended past non-working days)."""
    return next_working_day(start + timedelta(days=days))


def add_months(start: date, months: int) -> date:
    """Same day ``months`` later (or the last day of that month); no working-day extension."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def fr_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")
