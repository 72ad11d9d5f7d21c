"""Milestones, risks and KPI measurements followed against the validated baseline."""

from __future__ import annotations

from django.db import transaction

from openamo.errors import ErrorDetail, OpenAMOError
from openamo.steering._types import french_number
from openamo.web.audit.models import Action
from openamo.web.audit.services import audited_update, entry_fields, record, snapshot
from openamo.web.operations.access import OperationAccess
from openamo.web.steering.inputs import (
    MeasurementEntry,
    MilestoneEntry,
    RiskFields,
)
from openamo.web.steering.models import (
    Baseline,
    KpiMeasurement,
    MilestoneProgress,
    Risk,
)
from openamo.web.steering.services.state import (
    SteeringState,
    checked_report,
    load_state,
    replace_row,
    risk_register,
    validated_state,
)
from openamo.web.users import AuthenticatedUser

MILESTONE_FIELDS = entry_fields(MilestoneEntry)
RISK_FIELDS = entry_fields(RiskFields)
MEASUREMENT_FIELDS = ["kpi_name", "measured_on", "value", "comment"]


def baseline_milestones(baseline: Baseline) -> dict[str, str]:
    """Milestone id → name, from the validated baseline."""
    return {m.id: m.name for m in baseline.to_domain().milestones}


@transaction.atomic
def update_milestone(
    access: OperationAccess, user: AuthenticatedUser, milestone: str, data: MilestoneEntry
) -> MilestoneProgress:
    access.require_edit()
    state = validated_state(access.operation)
    assert state.baseline is not None
    names = baseline_milestones(state.baseline)
    if milestone not in names:
        raise OpenAMOError(f"Jalon « {milestone} » inconnu de la base de référence.")
    progress = MilestoneProgress.objects.filter(
        operation=access.operation, milestone=milestone
    ).first() or MilestoneProgress(
        operation=access.operation, milestone=milestone, name=names[milestone]
    )

    def check() -> None:
        state.progress = replace_row(state.progress, progress)
        checked_report(state)

    values = {"forecast_on": data.forecast_on, "actual_on": data.actual_on, "updated_by": user}
    audited_update(user, progress, values, operation_id=access.operation.pk,
                   fields=MILESTONE_FIELDS, check=check)  # fmt: skip
    return progress


@transaction.atomic
def save_risk(
    access: OperationAccess, user: AuthenticatedUser, key: str | None, data: RiskFields
) -> Risk:
    """Adjust a pre-filled pitfall (``key`` of the register) or add a risk (``key`` None)."""
    access.require_edit()
    operation = access.operation
    state = load_state(operation)
    found = Risk.objects.filter(operation=operation, key=key).first() if key else None
    risk = found or Risk(operation=operation, key=key or _new_risk_key(state))

    def check() -> None:
        state.risks = replace_row(state.risks, risk)
        state.report = None  # the register is rebuilt from the rows, with the change applied
        if state.validated:
            checked_report(state)
        else:
            risk_register(state)

    values = {
        "title": data.title,
        "description": data.description,
        "probability": data.probability,
        "impact": data.impact,
        "owner": data.owner,
        "mitigation": data.mitigation,
        "status": data.status.value,
        "review_on": data.review_on,
        "updated_by": user,
    }
    audited_update(user, risk, values, operation_id=operation.pk, fields=RISK_FIELDS, check=check)
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


def _refuse_if_sign_absurd(baseline: Baseline, data: MeasurementEntry) -> None:
    """An indicator whose target and starting value are not negative (a share, a delay, a
    count) is never measured below zero: « −999 999 % of the agents » is a typing error."""
    kpi = next(k for k in baseline.to_domain().kpis if k.key == data.kpi)
    known = [v for v in (kpi.target_value, kpi.baseline_value) if v is not None]
    if data.value < 0 and all(v >= 0 for v in known):
        raise OpenAMOError(
            "Valeur mesurée invalide.",
            details=[
                ErrorDetail(
                    "value",
                    f"L'indicateur « {kpi.name} » ne peut pas être négatif : sa cible est "
                    f"{french_number(kpi.target_value).removesuffix(',00')} {kpi.unit}".rstrip()
                    + ". Vérifiez le signe de la valeur.",
                )
            ],
            code="valeur_negative",
        )


@transaction.atomic
def add_measurement(
    access: OperationAccess, user: AuthenticatedUser, data: MeasurementEntry
) -> KpiMeasurement:
    access.require_edit()
    state = validated_state(access.operation)
    assert state.baseline is not None
    kpis = baseline_kpis(state.baseline)
    if data.kpi not in kpis:
        raise OpenAMOError("Indicateur inconnu de la base de référence.", code="unknown_kpi")
    _refuse_if_sign_absurd(state.baseline, data)
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
    checked_report(state)
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
def delete_measurement(
    access: OperationAccess, user: AuthenticatedUser, item: KpiMeasurement
) -> None:
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
