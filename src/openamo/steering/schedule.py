"""Milestones and schedule slip against the baseline.

A milestone's forecast is, in order: its actual date when reached, the forecast given by the
project team, or its planned date shifted by the delays of all accepted change requests (the kick-off
excepted: record ``actual_on`` for every milestone reached). The go-live slip is measured in days and in % of the planned duration (kick-off → go-live),
against the tolerance of ``steering/data/thresholds.yaml`` with the same alert steps as the
budget margin.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from pydantic import Field

from openamo.errors import OpenAMOError
from openamo.steering import _data
from openamo.steering._types import DecimalText, percent_of
from openamo.steering.baseline import Baseline, Milestone, shift
from openamo.steering.changes import ChangeRequest
from openamo.steering.enums import AlertLevel, Decision, MilestoneKind, MilestoneStatus
from openamo.validation import InputModel, OutputModel


class MilestoneProgress(InputModel):
    """Where a baseline milestone stands: a new forecast, or the day it was reached."""

    id: str = Field(min_length=1, max_length=60)
    forecast_on: date | None = None
    actual_on: date | None = None


class MilestoneView(OutputModel):
    id: str
    name: str
    kind: MilestoneKind
    planned_on: date
    forecast_on: date
    actual_on: date | None
    slip_days: int
    status: MilestoneStatus


class ScheduleSummary(OutputModel):
    milestones: list[MilestoneView]
    go_live_planned_on: date | None
    go_live_forecast_on: date | None
    go_live_slip_days: int | None
    planned_duration_days: int | None
    slip_percent: DecimalText | None
    tolerance_percent: DecimalText
    alert: AlertLevel
    alerts: list[str]


def analyse_schedule(
    baseline: Baseline,
    progress: Iterable[MilestoneProgress],
    changes: Iterable[ChangeRequest],
    as_of: date,
) -> ScheduleSummary:
    updates = _index(baseline, progress, as_of)
    accepted = [c for c in changes if c.decision is Decision.ACCEPTEE]
    views = [_view(m, updates.get(m.id), accepted, as_of) for m in baseline.milestones]
    views.sort(key=lambda v: (v.planned_on, v.id))
    kickoff = baseline.milestone(MilestoneKind.LANCEMENT)
    go_live = next((v for v in views if v.kind is MilestoneKind.MISE_EN_SERVICE), None)
    tolerance = _data.thresholds().schedule_tolerance.value
    duration = (go_live.planned_on - kickoff.planned_on).days if go_live and kickoff else None
    slip_percent = (
        percent_of(Decimal(go_live.slip_days), Decimal(duration))
        if go_live and duration and duration > 0
        else None
    )
    alert = _alert(slip_percent, tolerance)
    return ScheduleSummary(
        milestones=views,
        go_live_planned_on=go_live.planned_on if go_live else None,
        go_live_forecast_on=go_live.forecast_on if go_live else None,
        go_live_slip_days=go_live.slip_days if go_live else None,
        planned_duration_days=duration,
        slip_percent=slip_percent,
        tolerance_percent=tolerance * 100,
        alert=alert,
        alerts=_messages(go_live, slip_percent, alert),
    )


def _index(
    baseline: Baseline, progress: Iterable[MilestoneProgress], as_of: date
) -> dict[str, MilestoneProgress]:
    known = {m.id for m in baseline.milestones}
    updates: dict[str, MilestoneProgress] = {}
    for item in progress:
        if item.id not in known:
            raise OpenAMOError(
                f"Jalon « {item.id} » inconnu de la base de référence (jalons : "
                + ", ".join(sorted(known))
                + ")."
            )
        if item.id in updates:
            raise OpenAMOError(f"Avancement du jalon « {item.id} » donné deux fois.")
        if item.actual_on is not None and item.actual_on > as_of:
            raise OpenAMOError(
                f"Jalon « {item.id} » atteint le {item.actual_on:%d/%m/%Y}, après la date du "
                f"tableau de bord ({as_of:%d/%m/%Y}) : indiquez plutôt une nouvelle date prévue."
            )
        updates[item.id] = item
    return updates


def _view(
    milestone: Milestone,
    update: MilestoneProgress | None,
    accepted: list[ChangeRequest],
    as_of: date,
) -> MilestoneView:
    actual = update.actual_on if update else None
    if actual is not None:
        forecast = actual
    elif update is not None and update.forecast_on is not None:
        forecast = update.forecast_on
    else:
        shift_days = (
            0 if milestone.kind is MilestoneKind.LANCEMENT else sum(c.delay_days for c in accepted)
        )
        forecast = shift(milestone.planned_on, shift_days)
    slip = (forecast - milestone.planned_on).days
    if actual is not None:
        status = MilestoneStatus.ATTEINT
    elif slip > 0 or as_of > milestone.planned_on:
        status = MilestoneStatus.EN_RETARD
    else:
        status = MilestoneStatus.A_VENIR
    return MilestoneView(
        id=milestone.id,
        name=milestone.name,
        kind=milestone.kind,
        planned_on=milestone.planned_on,
        forecast_on=forecast,
        actual_on=actual,
        slip_days=slip,
        status=status,
    )


def _alert(slip_percent: Decimal | None, tolerance: Decimal) -> AlertLevel:
    if slip_percent is None or slip_percent <= 0:
        return AlertLevel.NORMAL
    limits = _data.thresholds().margin_alerts
    if tolerance <= 0:
        return AlertLevel.DEPASSEMENT
    share = slip_percent / (tolerance * 100)
    if share > limits.depassement:
        return AlertLevel.DEPASSEMENT
    if share >= limits.alerte:
        return AlertLevel.ALERTE
    if share >= limits.vigilance:
        return AlertLevel.VIGILANCE
    return AlertLevel.NORMAL


def _messages(
    go_live: MilestoneView | None, slip_percent: Decimal | None, alert: AlertLevel
) -> list[str]:
    if go_live is None or alert is AlertLevel.NORMAL or slip_percent is None:
        return []
    return [
        f"{alert.label.capitalize()} : mise en service prévue le {go_live.forecast_on:%d/%m/%Y} "
        f"au lieu du {go_live.planned_on:%d/%m/%Y} ({go_live.slip_days} jours, "
        f"{str(slip_percent).replace('.', ',')} % de la durée prévue)."
    ]
