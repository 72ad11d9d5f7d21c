from datetime import date

from openamo.pricing.term import (
    RenewalPeriod,
    bound_until,
    initial_end,
    last_possible_day,
    outside_term,
    renewal_periods,
)


def test_the_initial_period_ends_the_eve_of_its_anniversary() -> None:
    assert initial_end(date(2027, 1, 1), 12) == date(2027, 12, 31)
    assert initial_end(date(2027, 1, 31), 1) == date(2027, 2, 27)
    assert initial_end(date(2027, 1, 1), None) is None


def test_renewals_follow_each_other_and_are_decided_before_they_start() -> None:
    periods = renewal_periods(date(2027, 1, 1), 12, 2, renewal_duration_months=6, notice_months=3)
    assert periods == [
        RenewalPeriod(1, date(2028, 1, 1), date(2028, 6, 30), date(2027, 10, 1)),
        RenewalPeriod(2, date(2028, 7, 1), date(2028, 12, 31), date(2028, 4, 1)),
    ]


def test_without_notice_the_decision_is_due_on_the_eve_and_the_initial_duration_repeats() -> None:
    (period,) = renewal_periods(date(2027, 9, 1), 12, 1)
    assert period == RenewalPeriod(1, date(2028, 9, 1), date(2029, 8, 31), date(2028, 8, 31))
    assert renewal_periods(date(2027, 9, 1), None, 3) == []
    assert renewal_periods(date(2027, 9, 1), 12, 0) == []


def test_committed_periods_stop_at_the_first_renewal_not_decided() -> None:
    first, second = date(2028, 12, 31), date(2029, 12, 31)
    end = date(2027, 12, 31)
    assert bound_until(end, [(True, first), (None, second)], undecided=False) == first
    assert bound_until(end, [(None, first), (True, second)], undecided=False) == end


def test_foreseeable_periods_stop_only_at_a_refusal() -> None:
    first, second = date(2028, 12, 31), date(2029, 12, 31)
    end = date(2027, 12, 31)
    assert bound_until(end, [(None, first), (None, second)], undecided=True) == second
    assert bound_until(end, [(True, first), (False, second)], undecided=True) == first
    assert bound_until(end, [(False, first), (True, second)], undecided=True) == end


def test_the_last_possible_day_takes_every_renewal() -> None:
    assert last_possible_day(date(2025, 9, 1), 12, 3, 12) == date(2029, 8, 31)
    assert last_possible_day(date(2025, 9, 1), 12, 0) == date(2026, 8, 31)
    assert last_possible_day(date(2025, 9, 1), None, 3) is None


def test_a_date_outside_the_term_is_explained_in_french() -> None:
    notified, last = date(2025, 8, 25), date(2029, 8, 31)
    assert outside_term(date(2025, 9, 2), notified, last, "Ce bon de commande") is None
    before = outside_term(date(2025, 8, 1), notified, last, "Ce bon de commande")
    assert before is not None and "avant la notification du marché (25/08/2025)" in before
    after = outside_term(date(2029, 9, 1), notified, last, "Cet achat")
    assert after is not None and after.startswith("Cet achat est daté du 01/09/2029, après")
    assert outside_term(date(2040, 1, 1), notified, None, "Cet achat") is None
