"""The steering workflow: load rows, check access, call ``openamo.steering``, save, audit.

Views and the demo call these functions and nothing else that writes. A write the domain
refuses raises :class:`openamo.errors.OpenAMOError` (French message) and saves nothing: the
whole dashboard is recomputed with the change *before* it is stored.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from openamo.errors import OpenAMOError
from openamo.steering import (
    FramingAnswers,
    FramingInput,
    FramingResult,
    ProjectInfo,
    RiskItem,
    RoiInput,
    SteeringInput,
    SteeringReport,
    assess_framing,
    build_register,
    compute_roi,
    steering_report,
)
from openamo.steering.roi import resolve_hypotheses
from openamo.validation import french_errors
from openamo.web.audit.models import Action
from openamo.web.audit.services import JSONValue, record, snapshot
from openamo.web.operations.access import OperationAccess
from openamo.web.operations.models import Operation
from openamo.web.steering import decisions, exports
from openamo.web.steering.inputs import (
    ChangeEntry,
    DecisionEntry,
    MeasurementEntry,
    MilestoneEntry,
    RiskFields,
    RoiFigures,
)
from openamo.web.steering.models import (
    Baseline,
    BaselineStatus,
    ChangeRequest,
    Framing,
    KpiMeasurement,
    MilestoneProgress,
    Risk,
    RoiSimulation,
)

FRAMING_FIELDS = ["score", "risk_level", "baseline_ready"]
BASELINE_FIELDS = ["status", "budget_ht", "produced_at", "validated_at"]
EDITABLE_CHANGE_FIELDS = [
    "title",
    "kind",
    "feature",
    "requested_on",
    "requested_by",
    "cost_ht",
    "delay_days",
    "value",
    "justification",
]
"""What the AMO or the buyer types; the decision fields belong to the maître d'ouvrage."""
CHANGE_FIELDS = [*EDITABLE_CHANGE_FIELDS, "decision", "decided_on", "decision_note"]
MILESTONE_FIELDS = ["forecast_on", "actual_on"]
RISK_FIELDS = [
    "title",
    "description",
    "probability",
    "impact",
    "owner",
    "mitigation",
    "status",
    "review_on",
]
MEASUREMENT_FIELDS = ["kpi_name", "measured_on", "value", "comment"]


def today() -> datetime.date:
    return timezone.localdate()


# ---------------------------------------------------------------------------------------------
# Reading: the steering state of an operation


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
            state.report = _report(state, as_of or today())
        except OpenAMOError as exc:
            # Stored rows the domain now refuses (e.g. a date moved): say so, never a traceback.
            state.report_error = exc.message
    return state


def _report(state: SteeringState, as_of: datetime.date) -> SteeringReport:
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


# ---------------------------------------------------------------------------------------------
# Framing and baseline


def framing_input(
    operation: Operation, answers: FramingAnswers, framed_on: datetime.date
) -> FramingInput:
    """The framing record of ``amo projet cadrage``: the operation names the project."""
    project = ProjectInfo(
        name=operation.title, buyer=operation.organisation.name, framed_on=framed_on
    )
    return FramingInput.of(project, answers)


def blank_framing(operation: Operation) -> FramingResult:
    """The domain's assessment of an empty framing: the ten questions, all unanswered."""
    return assess_framing(framing_input(operation, FramingAnswers(), today()))


def _framing_state(framing: Framing) -> dict[str, JSONValue]:
    return {**snapshot(framing, FRAMING_FIELDS), "input": framing.answers}


@transaction.atomic
def save_framing(access: OperationAccess, user: Any, answers: FramingAnswers) -> Framing:
    """Assess the answers with the domain, then store both (nothing is stored if it refuses)."""
    access.require_edit()
    operation = access.operation
    with french_errors():
        result = assess_framing(framing_input(operation, answers, today()))
    framing = Framing.objects.select_for_update().filter(operation=operation).first()
    before = _framing_state(framing) if framing else None
    framing = framing or Framing(operation=operation)
    framing.answers = answers.model_dump(mode="json", exclude_unset=True, exclude_none=True)
    framing.result = result.model_dump(mode="json")
    framing.score = result.completeness_score
    framing.risk_level = result.risk_level.value
    framing.baseline_ready = result.baseline_ready
    framing.updated_by = user
    framing.save()
    record(
        user,
        Action.UPDATE if before else Action.CREATE,
        framing,
        operation_id=operation.pk,
        before=before,
        after=_framing_state(framing),
    )
    return framing


