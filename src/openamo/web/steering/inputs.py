"""What people type on the steering pages, typed: the forms produce these, the services take
them (the framing answers and the cost-of-drift simulation are the domain's own input models,
``openamo.steering.FramingAnswers`` and ``RoiInput``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from openamo.steering.enums import ChangeKind, ChangeValue, Decision, RiskStatus


@dataclass(frozen=True)
class ChangeEntry:
    """A change request as the AMO or the buyer types it (the decision comes later)."""

    title: str
    kind: ChangeKind
    requested_on: datetime.date
    cost_ht: Decimal
    delay_days: int
    value: ChangeValue
    justification: str = ""
    feature: str = ""
    requested_by: str = ""


@dataclass(frozen=True)
class DecisionEntry:
    """The maître d'ouvrage's decision on a change request."""

    decision: Decision
    decided_on: datetime.date
    decision_note: str = ""


@dataclass(frozen=True)
class MilestoneEntry:
    forecast_on: datetime.date | None = None
    actual_on: datetime.date | None = None


@dataclass(frozen=True)
class RiskFields:
    """A risk of the register as typed (mitigation measures one per line)."""

    title: str
    probability: int
    impact: int
    status: RiskStatus
    description: str = ""
    owner: str = ""
    mitigation: str = ""
    review_on: datetime.date | None = None


@dataclass(frozen=True)
class MeasurementEntry:
    kpi: str
    measured_on: datetime.date
    value: Decimal
    comment: str = ""


@dataclass(frozen=True)
class RoiFigures:
    """The figures the simulation form starts from: the project's, then the domain's defaults
    (percentages as typed, the domain reads fractions)."""

    mode: str
    runs: int
    seed: int
    baseline_budget_ht: Decimal
    amo_cost_ht: Decimal | None
    margin_percent: Decimal
    drift_without_percent: Decimal
    drift_with_percent: Decimal
    cost_dispersion: Decimal
    baseline_duration_months: int | None
    delay_without_percent: Decimal | None
    delay_with_percent: Decimal | None
