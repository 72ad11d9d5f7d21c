"""The steering committee's dashboard: drift, schedule, risks and KPIs at one date.

``amo projet pilotage`` — input: ``project`` (name), ``as_of`` (date of the dashboard),
``baseline`` (as printed by ``amo projet cadrage``: ``budget_ht``, ``margin_rate``,
``features``, ``milestones``, ``kpis``), ``change_requests`` (``id``, ``title``,
``requested_on``, ``kind`` ajout|modification|suppression, ``cost_ht`` (signed), ``delay_days``,
``value`` forte|moyenne|faible|nulle, ``decision`` en_attente|acceptee|refusee|reportee,
``decided_on``, ``decided_by``…), ``milestones`` (progress: ``id``, ``forecast_on``,
``actual_on``), ``risks`` (overrides of the pre-filled pitfalls by ``id``, or new risks),
``measurements`` (``kpi``, ``measured_on``, ``value``) and ``framing`` (optional: the status of
each framing question, ``{"budget": "complete", …}``, which lowers the pre-filled risks whose
questions were answered).

Output: ``baseline_summary``, ``changes`` (drift in % of budget and scope, margin consumed,
alert and projected alert, drift timeline), ``schedule`` (milestones, go-live slip, alert),
``risks`` (register sorted by criticity), ``kpis`` (with the computed budget drift and slip KPIs),
``adoption_m3``, ``overall_alert``, ``alerts``, ``warnings``, ``references``, ``explanation``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field, model_validator

from openamo.money import format_euros
from openamo.steering import _data
from openamo.steering._types import french_percent
from openamo.steering.baseline import Baseline, BaselineSummary, summarise
from openamo.steering.changes import ChangeRequest, ChangeSummary, analyse_changes
from openamo.steering.enums import AlertLevel, AnswerStatus, RiskLevel, RiskStatus
from openamo.steering.kpis import (
    AdoptionCheck,
    KpiView,
    Measurement,
    adoption_check,
    computed_kpi,
    track_kpis,
)
from openamo.steering.risks import RiskEntry, RiskItem, build_register
from openamo.steering.schedule import MilestoneProgress, ScheduleSummary, analyse_schedule
from openamo.validation import InputModel, OutputModel, parse_input
from openamo.wording import count


class SteeringInput(InputModel):
    project: str = Field(min_length=1, max_length=200)
    as_of: date
    baseline: Baseline
    change_requests: list[ChangeRequest] = Field(default_factory=list, max_length=1000)
    milestones: list[MilestoneProgress] = Field(default_factory=list, max_length=100)
    risks: list[RiskEntry] = Field(default_factory=list, max_length=200)
    measurements: list[Measurement] = Field(default_factory=list, max_length=5000)
    framing: dict[str, AnswerStatus] | None = None

    @model_validator(mode="after")
    def _nothing_happened_after_the_report(self) -> SteeringInput:
        """What has happened (a request, a decision, a milestone reached, a measurement) is
        dated on or before the day of the report: a later date is a typing error, beyond the
        plausible window every date already checks."""
        day = f"{self.as_of:%d/%m/%Y}"
        for change in self.change_requests:
            for label, when in (("demandée", change.requested_on), ("décidée", change.decided_on)):
                if when is not None and when > self.as_of:
                    raise ValueError(
                        f"la demande d'évolution « {change.id} » est {label} le "
                        f"{when:%d/%m/%Y}, après la date du rapport ({day})"
                    )
        for milestone in self.milestones:
            if milestone.actual_on is not None and milestone.actual_on > self.as_of:
                raise ValueError(
                    f"le jalon « {milestone.id} » est dit atteint le "
                    f"{milestone.actual_on:%d/%m/%Y}, après la date du rapport ({day})"
                )
        for measurement in self.measurements:
            if measurement.measured_on > self.as_of:
                raise ValueError(
                    f"la mesure de l'indicateur « {measurement.kpi} » est datée du "
                    f"{measurement.measured_on:%d/%m/%Y}, après la date du rapport ({day})"
                )
        return self

    @model_validator(mode="after")
    def _known_questions(self) -> SteeringInput:
        if self.framing is not None:
            known = {q.id for q in _data.framing_rules().questions}
            unknown = sorted(set(self.framing) - known)
            if unknown:
                raise ValueError(
                    f"{'question' if len(unknown) < 2 else 'questions'} de cadrage "
                    f"{'inconnue' if len(unknown) < 2 else 'inconnues'} : {', '.join(unknown)} (attendu : "
                    f"{', '.join(sorted(known))})"
                )
        return self


class SteeringReport(OutputModel):
    project: str
    as_of: date
    baseline_summary: BaselineSummary
    changes: ChangeSummary
    schedule: ScheduleSummary
    risks: list[RiskItem]
    kpis: list[KpiView]
    adoption_m3: AdoptionCheck | None
    overall_alert: AlertLevel
    alerts: list[str]
    warnings: list[str]
    references: list[str]
    explanation: str


def steering_report_from_dict(data: Any) -> SteeringReport:
    """Validate a JSON-like dict (CLI/API contract) and build the steering dashboard."""
    return steering_report(parse_input(SteeringInput, data))


def steering_report(data: SteeringInput) -> SteeringReport:
    baseline = data.baseline
    changes = analyse_changes(baseline, data.change_requests, data.as_of)
    schedule = analyse_schedule(baseline, data.milestones, data.change_requests, data.as_of)
    risks = build_register(data.risks, data.framing)
    kpis = [
        *track_kpis(baseline, data.measurements, data.as_of),
        computed_kpi(
            "derive_budgetaire",
            "Dérive budgétaire (évolutions acceptées)",
            changes.budget_drift_percent,
            baseline.margin_rate * 100,
            data.as_of,
            schedule.go_live_planned_on,
        ),
    ]
    if schedule.slip_percent is not None:
        kpis.append(
            computed_kpi(
                "retard",
                "Retard de la mise en service",
                schedule.slip_percent,
                schedule.tolerance_percent,
                data.as_of,
                schedule.go_live_planned_on,
            )
        )
    overall = max(changes.alert, schedule.alert, key=lambda level: level.rank)
    alerts = [*changes.alerts, *schedule.alerts, *_risk_alerts(risks)]
    report = SteeringReport(
        project=data.project,
        as_of=data.as_of,
        baseline_summary=summarise(baseline),
        changes=changes,
        schedule=schedule,
        risks=risks,
        kpis=kpis,
        adoption_m3=adoption_check(kpis),
        overall_alert=overall,
        alerts=alerts,
        warnings=changes.warnings,
        references=_references(risks),
        explanation="",
    )
    return report.model_copy(update={"explanation": _explain(report)})


def _risk_alerts(risks: list[RiskItem]) -> list[str]:
    return [
        f"Risque {risk.level.label} : {risk.title} (criticité {risk.score}/25, "
        f"responsable : {risk.owner})."
        for risk in risks
        if risk.level is RiskLevel.CRITIQUE and risk.status is not RiskStatus.CLOS
    ]


def _references(risks: list[RiskItem]) -> list[str]:
    bench = _data.benchmarks()
    references = [bench.reference("digital_corpus_amo_it") + " — marge de 10 %, 5 pièges, M+3"]
    for risk in risks:
        references.extend(r for r in risk.references if r not in references)
    return references


def _explain(report: SteeringReport) -> str:
    c, s = report.changes, report.schedule
    summary = report.baseline_summary
    lines = [
        f"Tableau de bord « {report.project} » au {report.as_of:%d/%m/%Y} : situation "
        f"{report.overall_alert.label}.",
        f"Budget de référence {format_euros(summary.budget_ht)} HT, marge "
        f"{french_percent(summary.margin_rate)} ({format_euros(summary.margin_ht)}).",
        f"{count(c.accepted, 'évolution acceptée')} pour {format_euros(c.accepted_cost_ht)} : dérive "
        f"budgétaire {french_percent(c.budget_drift_percent / 100)} du budget, périmètre "
        f"{french_percent(c.scope_drift_percent / 100)} de fonctionnalités en plus (net), "
        f"{french_percent(c.scope_changes_percent / 100)} touchées"
        + (
            f", {french_percent(c.margin_consumed_percent / 100)} de la marge consommée."
            if c.margin_consumed_percent is not None
            else "."
        ),
        f"{count(c.pending, 'demande')} en attente pour {format_euros(c.pending_cost_ht)} : dérive "
        f"projetée {french_percent(c.projected_budget_drift_percent / 100)} "
        f"({c.projected_alert.label}).",
    ]
    if s.go_live_forecast_on is not None and s.go_live_planned_on is not None:
        lines.append(
            f"Mise en service prévue le {s.go_live_forecast_on:%d/%m/%Y} (référence "
            f"{s.go_live_planned_on:%d/%m/%Y}, glissement {s.go_live_slip_days} jours)."
        )
    lines.append(
        "Alertes : vigilance à la moitié de la marge, alerte à 80 %, dépassement au-delà — "
        "avant que la marge ne soit consommée ; l'AMO conseille, le maître d'ouvrage décide."
    )
    if report.adoption_m3 is not None and report.adoption_m3.value is not None:
        a = report.adoption_m3
        lines.append(
            f"Adoption : {a.value} mesurée le {a.measured_on:%d/%m/%Y} pour une cible de "
            f"{a.target_value} ({a.status.label})."
        )
    critical = sum(1 for r in report.risks if r.level in (RiskLevel.ELEVE, RiskLevel.CRITIQUE))
    lines.append(
        f"{count(critical, 'risque élevé ou critique', 'risques élevés ou critiques')} au registre."
    )
    return "\n".join(lines)
