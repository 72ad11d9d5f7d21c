"""The steering summary shown on every operation page (``steering/_operation_section.html``)."""

from __future__ import annotations

from typing import Any

from django import template

from openamo.web.operations.models import Operation
from openamo.web.steering import presenters, services

register = template.Library()


@register.simple_tag
def steering_summary(operation: Operation) -> dict[str, Any]:
    """Framing score, baseline status and drift of the operation, if it is steered."""
    framing = services.framing_of(operation)
    if framing is None:
        return {}
    summary: dict[str, Any] = {"framing": presenters.framing_summary(framing.to_domain())}
    state = services.load_state(operation)
    summary["baseline"] = state.baseline
    if state.report is not None:
        summary["drift"] = presenters.drift_view(state.report)
        summary["overall"] = state.report.overall_alert.label
        summary["overall_badge"] = presenters.ALERT_BADGES[state.report.overall_alert]
    return summary
