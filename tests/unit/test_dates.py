"""Dates written in French words, as the letters and pages write them."""

from __future__ import annotations

import datetime

from openamo.dates import MONTH_NAMES, long_date


def test_the_first_of_the_month_is_written_1er_and_the_other_days_as_numbers() -> None:
    assert long_date(datetime.date(2026, 3, 1)) == "1er mars 2026"
    assert long_date(datetime.date(2026, 2, 15)) == "15 février 2026"
    assert long_date(datetime.date(2026, 12, 31)) == "31 décembre 2026"


def test_the_months_run_from_janvier_to_decembre_with_their_accents() -> None:
    assert len(MONTH_NAMES) == 12
    assert (MONTH_NAMES[0], MONTH_NAMES[7], MONTH_NAMES[11]) == ("janvier", "août", "décembre")
