"""Steering committee report: the dashboard as a document."""

from __future__ import annotations

from openamo.web.audit.models import Action
from openamo.web.audit.services import record
from openamo.web.operations.access import OperationAccess
from openamo.web.steering import decisions, exports
from openamo.web.steering.services.roi import last_simulation
from openamo.web.steering.services.state import (
    today,
    validated_state,
)
from openamo.web.users import AuthenticatedUser


def steering_document(
    access: OperationAccess, user: AuthenticatedUser, fmt: str
) -> tuple[str, bytes]:
    """The report for the steering committee (PDF or DOCX); its production is audited."""
    state = validated_state(access.operation)
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
