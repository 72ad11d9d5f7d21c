"""Turn rows and domain results into what the DSFR templates display: labels, tables, charts."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django import forms
from django.urls import reverse

from openamo import steering
from openamo.errors import OpenAMOError
from openamo.money import format_euros
from openamo.steering import BaselineSummary, FramingResult, RiskItem, RoiResult, SteeringReport
from openamo.steering.enums import (
    AlertLevel,
    AnswerStatus,
    KpiDirection,
    KpiStatus,
    MilestoneStatus,
    RiskLevel,
    RiskStatus,
    SimulationMode,
)
from openamo.steering.roi import AdoptionResult, DelayResult
from openamo.web.charts import Chart, Series, Threshold, bar_chart, line_chart
from openamo.web.operations.access import OperationAccess
from openamo.web.steering.models import ChangeRequest, KpiMeasurement
from openamo.web.tables import Cell, Table, badge

ALERT_BADGES = {
    AlertLevel.NORMAL: "success",
    AlertLevel.VIGILANCE: "warning",
    AlertLevel.ALERTE: "error",
    AlertLevel.DEPASSEMENT: "error",
}
RISK_BADGES = {
    RiskLevel.FAIBLE: "success",
    RiskLevel.MODERE: "info",
    RiskLevel.ELEVE: "warning",
    RiskLevel.CRITIQUE: "error",
}
ANSWER_BADGES = {
    AnswerStatus.COMPLETE: "success",
    AnswerStatus.PARTIELLE: "warning",
    AnswerStatus.MANQUANTE: "error",
}
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
DECISION_BADGES = {
    "en_attente": "new",
    "acceptee": "success",
    "refusee": "error",
    "reportee": "info",
}


def euros(amount: Decimal | str | None) -> str:
    return "—" if amount is None else format_euros(Decimal(amount))


def number(value: Decimal | str | int | None, places: int = 2) -> str:
    """French decimal display without useless zeros: « 12,5 », « 2 », « 1 234,56 »."""
    if value is None:
        return "—"
    amount = Decimal(value).quantize(Decimal(1).scaleb(-places))
    text = f"{amount:,.{places}f}".replace(",", "\u202f").replace(".", ",")
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def percent(value: Decimal | str | None, places: int = 2) -> str:
    """A value already in percent: « 6,32 % »."""
    return "—" if value is None else f"{number(value, places)}\u00a0%"


def fraction(value: Decimal | str | None, places: int = 2) -> str:
    """A fraction shown as a percentage: 0.1 → « 10 % »."""
    return "—" if value is None else percent(Decimal(value) * 100, places)


def day(value: datetime.date | str | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return f"{value:%d/%m/%Y}"


def attach_domain_errors(form: forms.Form, exc: OpenAMOError) -> None:
    """The domain's French messages next to the fields they concern, else above the form."""
    if not exc.details:
        form.add_error(None, exc.message)
        return
    for detail in exc.details:
        name = detail.location.rsplit(".", 1)[-1].split("[")[0]
        if name in form.fields:
            form.add_error(name, detail.message)
        else:
            form.add_error(None, f"{detail.location} : {detail.message}")


# ---------------------------------------------------------------------------------------------
# Framing


@dataclass(frozen=True)
class Question:
    """One of the ten questions as assessed by the domain, with its status label and badge."""

    id: str
    number: int
    question: str
    status_label: str
    badge: str
    points: str
    max_points: int
    missing: list[str]
    why_it_matters: str


@dataclass(frozen=True)
class FormsetRow:
    title: str
    fields: list[tuple[forms.BoundField, int]]
    """Each field of the row with its column width (out of 12)."""


@dataclass(frozen=True)
class QuestionSection:
    """A question of the questionnaire: its text, its fields and, for a list, its rows."""

    number: int
    question: str
    why_it_matters: str
    fields: list[forms.BoundField]
    formset: forms.BaseFormSet[Any] | None
    rows: list[FormsetRow]
    formset_legend: str


