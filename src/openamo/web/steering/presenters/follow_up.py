"""Schedule, risks and KPIs followed against the baseline."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from openamo.steering import RiskItem, SteeringReport
from openamo.steering.enums import (
    KpiStatus,
    MilestoneStatus,
    RiskStatus,
)
from openamo.web.charts import Chart, Series, Threshold, line_chart
from openamo.web.operations.access import OperationAccess
from openamo.web.steering.models import KpiMeasurement
from openamo.web.steering.presenters.labels import (
    RISK_BADGES,
    day,
    direction_label,
    measure,
    number,
    percent,
)
from openamo.web.tables import Cell, Table, badge

KPI_BADGES = {
    KpiStatus.ATTEINT: "success",
    KpiStatus.EN_BONNE_VOIE: "info",
    KpiStatus.EN_RETARD: "error",
    KpiStatus.NON_MESURE: "new",
}
MILESTONE_LABELS = {
    MilestoneStatus.ATTEINT: "atteint",
    MilestoneStatus.EN_RETARD: "en retard",
    MilestoneStatus.A_VENIR: "à venir",
}
RISK_STATUS_LABELS = {
    RiskStatus.OUVERT: "ouvert",
    RiskStatus.EN_TRAITEMENT: "en traitement",
    RiskStatus.CLOS: "clos",
}


def schedule_table(report: SteeringReport, access: OperationAccess) -> Table:
    rows = []
    for m in report.schedule.milestones:
        row: list[Cell] = [
            {"text": m.name},
            {"text": day(m.planned_on)},
            {"text": day(m.forecast_on)},
            {"text": day(m.actual_on)},
            {"text": f"{m.slip_days:+d} j" if m.slip_days else "0 j"},
            badge(
                MILESTONE_LABELS[m.status],
                {"atteint": "success", "en_retard": "error", "a_venir": "info"}[m.status.value],
            ),
        ]
        if access.can_edit:
            url = reverse("steering:milestone_edit", args=[access.operation.pk, m.id])
            row.append({"links": [{"text": "Mettre à jour", "url": url, "label": m.name}]})
        rows.append(row)
    header = ["Jalon", "Prévu (base)", "Prévision", "Atteint le", "Glissement", "État"]
    return {"header": header + (["Actions"] if access.can_edit else []), "rows": rows}


def risks_table(register: list[RiskItem], access: OperationAccess) -> Table:
    rows = []
    for r in register:
        row: list[Cell] = [
            {"text": r.title + (" (piège classique)" if r.prefilled else "")},
            {"text": str(r.probability)},
            {"text": str(r.impact)},
            badge(f"{r.score}/25 — {r.level.label}", RISK_BADGES[r.level]),
            {"text": r.owner},
            {"text": RISK_STATUS_LABELS[r.status]},
        ]
        if access.can_edit:
            url = reverse("steering:risk_edit", args=[access.operation.pk, r.id])
            row.append({"links": [{"text": "Modifier", "url": url, "label": r.title}]})
        rows.append(row)
    header = ["Risque", "Probabilité", "Impact", "Criticité", "Responsable", "Statut"]
    return {"header": header + (["Actions"] if access.can_edit else []), "rows": rows}


@dataclass(frozen=True)
class KpiCard:
    key: str
    name: str
    computed: bool
    is_adoption: bool
    latest: str
    latest_on: str
    target: str
    baseline: str
    due: str
    direction: str
    progress: str
    status: str
    badge: str
    chart: Chart


def kpi_cards(report: SteeringReport) -> list[KpiCard]:
    """One block per KPI: status, latest value against target, and its chart over time."""
    cards = []
    for k in report.kpis:
        unit = k.unit
        points = [(day(p.measured_on), p.value) for p in k.series]
        chart = line_chart(
            f"{k.name} — mesures et cible",
            [Series(k.name, points)],
            thresholds=[Threshold("Cible", k.target_value)],
            unit=unit,
        )
        cards.append(
            KpiCard(
                key=k.key,
                name=k.name,
                computed=k.computed,
                is_adoption=k.is_adoption,
                latest=measure(k.latest_value, unit),
                latest_on=day(k.latest_on),
                target=measure(k.target_value, unit),
                baseline=measure(k.baseline_value, unit),
                due=day(k.due_on),
                direction=direction_label(k.direction),
                progress=percent(k.progress_percent, 1),
                status=k.status.label,
                badge=KPI_BADGES[k.status],
                chart=chart,
            )
        )
    return cards


def measurements_table(items: Iterable[KpiMeasurement], access: OperationAccess) -> Table:
    rows = []
    for m in sorted(items, key=lambda m: (m.kpi_name, m.measured_on)):
        row: list[Cell] = [
            {"text": m.kpi_name},
            {"text": day(m.measured_on)},
            {"text": number(m.value, 4)},
            {"text": m.comment or "—"},
        ]
        if access.can_edit:
            url = reverse("steering:measurement_delete", args=[access.operation.pk, m.pk])
            label = f"la mesure « {m.kpi_name} » du {day(m.measured_on)}"
            row.append({"links": [{"text": "Supprimer", "url": url, "label": label}]})
        rows.append(row)
    header = ["Indicateur", "Mesuré le", "Valeur", "Commentaire"]
    return {"header": header + (["Actions"] if access.can_edit else []), "rows": rows}
