"""Explicit mapping between stored rows and the steering domain's input (JSON contract).

Nothing here decides anything: the rows become the dicts that ``openamo.steering`` validates
(``assess_framing_from_dict``, ``steering_report_from_dict``, ``roi_from_dict``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from openamo.money import format_amount
from openamo.web.operations.models import Operation
from openamo.web.steering.models import (
    Baseline,
    ChangeRequest,
    Framing,
    KpiMeasurement,
    MilestoneProgress,
    Risk,
)


def framing_input(
    operation: Operation, answers: dict[str, Any], framed_on: datetime.date
) -> dict[str, Any]:
    """The framing record of ``amo projet cadrage``: the operation names the project."""
    return {
        "project": {
            "name": operation.title,
            "buyer": operation.organisation.name,
            "framed_on": framed_on.isoformat(),
        },
        **answers,
    }


def framing_statuses(framing: Framing | None) -> dict[str, str] | None:
    """Status of each framing question (lowers the pre-filled risks that were framed)."""
    if framing is None or not framing.result:
        return None
    return {q["id"]: q["status"] for q in framing.result.get("questions", [])}


def change_request(request: ChangeRequest) -> dict[str, Any]:
    decider = request.decided_by
    return {
        "id": request.code,
        "title": request.title,
        "requested_on": request.requested_on.isoformat(),
        "requested_by": request.requested_by or None,
        "kind": request.kind,
        "feature": request.feature or None,
        "cost_ht": format_amount(request.cost_ht),
        "delay_days": request.delay_days,
        "value": request.value,
        "decision": request.decision,
        "decided_on": request.decided_on.isoformat() if request.decided_on else None,
        "decided_by": (decider.get_full_name() or decider.username) if decider else None,
        "justification": request.justification or None,
    }


def milestone_progress(progress: MilestoneProgress) -> dict[str, Any]:
    return {
        "id": progress.milestone,
        "forecast_on": progress.forecast_on.isoformat() if progress.forecast_on else None,
        "actual_on": progress.actual_on.isoformat() if progress.actual_on else None,
    }


def risk_entry(risk: Risk) -> dict[str, Any]:
    return {
        "id": risk.key,
        "title": risk.title,
        "description": risk.description or None,
        "probability": risk.probability,
        "impact": risk.impact,
        "owner": risk.owner or None,
        "mitigation": lines(risk.mitigation),
        "status": risk.status,
        "review_on": risk.review_on.isoformat() if risk.review_on else None,
    }


def measurement(item: KpiMeasurement) -> dict[str, Any]:
    return {
        "kpi": item.kpi,
        "measured_on": item.measured_on.isoformat(),
        "value": decimal_text(item.value),
    }


def steering_input(
    operation: Operation,
    baseline: Baseline,
    as_of: datetime.date,
    *,
    framing: Framing | None,
    changes: Iterable[ChangeRequest] = (),
    progress: Iterable[MilestoneProgress] = (),
    risks: Iterable[Risk] = (),
    measurements: Iterable[KpiMeasurement] = (),
) -> dict[str, Any]:
    """The input of ``amo projet pilotage`` at ``as_of``, from the stored rows."""
    return {
        "project": operation.title,
        "as_of": as_of.isoformat(),
        "baseline": baseline.data,
        "change_requests": [change_request(c) for c in changes],
        "milestones": [milestone_progress(p) for p in progress],
        "risks": [risk_entry(r) for r in risks],
        "measurements": [measurement(m) for m in measurements],
        "framing": framing_statuses(framing),
    }


def lines(text: str) -> list[str]:
    """One item per non-empty line (mitigation measures, lists of the framing)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def decimal_text(value: Decimal) -> str:
    """A stored decimal as the domain reads it, without trailing zeros (« 66.5 », « 2 »)."""
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", ""} else text
