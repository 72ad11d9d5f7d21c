"""Change requests: typed by the AMO or the buyer, decided by the maître d'ouvrage."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from openamo.errors import OpenAMOError
from openamo.steering import (
    SteeringReport,
)
from openamo.web.audit.models import Action
from openamo.web.audit.services import (
    JSONValue,
    audited_update,
    entry_fields,
    record,
    snapshot,
)
from openamo.web.operations.access import OperationAccess
from openamo.web.steering import decisions
from openamo.web.steering.inputs import (
    ChangeEntry,
    DecisionEntry,
)
from openamo.web.steering.models import (
    ChangeRequest,
)
from openamo.web.steering.services.state import (
    SteeringState,
    checked_report,
    replace_row,
    validated_state,
)
from openamo.web.users import AuthenticatedUser

EDITABLE_CHANGE_FIELDS = entry_fields(ChangeEntry)
"""What the AMO or the buyer types; the decision fields belong to the maître d'ouvrage."""
CHANGE_FIELDS = (*EDITABLE_CHANGE_FIELDS, *entry_fields(DecisionEntry))


def _drift(report: SteeringReport) -> dict[str, JSONValue]:
    c = report.changes
    return {
        "dérive budgétaire (% du budget)": str(c.budget_drift_percent),
        "marge consommée (%)": None
        if c.margin_consumed_percent is None
        else str(c.margin_consumed_percent),
        "niveau d'alerte": c.alert.label,
    }


@transaction.atomic
def create_change_request(
    access: OperationAccess, user: AuthenticatedUser, data: ChangeEntry
) -> ChangeRequest:
    access.require_edit()
    operation = access.operation
    state = validated_state(operation)
    last = ChangeRequest.objects.filter(operation=operation).aggregate(n=Max("number"))["n"]
    request = ChangeRequest(operation=operation, number=(last or 0) + 1, created_by=user)
    return _save_change(access, user, state, request, data)


def _save_change(
    access: OperationAccess,
    user: AuthenticatedUser,
    state: SteeringState,
    request: ChangeRequest,
    data: ChangeEntry,
) -> ChangeRequest:
    """The request as typed, saved and journaled once the report with it applied is sound."""

    def check() -> None:
        state.changes = replace_row(state.changes, request)
        checked_report(state)

    values = {
        "title": data.title,
        "kind": data.kind.value,
        "requested_on": data.requested_on,
        "cost_ht": data.cost_ht,
        "delay_days": data.delay_days,
        "value": data.value.value,
        "feature": data.feature,
        "requested_by": data.requested_by,
        "justification": data.justification,
    }
    audited_update(user, request, values, operation_id=access.operation.pk, fields=CHANGE_FIELDS,
                   check=check)  # fmt: skip
    return request


def _require_pending(request: ChangeRequest) -> None:
    if not request.is_pending:
        raise OpenAMOError(
            f"La demande {request.code} est déjà décidée ({request.get_decision_display()}) : "
            "elle ne se modifie plus. Déposez une nouvelle demande.",
            code="already_decided",
        )


@transaction.atomic
def update_change_request(
    access: OperationAccess, user: AuthenticatedUser, request: ChangeRequest, data: ChangeEntry
) -> ChangeRequest:
    access.require_edit()
    request = ChangeRequest.objects.select_for_update().get(pk=request.pk)
    _require_pending(request)
    return _save_change(access, user, validated_state(access.operation), request, data)


@transaction.atomic
def decide_change_request(
    access: OperationAccess, user: AuthenticatedUser, request: ChangeRequest, data: DecisionEntry
) -> ChangeRequest:
    """Only the buyer's maître d'ouvrage decides; the drift after the decision is audited."""
    access.require_validate()
    request = ChangeRequest.objects.select_for_update().get(pk=request.pk)
    _require_pending(request)
    state = validated_state(access.operation)
    assert state.report is not None and state.baseline is not None
    decisions.refuse_if_stale(state.baseline, "décider une demande d'évolution")
    before = {**snapshot(request, CHANGE_FIELDS), **_drift(state.report)}
    request.decision = data.decision.value
    request.decided_on = data.decided_on
    request.decision_note = data.decision_note
    request.decided_by = user
    state.changes = replace_row(state.changes, request)
    report = checked_report(state)
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
