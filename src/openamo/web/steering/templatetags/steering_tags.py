"""The steering summary shown on every operation page (``steering/_operation_section.html``)."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from openamo.web.operations.models import Operation
from openamo.web.steering.models import Baseline
from openamo.web.steering.presenters.changes import ALERT_BADGES, DriftView, drift_view
from openamo.web.steering.presenters.framing import FramingSummary, framing_summary
from openamo.web.steering.services import state as state_service

register = template.Library()


@dataclass(frozen=True)
class SteeringSummary:
    framing: FramingSummary
    baseline: Baseline | None
    drift: DriftView | None = None
    overall: str | None = None
    overall_badge: str | None = None


@register.simple_tag
def steering_summary(operation: Operation) -> SteeringSummary | None:
    """Framing score, baseline status and drift of the operation, if it is steered."""
    framing = state_service.framing_of(operation)
    if framing is None:
        return None
    summary = framing_summary(framing.to_domain())
    state = state_service.load_state(operation)
    report = state.report
    if report is None:
        return SteeringSummary(summary, state.baseline)
    return SteeringSummary(
        summary,
        state.baseline,
        drift=drift_view(report),
        overall=report.overall_alert.label,
        overall_badge=ALERT_BADGES[report.overall_alert],
    )
