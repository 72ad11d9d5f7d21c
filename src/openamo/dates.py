"""Calendar arithmetic shared by the domain: délais « de mois à mois », and dates written in
French words."""

from __future__ import annotations

import calendar
from datetime import date, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def paris_today() -> date:
    """Today in France, the day the plausibility of a typed date is judged against."""
    return datetime.now(tz=PARIS).date()


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later (or earlier), or the last day of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


MONTH_NAMES = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
"""The months in French, January first."""


def long_date(day: date) -> str:
    """The date as a letter writes it: « 1er mars 2026 », « 15 mars 2026 »."""
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {MONTH_NAMES[day.month - 1]} {day.year}"