@transaction.atomic
def produce_baseline(access: OperationAccess, user: Any) -> Baseline:
    """The baseline the framing supports (the domain builds it), awaiting validation."""
    access.require_edit()
    operation = access.operation
    framing = framing_of(operation)
    if framing is None:
        raise OpenAMOError("Répondez d'abord au questionnaire de cadrage.", code="no_framing")
    baseline = Baseline.objects.select_for_update().filter(operation=operation).first()
    if baseline is not None and baseline.is_validated and not baseline.stale_changes:
        raise OpenAMOError(
            "La base de référence validée est figée : toute évolution du périmètre, du budget "
            "ou du planning passe par une demande d'évolution.",
            code="baseline_frozen",
        )
    result = framing.to_domain()
    if result.baseline is None:
        raise OpenAMOError(
            "Le cadrage ne permet pas encore de produire une base de référence : indiquez au "
            "moins le budget maximal (question 6).",
            code="no_baseline",
        )
    data = result.baseline.model_dump(mode="json")
    summary = result.baseline_summary
    before = snapshot(baseline, BASELINE_FIELDS) if baseline else None
    baseline = baseline or Baseline(operation=operation)
    baseline.data = data
    baseline.summary = summary.model_dump(mode="json") if summary else {}
    baseline.gaps = result.baseline_gaps
    baseline.budget_ht = result.baseline.budget_ht
    baseline.status = BaselineStatus.BROUILLON
    baseline.stale_changes = []
    baseline.produced_at = timezone.now()
    baseline.produced_by = user
    baseline.save()
    record(
        user,
        Action.UPDATE if before else Action.CREATE,
        baseline,
        operation_id=operation.pk,
        before=before,
        after={**snapshot(baseline, BASELINE_FIELDS), "input": data},
    )
    return baseline


@transaction.atomic
def validate_baseline(access: OperationAccess, user: Any) -> Baseline:
    """The maître d'ouvrage signs the baseline off; from then on it is frozen."""
    access.require_validate()
    operation = access.operation
    baseline = Baseline.objects.select_for_update().filter(operation=operation).first()
    if baseline is None or baseline.is_validated:
        raise OpenAMOError(
            "Aucune base de référence n'attend de validation.", code="nothing_to_validate"
        )
    framing = framing_of(operation)
    if framing is not None and framing.updated_at > baseline.produced_at:
        raise OpenAMOError(
            "Le cadrage a été modifié après la production de cette base de référence : "
            "produisez-la à nouveau avant de la valider.",
            code="baseline_stale",
        )
    if baseline.gaps:
        raise OpenAMOError(
            "Base de référence à compléter avant validation : " + " ; ".join(baseline.gaps) + ".",
            code="baseline_gaps",
        )
    before = snapshot(baseline, BASELINE_FIELDS)
    baseline.status = BaselineStatus.VALIDEE
    baseline.validated_at = timezone.now()
    baseline.validated_by = user
    baseline.save()
    record(
        user,
        Action.VALIDATE,
        baseline,
        operation_id=operation.pk,
        before=before,
        after=snapshot(baseline, BASELINE_FIELDS),
    )
    return baseline


def _validated_state(operation: Operation) -> SteeringState:
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


def _check(state: SteeringState) -> SteeringReport:
    """The dashboard with the pending change applied: the domain refuses it, or it is saved."""
    return _report(state, today())


def _drift(report: SteeringReport) -> dict[str, JSONValue]:
    c = report.changes
    return {
        "dérive budgétaire (% du budget)": str(c.budget_drift_percent),
        "marge consommée (%)": None
        if c.margin_consumed_percent is None
        else str(c.margin_consumed_percent),
        "niveau d'alerte": c.alert.label,
    }


