from __future__ import annotations

from datetime import date

import pytest

from openamo.dates import add_months
from openamo.errors import OpenAMOError
from openamo.pricing.periods import first_day, frequency, parse_period
from openamo.pricing.schedule import index_month, revision_dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01", "2024-01"),
        ("2024-1", "2024-01"),
        ("01/2024", "2024-01"),
        ("2024M01", "2024-01"),
        ("2024-01-15", "2024-01"),
        ("15/01/2024", "2024-01"),
        ("janv. 2024", "2024-01"),
        ("Février 2024", "2024-02"),
        ("AOÛT 2025", "2025-08"),
        ("2024-T3", "2024-T3"),
        ("T2 2024", "2024-T2"),
        ("2024", "2024"),
        (' "2025-07" ', "2025-07"),
    ],
)
def test_official_period_spellings_are_read_into_one_key(text: str, expected: str) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    "text", ["", "Période", "2024-13", "2024-02-30", "idBank", "1850-01", "T5 2024"]
)
def test_unreadable_or_impossible_periods_are_rejected(text: str) -> None:
    assert parse_period(text) is None


def test_frequency_follows_the_key() -> None:
    assert [frequency(p) for p in ("2024-01", "2024-T1", "2024")] == [
        "mensuelle",
        "trimestrielle",
        "annuelle",
    ]


def test_the_first_day_of_a_month_a_quarter_or_a_year() -> None:
    assert first_day("2025-06") == date(2025, 6, 1)
    assert first_day("2025-12") == date(2025, 12, 1)
    assert first_day("2025-T3") == date(2025, 7, 1)
    assert first_day("2025-T1") == date(2025, 1, 1)
    assert first_day("2025") == date(2025, 1, 1)


def test_adding_months_clamps_to_the_end_of_a_short_month() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 4, 1), -3) == date(2026, 1, 1)
    assert add_months(date(2025, 11, 15), 3) == date(2026, 2, 15)


def test_annual_revision_dates_fall_on_each_anniversary_until_the_end() -> None:
    dates = revision_dates(date(2024, 9, 1), date(2027, 8, 31), 12)
    assert dates == [date(2025, 9, 1), date(2026, 9, 1)]


def test_monthly_revision_from_a_chosen_first_date() -> None:
    dates = revision_dates(date(2026, 1, 1), date(2026, 4, 30), 1, first_revision=date(2026, 2, 1))
    assert dates == [date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)]


def test_revision_dates_refuse_a_zero_periodicity_and_an_inverted_period() -> None:
    with pytest.raises(OpenAMOError, match="périodicité"):
        revision_dates(date(2026, 1, 1), date(2026, 12, 31), 0)
    with pytest.raises(OpenAMOError, match="précède"):
        revision_dates(date(2026, 1, 1), date(2025, 12, 31), 12)


def test_index_month_applies_the_publication_lag() -> None:
    assert index_month(date(2026, 3, 10)) == "2026-03"
    assert index_month(date(2026, 3, 10), lag_months=3) == "2025-12"
    with pytest.raises(OpenAMOError):
        index_month(date(2026, 3, 10), lag_months=-1)