@dataclass(frozen=True)
class FramingSummary:
    score: str
    risk: str
    risk_badge: str
    complete: int
    partial: int
    missing: int


def questions(result: FramingResult) -> list[Question]:
    """The ten questions of the domain's assessment, with status labels and badges."""
    return [
        Question(
            id=q.id,
            number=q.number,
            question=q.question,
            status_label=q.status.label,
            badge=ANSWER_BADGES[q.status],
            points=number(q.points, 1),
            max_points=q.max_points,
            missing=q.missing,
            why_it_matters=q.why_it_matters,
        )
        for q in result.questions
    ]


def framing_summary(result: FramingResult) -> FramingSummary:
    level = result.risk_level
    return FramingSummary(
        score=number(result.completeness_score, 1),
        risk=level.label,
        risk_badge=RISK_BADGES[level],
        complete=result.complete_answers,
        partial=result.partial_answers,
        missing=result.missing_answers_count,
    )


# ---------------------------------------------------------------------------------------------
# Baseline


def features_table(baseline: steering.Baseline) -> Table:
    rows: list[list[Cell]] = [
        [
            {"text": f.name},
            {"text": f.priority.label},
            {"text": euros(f.estimated_cost_ht)},
        ]
        for f in baseline.features
    ]
    return {"header": ["Fonctionnalité", "Priorité", "Coût estimé HT"], "rows": rows}


def baseline_milestones_table(baseline: steering.Baseline) -> Table:
    rows: list[list[Cell]] = [
        [{"text": m.name}, {"text": day(m.planned_on)}] for m in baseline.milestones
    ]
    return {"header": ["Jalon", "Date prévue"], "rows": rows}


def _direction(value: KpiDirection) -> str:
    return "hausse" if value is KpiDirection.HAUSSE else "baisse"


def baseline_kpis_table(baseline: steering.Baseline) -> Table:
    rows: list[list[Cell]] = [
        [
            {"text": k.name + (" (adoption)" if k.is_adoption else "")},
            {"text": _measure(k.baseline_value, k.unit)},
            {"text": _measure(k.target_value, k.unit)},
            {"text": f"à la {_direction(k.direction)}"},
            {"text": day(k.due_on)},
        ]
        for k in baseline.kpis
    ]
    header = ["Indicateur", "Valeur de départ", "Cible", "Sens attendu", "Échéance"]
    return {"header": header, "rows": rows}