# ---------------------------------------------------------------------------------------------
# Change requests


def _replace(items: list[Any], item: Any) -> list[Any]:
    return [item if i.pk == item.pk else i for i in items] if item.pk else [*items, item]


@transaction.atomic
def create_change_request(access: OperationAccess, user: Any, data: ChangeEntry) -> ChangeRequest:
    access.require_edit()
    operation = access.operation
    state = _validated_state(operation)
    last = ChangeRequest.objects.filter(operation=operation).aggregate(n=Max("number"))["n"]
    request = ChangeRequest(operation=operation, number=(last or 0) + 1, created_by=user)
    _fill_change(request, data)
    state.changes = _replace(state.changes, request)
    _check(state)
    request.save()
    record(
        user,
        Action.CREATE,
        request,
        operation_id=operation.pk,
        after=snapshot(request, CHANGE_FIELDS),
    )
    return request


def _fill_change(request: ChangeRequest, data: ChangeEntry) -> None:
    request.title = data.title
    request.kind = data.kind.value
    request.requested_on = data.requested_on
    request.cost_ht = data.cost_ht
    request.delay_days = data.delay_days
    request.value = data.value.value
    request.feature = data.feature
    request.requested_by = data.requested_by
    request.justification = data.justification


def _require_pending(request: ChangeRequest) -> None:
    if not request.is_pending:
        raise OpenAMOError(
            f"La demande {request.code} est déjà décidée ({request.get_decision_display()}) : "
            "elle ne se modifie plus. Déposez une nouvelle demande.",
            code="already_decided",
        )


@transaction.atomic
def update_change_request(
    access: OperationAccess, user: Any, request: ChangeRequest, data: ChangeEntry
) -> ChangeRequest:
    access.require_edit()
    request = ChangeRequest.objects.select_for_update().get(pk=request.pk)
    _require_pending(request)
    state = _validated_state(access.operation)
    before = snapshot(request, CHANGE_FIELDS)
    _fill_change(request, data)
    state.changes = _replace(state.changes, request)
    _check(state)
    request.save()
    record(
        user,
        Action.UPDATE,
        request,
        operation_id=access.operation.pk,
        before=before,
        after=snapshot(request, CHANGE_FIELDS),
    )
    return request


@transaction.atomic
def decide_change_request(
    access: OperationAccess, user: Any, request: ChangeRequest, data: DecisionEntry
) -> ChangeRequest:
    """Only the buyer's maître d'ouvrage decides; the drift after the decision is audited."""
    access.require_validate()
    request = ChangeRequest.objects.select_for_update().get(pk=request.pk)
    _require_pending(request)
    state = _validated_state(access.operation)
    assert state.report is not None and state.baseline is not None
    decisions.refuse_if_stale(state.baseline, "décider une demande d'évolution")
    before = {**snapshot(request, CHANGE_FIELDS), **_drift(state.report)}
    request.decision = data.decision.value
    request.decided_on = data.decided_on
    request.decision_note = data.decision_note
    request.decided_by = user
    state.changes = _replace(state.changes, request)
    report = _check(state)
    request.save()
    record(
        user,
        Action.DECIDE,
        request,
        operation_id=access.operation.pk,
        before=before,
        after={**snapshot(request, CHANGE_FIELDS), **_drift(report)},
    )
    return request


# ---------------------------------------------------------------------------------------------
# Milestones, risks, KPI measurements


def baseline_milestones(baseline: Baseline) -> dict[str, str]:
    """Milestone id → name, from the validated baseline."""
    return {m.id: m.name for m in baseline.to_domain().milestones}


