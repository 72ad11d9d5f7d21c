"""Change requests: drift in % of the baseline, margin alerts before it is gone, properties."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openamo.errors import OpenAMOError
from openamo.steering import AlertLevel, Baseline, ChangeRequest, alert_level, analyse_changes
from openamo.steering.changes import ChangeSummary
from openamo.validation import parse_input
from tests.unit.steering._cast import baseline, change

BASELINE = parse_input(Baseline, baseline())  # 100 000 € + 10 % = 10 000 € of margin


def analyse(*requests: dict[str, Any]) -> ChangeSummary:
    return analyse_changes(BASELINE, [parse_input(ChangeRequest, r) for r in requests])


def test_accepted_changes_drift_in_percent_of_budget_and_of_margin() -> None:
    summary = analyse(change("A", "3000"), change("B", "1500"), change("C", "2000", "refusee"))
    assert summary.accepted_cost_ht == Decimal("4500.00")
    assert summary.budget_drift_percent == Decimal("4.50")  # 4 500 / 100 000
    assert summary.margin_consumed_percent == Decimal("45.00")  # 4 500 / 10 000
    assert summary.remaining_margin_ht == Decimal("5500.00")
    assert summary.alert is AlertLevel.NORMAL
    assert (summary.accepted, summary.refused, summary.pending) == (2, 1, 0)


@pytest.mark.parametrize(
    ("cost", "level"),
    [
        ("4999.99", AlertLevel.NORMAL),
        ("5000.00", AlertLevel.VIGILANCE),
        ("7999.99", AlertLevel.VIGILANCE),
        ("8000.00", AlertLevel.ALERTE),
        ("10000.00", AlertLevel.ALERTE),
        ("10000.01", AlertLevel.DEPASSEMENT),
    ],
)
def test_alert_steps_at_50_and_80_percent_and_beyond_the_whole_margin(
    cost: str, level: AlertLevel
) -> None:
    assert analyse(change("A", cost)).alert is level


def test_pending_requests_raise_the_projected_alert_before_anything_is_decided() -> None:
    summary = analyse(change("A", "4000"), change("B", "4500", "en_attente"))
    assert summary.alert is AlertLevel.NORMAL
    assert summary.projected_alert is AlertLevel.ALERTE  # 8 500 / 10 000
    assert summary.projected_budget_drift_percent == Decimal("8.50")
    assert any("en attente" in a and "85" in a for a in summary.alerts)


def test_a_removal_gives_margin_back_and_scope_drift_is_net() -> None:
    summary = analyse(
        change("A", "6000"),
        change("B", "2000"),
        change("C", "-5000", kind="suppression"),
        change("D", "500", kind="modification"),
    )
    assert summary.accepted_cost_ht == Decimal("3500.00")
    assert summary.scope_drift_percent == Decimal("20.00")  # (2 additions − 1 removal) / 5
    assert summary.scope_changes_percent == Decimal("80.00")  # 4 changes / 5 features in scope


def test_the_drift_timeline_follows_the_decision_dates() -> None:
    summary = analyse(
        change("late", "3000", on="2027-03-01"), change("early", "6000", on="2027-02-01")
    )
    assert [p.change_id for p in summary.timeline] == ["early", "late"]
    assert [p.cumulative_cost_ht for p in summary.timeline] == [
        Decimal("6000.00"),
        Decimal("9000.00"),
    ]
    assert [p.alert for p in summary.timeline] == [AlertLevel.VIGILANCE, AlertLevel.ALERTE]


def test_an_accepted_change_of_low_value_is_scope_creep() -> None:
    summary = analyse(change("A", "1800", value="faible"), change("B", "900", value="forte"))
    assert summary.low_value_changes == ["A"]
    assert any("sans valeur" in w for w in summary.warnings)


def test_a_decision_must_be_dated_and_after_the_request() -> None:
    undated = change("A", "100")
    del undated["decided_on"]
    with pytest.raises(OpenAMOError, match="doit être datée"):
        parse_input(ChangeRequest, undated)
    with pytest.raises(OpenAMOError, match="antérieure"):
        parse_input(ChangeRequest, change("A", "100", on="2027-01-01"))


def test_duplicate_change_ids_are_refused() -> None:
    with pytest.raises(OpenAMOError, match="en double"):
        analyse(change("A", "100"), change("A", "200"))


def test_no_margin_any_costly_change_is_an_overrun() -> None:
    assert alert_level(Decimal("0.01"), Decimal(0)) is AlertLevel.DEPASSEMENT
    assert alert_level(Decimal("-10"), Decimal(0)) is AlertLevel.NORMAL


costs = st.lists(st.decimals(min_value=-5000, max_value=20000, places=2), max_size=12)


@given(costs)
def test_budget_drift_is_the_sum_of_accepted_costs_over_the_budget(values: list[Decimal]) -> None:
    summary = analyse(*(change(f"R{i}", str(v)) for i, v in enumerate(values)))
    total = sum(values, Decimal(0))
    assert summary.accepted_cost_ht == total
    expected = (total / 1000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert summary.budget_drift_percent == expected
    assert summary.remaining_margin_ht == Decimal("10000.00") - total
    if summary.timeline:
        assert summary.timeline[-1].cumulative_cost_ht == total


@given(costs)
def test_the_order_of_requests_does_not_change_the_drift(values: list[Decimal]) -> None:
    requests = [change(f"R{i}", str(v)) for i, v in enumerate(values)]
    forward, backward = analyse(*requests), analyse(*reversed(requests))
    assert forward.accepted_cost_ht == backward.accepted_cost_ht
    assert forward.alert is backward.alert


@given(st.decimals(min_value=-20000, max_value=30000, places=2), st.decimals(0, 5000, places=2))
def test_more_drift_never_lowers_the_alert(cost: Decimal, extra: Decimal) -> None:
    margin = Decimal(10000)
    assert alert_level(cost + extra, margin).rank >= alert_level(cost, margin).rank
