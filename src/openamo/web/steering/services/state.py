"""Reading: the steering state of an operation, and the dashboard recomputed before a write."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TypeVar

from django.db import models
from django.utils import timezone

from openamo.errors import OpenAMOError
from openamo.steering import (
    RiskItem,
    SteeringInput,
    SteeringReport,
    build_register,
    steering_report,
)
from openamo.validation import french_errors
from openamo.web.operations.models import Operation
from openamo.web.steering.models import (
    Baseline,
    ChangeRequest,
    Framing,
    KpiMeasurement,
    MilestoneProgress,
    Risk,
)


def today() -> datetime.date:
    return timezone.localdate()


@dataclass
class SteeringState:
    """Everything stored about the steering of one operation, and the domain's view of it."""

    operation: Operation
    framing: Framing | None
    baseline: Baseline | None
    changes: list[ChangeRequest] = field(default_factory=list)
    progress: list[MilestoneProgress] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)
    measurements: list[KpiMeasurement] = field(default_factory=list)
    report: SteeringReport | None = None
    report_error: str | None = None

    @property
    def validated(self) -> bool:
        return self.baseline is not None and self.baseline.is_validated

    @property
    def framing_stale(self) -> bool:
        """The framing changed after the draft baseline was produced from it."""
        return (
            self.framing is not None
            and self.baseline is not None
            and not self.baseline.is_validated
            and self.framing.updated_at > self.baseline.produced_at
        )


def framing_of(operation: Operation) -> Framing | None:
    return Framing.objects.filter(operation=operation).first()


def baseline_of(operation: Operation) -> Baseline | None:
    return (
        Baseline.objects.filter(operation=operation)
        .select_related("validated_by", "produced_by")
        .first()
    )


def load_state(operation: Operation, as_of: datetime.date | None = None) -> SteeringState:
    """Rows of the operation's steering and, once the baseline is validated, the dashboard."""
    state = SteeringState(operation, framing_of(operation), baseline_of(operation))
    state.changes = list(
        ChangeRequest.objects.filter(operation=operation).select_related("decided_by")
    )
    state.progress = list(MilestoneProgress.objects.filter(operation=operation))
    state.risks = list(Risk.objects.filter(operation=operation).order_by("key"))
    state.measurements = list(KpiMeasurement.objects.alive().filter(operation=operation))
    if state.validated:
        try:
            state.report = report_of(state, as_of or today())
        except OpenAMOError as exc:
            # Stored rows the domain now refuses (e.g. a date moved): say so, never a traceback.
            state.report_error = exc.message
    return state


def report_of(state: SteeringState, as_of: datetime.date) -> SteeringReport:
    assert state.baseline is not None
    with french_errors():
        data = SteeringInput(
            project=state.operation.title,
            as_of=as_of,
            baseline=state.baseline.to_domain(),
            change_requests=[c.to_domain() for c in state.changes],
            milestones=[p.to_domain() for p in state.progress],
            risks=[r.to_domain() for r in state.risks],
            measurements=[m.to_domain() for m in state.measurements],
            framing=state.framing.statuses() if state.framing else None,
        )
    return steering_report(data)


def risk_register(state: SteeringState) -> list[RiskItem]:
    """The register: the five pre-filled pitfalls, adjusted to the framing, and the entries."""
    if state.report is not None:
        return state.report.risks
    with french_errors():
        entries = [r.to_domain() for r in state.risks]
    return build_register(entries, state.framing.statuses() if state.framing else None)


def validated_state(operation: Operation) -> SteeringState:
    state = load_state(operation)
    if not state.validated:
        raise OpenAMOError(
            "Le maître d'ouvrage doit d'abord valider la base de référence : le pilotage se "
            "mesure par rapport à elle.",
            code="baseline_not_validated",
        )
    if state.report_error:
        raise OpenAMOError(state.report_error, code="steering_state")
    return state


def checked_report(state: SteeringState) -> SteeringReport:
    """The dashboard with the pending change applied: the domain refuses it, or it is saved."""
    return report_of(state, today())


Row = TypeVar("Row", bound=models.Model)


def replace_row(items: list[Row], item: Row) -> list[Row]:
    return [item if i.pk == item.pk else i for i in items] if item.pk else [*items, item]
