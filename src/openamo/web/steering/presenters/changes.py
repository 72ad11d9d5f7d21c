"""Change requests and the drift they cause: tables, alert, chart, timeline."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse

from openamo.steering import SteeringReport
from openamo.steering.enums import (
    AlertLevel,
)
from openamo.web.charts import Chart, Series, Threshold, line_chart
from openamo.web.steering.models import ChangeRequest
from openamo.web.steering.presenters.labels import (
    day,
    euros,
    percent,
)
from openamo.web.tables import Cell, Table, badge

ALERT_BADGES = {
    AlertLevel.NORMAL: "success",
    AlertLevel.VIGILANCE: "warning",
    AlertLevel.ALERTE: "error",
    AlertLevel.DEPASSEMENT: "error",
}


DECISION_BADGES = {
    "en_attente": "new",
    "acceptee": "success",
    "refusee": "error",
    "reportee": "info",
}


def changes_table(changes: Iterable[ChangeRequest]) -> Table:
    rows: list[list[Cell]] = []
    for c in changes:
        rows.append(
            [
                {
                    "text": f"{c.code} — {c.title}",
                    "url": reverse("steering:change_detail", args=[c.operation_id, c.pk]),
                },
                {"text": day(c.requested_on)},
                {"text": euros(c.cost_ht)},
                {"text": f"{c.delay_days} j"},
                {"text": c.get_value_display()},
                badge(c.get_decision_display(), DECISION_BADGES[c.decision]),
            ]
        )
    header = ["Demande", "Demandée le", "Coût HT", "Délai", "Valeur", "Décision"]
    return {"header": header, "rows": rows}


@dataclass(frozen=True)
class DriftView:
    """The drift of the accepted and pending change requests, in French."""

    accepted: int
    pending: int
    refused: int
    deferred: int
    accepted_cost: str
    pending_cost: str
    margin: str
    remaining: str
    budget_drift: str
    projected_drift: str
    scope_drift: str
    scope_changes: str
    consumed: str
    projected_consumed: str
    alert: str
    alert_badge: str
    projected_alert: str
    projected_badge: str
    alerts: list[str]
    warnings: list[str]
    delay: int


def drift_view(report: SteeringReport) -> DriftView:
    c = report.changes
    return DriftView(
        accepted=c.accepted,
        pending=c.pending,
        refused=c.refused,
        deferred=c.deferred,
        accepted_cost=euros(c.accepted_cost_ht),
        pending_cost=euros(c.pending_cost_ht),
        margin=euros(c.margin_ht),
        remaining=euros(c.remaining_margin_ht),
        budget_drift=percent(c.budget_drift_percent),
        projected_drift=percent(c.projected_budget_drift_percent),
        scope_drift=percent(c.scope_drift_percent),
        scope_changes=percent(c.scope_changes_percent),
        consumed=percent(c.margin_consumed_percent),
        projected_consumed=percent(c.projected_margin_consumed_percent),
        alert=c.alert.label,
        alert_badge=ALERT_BADGES[c.alert],
        projected_alert=c.projected_alert.label,
        projected_badge=ALERT_BADGES[c.projected_alert],
        alerts=c.alerts,
        warnings=c.warnings,
        delay=c.accepted_delay_days,
    )


def drift_chart(report: SteeringReport) -> Chart:
    """Cumulative budget drift of the accepted requests over time, against the margin."""
    margin = report.baseline_summary.margin_rate * 100
    points: list[tuple[str, Decimal]] = [("Base de référence", Decimal(0))]
    points += [
        (f"{p.decided_on:%d/%m/%Y} ({p.change_id})", p.budget_drift_percent)
        for p in report.changes.timeline
    ]
    series = [Series("Dérive budgétaire cumulée (évolutions acceptées)", points)]
    pending = report.changes.projected_budget_drift_percent
    if report.changes.pending:
        series.append(
            Series(
                "Projection avec les demandes en attente",
                [points[-1], (f"{report.as_of:%d/%m/%Y}", pending)],
            )
        )
    return line_chart(
        "Dérive budgétaire cumulée face à la marge (% du budget de référence)",
        series,
        thresholds=[Threshold("Marge budgétaire", margin)],
        unit="%",
    )


def timeline_table(report: SteeringReport) -> Table:
    rows: list[list[Cell]] = [
        [
            {"text": day(p.decided_on)},
            {"text": p.change_id},
            {"text": euros(p.cost_ht)},
            {"text": euros(p.cumulative_cost_ht)},
            {"text": percent(p.budget_drift_percent)},
            {"text": percent(p.margin_consumed_percent)},
            badge(p.alert.label, ALERT_BADGES[p.alert]),
        ]
        for p in report.changes.timeline
    ]
    header = [
        "Décidée le",
        "Demande",
        "Coût HT",
        "Dérive cumulée HT",
        "% du budget",
        "% de la marge",
        "Alerte",
    ]
    return {"header": header, "rows": rows}