def _measure(value: Decimal | str | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{number(value)}\u00a0{unit}".strip() if unit else number(value)


def baseline_summary(summary: BaselineSummary) -> dict[str, str]:
    share = summary.indispensable_share
    return {
        "budget": euros(summary.budget_ht),
        "margin_rate": fraction(summary.margin_rate),
        "margin": euros(summary.margin_ht),
        "ceiling": euros(summary.budget_with_margin_ht),
        "features": str(summary.features_in_scope),
        "features_cost": euros(summary.features_cost_ht),
        "indispensable_share": fraction(share, 0) if share is not None else "—",
        "go_live": day(summary.go_live_on),
    }


# ---------------------------------------------------------------------------------------------
# Change requests and drift


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


# ---------------------------------------------------------------------------------------------
# Schedule, risks, KPIs


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
                latest=_measure(k.latest_value, unit),
                latest_on=day(k.latest_on),
                target=_measure(k.target_value, unit),
                baseline=_measure(k.baseline_value, unit),
                due=day(k.due_on),
                direction=_direction(k.direction),
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


# ---------------------------------------------------------------------------------------------
# Cost of drift with and without AMO


@dataclass(frozen=True)
class RoiView:
    """A cost-of-drift simulation in French: figures, hypotheses and their sources."""

    monte_carlo: bool
    runs: str
    seed: int | None
    budget: str
    ceiling: str
    margin_rate: str
    drift_without: str
    drift_with: str
    cost_without: str
    cost_with: str
    savings: str
    amo_cost: str
    net_savings: str
    ratio: str
    implied_amo_cost: str
    claimed: str | None
    probability_without: str
    probability_with: str
    assumptions: list[str]
    warnings: list[str]
    references: list[str]
    explanation: list[str]
    percentiles: Table | None
    delay: dict[str, str] | None
    adoption: dict[str, str] | None


PERCENTILE_LABELS = {
    "cost_without_amo_ht": "Coût final sans AMO",
    "cost_with_amo_ht": "Coût final avec AMO (honoraires exclus)",
    "savings_ht": "Économie",
}


def roi_view(result: RoiResult) -> RoiView:
    p = result.probability_over_budget_with_margin
    claimed = result.claimed_drift_prevented_per_euro
    percentiles = result.percentiles
    return RoiView(
        monte_carlo=result.mode is SimulationMode.MONTE_CARLO,
        runs=number(result.runs, 0),
        seed=result.seed,
        budget=euros(result.baseline_budget_ht),
        ceiling=euros(result.budget_with_margin_ht),
        margin_rate=fraction(result.margin_rate),
        drift_without=fraction(result.drift_without_amo),
        drift_with=fraction(result.drift_with_amo),
        cost_without=euros(result.cost_without_amo_ht),
        cost_with=euros(result.cost_with_amo_ht),
        savings=euros(result.savings_ht),
        amo_cost=euros(result.amo_cost_ht),
        net_savings=euros(result.net_savings_ht),
        ratio=number(result.drift_prevented_per_euro),
        implied_amo_cost=euros(result.implied_amo_cost_ht),
        claimed=number(claimed, 2) if claimed else None,
        probability_without=fraction(p.without_amo),
        probability_with=fraction(p.with_amo),
        assumptions=result.assumptions,
        warnings=result.warnings,
        references=result.references,
        explanation=result.explanation.splitlines(),
        percentiles={
            "header": ["", "P10", "P50 (médiane)", "P90"],
            "rows": [
                [
                    {"text": label},
                    {"text": euros(percentiles[key].p10)},
                    {"text": euros(percentiles[key].p50)},
                    {"text": euros(percentiles[key].p90)},
                ]
                for key, label in PERCENTILE_LABELS.items()
            ],
        }
        if percentiles
        else None,
        delay=_delay(result.delay),
        adoption=_adoption(result.adoption),
    )


def _delay(delay: DelayResult | None) -> dict[str, str] | None:
    if not delay:
        return None
    p = delay.probability_over_tolerance
    return {
        "planned": str(delay.baseline_duration_months),
        "without": number(delay.duration_without_amo_months, 1),
        "with": number(delay.duration_with_amo_months, 1),
        "prevented": number(delay.delay_prevented_months, 1),
        "tolerance": fraction(delay.schedule_tolerance),
        "probability_without": fraction(p.without_amo),
        "probability_with": fraction(p.with_amo),
    }


def _adoption(adoption: AdoptionResult | None) -> dict[str, str] | None:
    if not adoption:
        return None
    return {
        "without": fraction(adoption.adoption_without_amo, 0),
        "with": fraction(adoption.adoption_with_amo, 0),
    }


def roi_chart(result: RoiResult) -> Chart | None:
    """Histogram of the simulated final cost, without and with AMO (two series)."""
    distribution = result.distribution
    if not distribution:
        return None
    edges = distribution.bin_edges_ht
    labels = [f"{number(low / 1000, 0)}–{number(high / 1000, 0)}" for low, high in pairwise(edges)]
    return bar_chart(
        "Distribution du coût final simulé : nombre de tirages par tranche de coût (k€ HT)",
        [
            Series(
                "Sans AMO",
                [
                    (label, Decimal(n))
                    for label, n in zip(labels, distribution.without_amo, strict=True)
                ],
            ),
            Series(
                "Avec AMO",
                [
                    (label, Decimal(n))
                    for label, n in zip(labels, distribution.with_amo, strict=True)
                ],
            ),
        ],
    )