@transaction.atomic
def update_milestone(
    access: OperationAccess, user: Any, milestone: str, data: MilestoneEntry
) -> MilestoneProgress:
    access.require_edit()
    state = _validated_state(access.operation)
    assert state.baseline is not None
    names = baseline_milestones(state.baseline)
    if milestone not in names:
        raise OpenAMOError(f"Jalon « {milestone} » inconnu de la base de référence.")
    progress = MilestoneProgress.objects.filter(
        operation=access.operation, milestone=milestone
    ).first()
    before = snapshot(progress, MILESTONE_FIELDS) if progress else None
    progress = progress or MilestoneProgress(
        operation=access.operation, milestone=milestone, name=names[milestone]
    )
    progress.forecast_on = data.forecast_on
    progress.actual_on = data.actual_on
    progress.updated_by = user
    state.progress = _replace(state.progress, progress)
    _check(state)
    progress.save()
    record(
        user,
        Action.UPDATE if before else Action.CREATE,
        progress,
        operation_id=access.operation.pk,
        before=before,
        after=snapshot(progress, MILESTONE_FIELDS),
    )
    return progress


@transaction.atomic
def save_risk(access: OperationAccess, user: Any, key: str | None, data: RiskFields) -> Risk:
    """Adjust a pre-filled pitfall (``key`` of the register) or add a risk (``key`` None)."""
    access.require_edit()
    operation = access.operation
    state = load_state(operation)
    risk = Risk.objects.filter(operation=operation, key=key).first() if key else None
    before = snapshot(risk, RISK_FIELDS) if risk else None
    if risk is None:
        risk = Risk(operation=operation, key=key or _new_risk_key(state))
    risk.title = data.title
    risk.description = data.description
    risk.probability = data.probability
    risk.impact = data.impact
    risk.owner = data.owner
    risk.mitigation = data.mitigation
    risk.status = data.status.value
    risk.review_on = data.review_on
    risk.updated_by = user
    state.risks = _replace(state.risks, risk)
    state.report = None  # the register is rebuilt from the rows, with the change applied
    if state.validated:
        _check(state)
    else:
        risk_register(state)
    risk.save()
    record(
        user,
        Action.UPDATE if before else Action.CREATE,
        risk,
        operation_id=operation.pk,
        before=before,
        after=snapshot(risk, RISK_FIELDS),
    )
    return risk


def _new_risk_key(state: SteeringState) -> str:
    taken = {r.key for r in state.risks}
    number = 1
    while f"risque_{number}" in taken:
        number += 1
    return f"risque_{number}"


def baseline_kpis(baseline: Baseline) -> dict[str, str]:
    """KPI key (its id, or its name) → name, from the validated baseline."""
    return {k.key: k.name for k in baseline.to_domain().kpis}


@transaction.atomic
def add_measurement(access: OperationAccess, user: Any, data: MeasurementEntry) -> KpiMeasurement:
    access.require_edit()
    state = _validated_state(access.operation)
    assert state.baseline is not None
    kpis = baseline_kpis(state.baseline)
    if data.kpi not in kpis:
        raise OpenAMOError("Indicateur inconnu de la base de référence.", code="unknown_kpi")
    item = KpiMeasurement(
        operation=access.operation,
        kpi=data.kpi,
        kpi_name=kpis[data.kpi],
        measured_on=data.measured_on,
        value=data.value,
        comment=data.comment,
        created_by=user,
    )
    state.measurements = [*state.measurements, item]
    _check(state)
    item.save()
    record(
        user,
        Action.CREATE,
        item,
        operation_id=access.operation.pk,
        after=snapshot(item, MEASUREMENT_FIELDS),
    )
    return item


@transaction.atomic
def delete_measurement(access: OperationAccess, user: Any, item: KpiMeasurement) -> None:
    """Soft delete of a measurement typed by mistake; the history keeps it."""
    access.require_edit()
    item.soft_delete()
    record(
        user,
        Action.DELETE,
        item,
        operation_id=access.operation.pk,
        before=snapshot(item, MEASUREMENT_FIELDS),
    )


# ---------------------------------------------------------------------------------------------
# Cost of drift with and without AMO


def last_simulation(operation: Operation) -> RoiSimulation | None:
    return RoiSimulation.objects.filter(operation=operation).select_related("created_by").first()


