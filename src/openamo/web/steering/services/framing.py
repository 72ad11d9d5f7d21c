"""Framing and baseline: the framing's answers assessed, the baseline produced then validated."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from openamo.errors import OpenAMOError
from openamo.steering import (
    FramingAnswers,
    FramingInput,
    FramingResult,
    ProjectInfo,
    assess_framing,
)
from openamo.validation import french_errors
from openamo.web.audit.models import Action
from openamo.web.audit.services import JSONValue, audited_update, record, snapshot
from openamo.web.operations.access import OperationAccess
from openamo.web.operations.models import Operation
from openamo.web.steering.models import (
    Baseline,
    BaselineStatus,
    Framing,
)
from openamo.web.steering.services.state import (
    framing_of,
    today,
)
from openamo.web.users import AuthenticatedUser

FRAMING_FIELDS = ["score", "risk_level", "baseline_ready"]
BASELINE_FIELDS = ["status", "budget_ht", "produced_at", "validated_at"]


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
def save_framing(
    access: OperationAccess, user: AuthenticatedUser, answers: FramingAnswers
) -> Framing:
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
def produce_baseline(access: OperationAccess, user: AuthenticatedUser) -> Baseline:
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
def validate_baseline(access: OperationAccess, user: AuthenticatedUser) -> Baseline:
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
    values = {
        "status": BaselineStatus.VALIDEE,
        "validated_at": timezone.now(),
        "validated_by": user,
    }
    audited_update(user, baseline, values, operation_id=operation.pk, action=Action.VALIDATE,
                   fields=BASELINE_FIELDS)  # fmt: skip
    return baseline
