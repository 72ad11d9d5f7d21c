"""The award criteria: checked by the domain, saved, validated by the maître d'ouvrage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from django.db import transaction
from django.utils import timezone

from openamo.award.models import CriterionInput
from openamo.award.models import check_weights as domain_check_weights
from openamo.errors import ErrorDetail, OpenAMOError
from openamo.web.audit.models import Action
from openamo.web.audit.services import record
from openamo.web.award import decisions, history
from openamo.web.award.models import CriteriaSet
from openamo.web.award.requests import CriterionRequest, GridRow, SubCriterionRow
from openamo.web.award.services.reading import criteria_locked, criteria_set_of
from openamo.web.errors import LocatedErrors
from openamo.web.operations import decisions as operation_decisions
from openamo.web.operations.access import OperationAccess
from openamo.web.operations.models import Operation
from openamo.web.users import AuthenticatedUser


def validate_criteria(rows: Sequence[CriterionRequest]) -> list[CriterionInput]:
    """The criteria typed in the form's rows, each then the set (weights summing to 100…) as
    the domain checks them.

    Error locations are ``criteres[i]`` / ``criteres[i].<field>`` (one criterion, its
    ``sub_criteria[j]`` and ``grid[k]``) or ``criteres`` (the set).
    """
    errors = LocatedErrors()
    built = [row.build(errors, f"criteres[{index}]") for index, row in enumerate(rows)]
    errors.raise_if_any("Les critères ne sont pas enregistrés.")
    models = [criterion for criterion in built if criterion is not None]
    check_criteria(models)
    return models


def check_criteria(criteria: list[CriterionInput]) -> None:
    """At least one criterion, and weights as the domain wants them."""
    if not criteria:
        raise OpenAMOError(
            "Indiquez au moins un critère.",
            details=[ErrorDetail("criteres", "Indiquez au moins un critère (le prix ou le coût).")],
        )
    try:
        domain_check_weights(criteria, "critères")
    except ValueError as exc:
        message = str(exc).removeprefix("critères : ")
        raise OpenAMOError(
            "Les critères ne sont pas enregistrés.",
            details=[ErrorDetail("criteres", message[:1].upper() + message[1:] + ".")],
        ) from None


def _refuse_if_locked(operation: Operation) -> None:
    if criteria_locked(operation):
        raise OpenAMOError(
            "Des offres sont déjà notées : les critères annoncés aux candidats ne peuvent plus "
            "changer (égalité de traitement, CCP L3 et R2152-7). Effacez d'abord les notes si la "
            "consultation n'est pas encore lancée.",
            code="criteria_locked",
        )


@transaction.atomic
def save_criteria(
    access: OperationAccess,
    user: AuthenticatedUser,
    criteria: list[CriterionInput],
    standardised_purchase: bool | None,
) -> CriteriaSet:
    access.require_edit()
    _refuse_if_locked(access.operation)
    check_criteria(criteria)
    stored = criteria_set_of(access.operation)
    before = history.criteria_set(stored) if stored else None
    if stored is None:
        stored = CriteriaSet(operation=access.operation)
    stored.update_from_domain(criteria)
    stored.standardised_purchase = standardised_purchase
    stored.updated_by = user
    stored.save()
    record(
        user,
        Action.UPDATE if before else Action.CREATE,
        stored,
        operation_id=access.operation.pk,
        before=before,
        after=history.criteria_set(stored),
    )
    return stored


def save_criterion_details(
    access: OperationAccess,
    user: AuthenticatedUser,
    index: int,
    sub_criteria: Sequence[SubCriterionRow],
    grid: Sequence[GridRow],
) -> CriteriaSet:
    """Sub-criteria and marking grid (the form's rows) of the criterion at ``index``."""
    stored = criteria_set_of(access.operation)
    if stored is None or not 0 <= index < len(stored.criteria):
        raise OpenAMOError("Critère introuvable.", code="not_found")
    rows = [CriterionRequest.from_domain(criterion) for criterion in stored.to_domain()]
    rows[index] = replace(rows[index], sub_criteria=tuple(sub_criteria), grid=tuple(grid) or None)
    return save_criteria(access, user, validate_criteria(rows), stored.standardised_purchase)


@transaction.atomic
def validate_criteria_set(access: OperationAccess, user: AuthenticatedUser) -> CriteriaSet:
    """The maître d'ouvrage validates the criteria (as the RC will announce them) on the rules
    of the consultation; a later change of either makes them « à revalider »."""
    access.require_validate()
    stored = criteria_set_of(access.operation)
    if stored is None or not stored.criteria:
        raise OpenAMOError("Définissez d'abord les critères de jugement.", code="criteria_missing")
    before = history.criteria_set(stored)
    stored.validated_input = decisions.criteria_input(stored).model_dump(
        mode="json", exclude_none=True
    )
    stored.validated_at = timezone.now()
    stored.validated_by = user
    stored.stale_changes = []
    stored.save()
    record(
        user,
        Action.VALIDATE,
        stored,
        operation_id=access.operation.pk,
        before=before,
        after={**history.criteria_set(stored), "validés le": f"{timezone.localdate():%d/%m/%Y}"},
    )
    return stored


def refuse_if_decisions_stale(operation: Operation, step: str) -> None:
    """The procedure choice and the criteria a step rests on are not to be validated again."""
    operation_decisions.refuse_if_stale(operation.pk, step)
    decisions.refuse_if_criteria_stale(operation.pk, step)