def roi_defaults(state: SteeringState) -> RoiFigures:
    """Initial values of the simulation form: the project's figures, then the domain's defaults.

    The AMO cost proposed is the one the worked example's claim implies for this budget (the
    savings divided by 1.7 € of drift prevented per euro), as computed by the domain.
    """
    summary = state.baseline.summary_of() if state.baseline and state.baseline.summary else None
    budget = summary.budget_ht if summary and summary.budget_ht else _need_budget(state)
    margin = summary.margin_rate if summary and summary.margin_rate else None
    months = _duration_months(summary.planned_duration_days if summary else None)

    def probe(runs: int | None) -> RoiInput:
        return RoiInput(
            baseline_budget_ht=budget.quantize(CENT),
            amo_cost_ht=Decimal(1),
            runs=runs,
            baseline_duration_months=months or 12,
            claimed_drift_prevented_per_euro=Decimal("1.7"),
            margin_rate=margin,
        )

    hypotheses = resolve_hypotheses(probe(1))
    implied = compute_roi(probe(None)).implied_amo_cost_ht
    hundred = Decimal(100)
    return RoiFigures(
        mode="monte_carlo",
        runs=100_000,
        seed=2026,
        baseline_budget_ht=budget,
        amo_cost_ht=implied if implied and implied > 0 else None,
        margin_percent=hypotheses.margin_rate * hundred,
        drift_without_percent=hypotheses.drift_without * hundred,
        drift_with_percent=hypotheses.drift_with * hundred,
        cost_dispersion=hypotheses.cost_dispersion,
        baseline_duration_months=months,
        delay_without_percent=_percent(hypotheses.delay_without) if months else None,
        delay_with_percent=_percent(hypotheses.delay_with) if months else None,
    )


CENT = Decimal("0.01")


def _percent(fraction: Decimal | None) -> Decimal | None:
    return None if fraction is None else fraction * 100


def _need_budget(state: SteeringState) -> Decimal:
    need = getattr(state.operation, "need", None)
    if need is not None and need.estimated_amount_ht > 0:
        return Decimal(need.estimated_amount_ht)
    return Decimal("75000.00")


def _duration_months(days: int | None) -> int | None:
    """Planned duration kick-off → go-live in whole months (at least one)."""
    if not days:
        return None
    return max(1, round(days / 30.4375))


@transaction.atomic
def simulate_roi(access: OperationAccess, user: Any, data: RoiInput) -> RoiSimulation:
    """Run the domain's cost-of-drift model (seeded) and keep its input and result."""
    access.require_edit()
    result = compute_roi(data)
    stored = data.model_dump(mode="json", exclude_none=True)
    simulation = RoiSimulation.objects.create(
        operation=access.operation,
        input=stored,
        result=result.model_dump(mode="json"),
        mode=result.mode.value,
        savings_ht=result.savings_ht,
        drift_prevented_per_euro=result.drift_prevented_per_euro,
        created_by=user,
    )
    record(
        user,
        Action.CREATE,
        simulation,
        operation_id=access.operation.pk,
        after={
            **snapshot(simulation, ["mode", "savings_ht", "drift_prevented_per_euro"]),
            "input": stored,
        },
    )
    return simulation


# ---------------------------------------------------------------------------------------------
# Steering committee report


def steering_document(access: OperationAccess, user: Any, fmt: str) -> tuple[str, bytes]:
    """The report for the steering committee (PDF or DOCX); its production is audited."""
    state = _validated_state(access.operation)
    assert state.report is not None and state.baseline is not None
    decisions.refuse_if_stale(state.baseline, "produire le rapport du comité de pilotage")
    operation = access.operation
    document = exports.steering_document(
        state.report,
        buyer=operation.organisation.name,
        author=user.get_full_name() or user.username,
        framing=state.framing,
        changes=state.changes,
        simulation=last_simulation(operation),
        generated_on=today(),
    )
    content = exports.render(fmt, document)
    name = exports.filename(operation.title, state.report.as_of, fmt)
    record(
        user,
        Action.GENERATE,
        state.baseline,
        operation_id=operation.pk,
        after={"document": name, "situation": state.report.overall_alert.label},
    )
    return name, content
