"""Milestones and schedule slip: accepted change delays, forecasts, actual dates, alerts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from openamo.errors import OpenAMOError
from openamo.steering import (
    AlertLevel,
    Baseline,
    ChangeRequest,
    MilestoneProgress,
    MilestoneStatus,
    analyse_schedule,
)
from openamo.steering.schedule import ScheduleSummary
from openamo.validation import parse_input
from tests.unit.steering._cast import baseline, change

BASELINE = parse_input(Baseline, baseline())  # kick-off 04/01/2027 → go-live 04/05/2027: 120 days


def schedule(
    progress: list[dict[str, Any]] | None = None,
    changes: list[dict[str, Any]] | None = None,
    as_of: date = date(2027, 3, 1),
) -> ScheduleSummary:
    return analyse_schedule(
        BASELINE,
        [parse_input(MilestoneProgress, p) for p in progress or []],
        [parse_input(ChangeRequest, c) for c in changes or []],
        as_of,
    )


def test_on_time_project_has_no_slip() -> None:
    summary = schedule([{"id": "lancement", "actual_on": "2027-01-04"}])
    assert summary.planned_duration_days == 120
    assert summary.go_live_slip_days == 0
    assert summary.alert is AlertLevel.NORMAL
    assert summary.milestones[0].status is MilestoneStatus.ATTEINT
    assert summary.milestones[-1].status is MilestoneStatus.A_VENIR


def test_accepted_change_delays_push_every_unreached_milestone_but_not_the_kickoff() -> None:
    summary = schedule(
        [{"id": "lancement", "actual_on": "2027-01-04"}],
        [change("A", "1000", delay_days=6), change("B", "0", "en_attente", delay_days=30)],
    )
    forecasts = {m.id: m.forecast_on for m in summary.milestones}
    assert forecasts["lancement"] == date(2027, 1, 4)
    assert forecasts["recette"] == date(2027, 4, 11)
    assert forecasts["mise_en_service"] == date(2027, 5, 10)
    # 6 / 120 = 5 % of the duration: half of the 10 % tolerance → vigilance.
    assert str(summary.slip_percent) == "5.00"
    assert summary.alert is AlertLevel.VIGILANCE


def test_an_explicit_forecast_wins_over_the_change_delays() -> None:
    summary = schedule(
        [{"id": "mise_en_service", "forecast_on": "2027-06-03"}], [change("A", "0", delay_days=6)]
    )
    assert summary.go_live_forecast_on == date(2027, 6, 3)
    assert summary.go_live_slip_days == 30  # 25 % of 120 days > 10 % tolerance
    assert summary.alert is AlertLevel.DEPASSEMENT
    assert summary.alerts and "30 jours" in summary.alerts[0]


def test_a_milestone_past_its_date_and_not_reached_is_late() -> None:
    summary = schedule(as_of=date(2027, 4, 10))
    recette = next(m for m in summary.milestones if m.id == "recette")
    assert recette.status is MilestoneStatus.EN_RETARD


def test_progress_on_an_unknown_milestone_or_reached_in_the_future_is_refused() -> None:
    with pytest.raises(OpenAMOError, match="inconnu"):
        schedule([{"id": "demo", "forecast_on": "2027-02-01"}])
    with pytest.raises(OpenAMOError, match="nouvelle date prévue"):
        schedule([{"id": "recette", "actual_on": "2027-04-05"}])
