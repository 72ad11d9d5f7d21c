"""The operations workflow: load rows, call the domain, save, and write the audit trail.

Views and API endpoints call these functions and nothing else that writes.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from openamo.errors import OpenAMOError
from openamo.procurement import choose_procedure
from openamo.web.audit.models import Action
from openamo.web.audit.services import audited_update, record, snapshot
from openamo.web.operations.access import OperationAccess, PermissionRefused
from openamo.web.operations.mappers import procedure_input
from openamo.web.operations.models import (
    Consultation,
    ConsultationStatus,
    Lot,
    Need,
    Operation,
    Share,
    Stage,
)
from openamo.web.operations.requests import (
    Circumstances,
    LotChanges,
    LotEntry,
    NeedEntry,
    OperationChanges,
    OperationEntry,
    stored_input,
)
from openamo.web.organisations.access import memberships
from openamo.web.organisations.models import Organisation, OrganisationKind, Role
from openamo.web.users import AuthenticatedUser

CONSULTATION_FIELDS = [
    "status",
    "procedure",
    "launch_date",
    "response_deadline",
    "analysed_at",
    "validated_at",
]


def creatable_organisations(user: AuthenticatedUser) -> list[Organisation]:
    """Buyer organisations in which the user may open an operation."""
    return [
        m.organisation
        for m in memberships(user)
        if m.organisation.kind == OrganisationKind.COLLECTIVITE
        and m.role in {Role.MAITRE_OUVRAGE, Role.AMO}
    ]


@transaction.atomic
def create_operation(
    user: AuthenticatedUser, organisation: Organisation, entry: OperationEntry
) -> Operation:
    """Open an operation for ``organisation``."""
    if organisation not in creatable_organisations(user):
        raise PermissionRefused(
            "Vous ne pouvez créer une opération que pour un acheteur dont vous êtes "
            "maître d'ouvrage ou AMO."
        )
    operation = Operation.objects.create(
        organisation=organisation,
        created_by=user,
        title=entry.title,
        description=entry.description,
        kind=entry.kind,
        stage=entry.stage,
    )
    record(
        user,
        Action.CREATE,
        operation,
        operation_id=operation.pk,
        after=snapshot(operation),
    )
    return operation


@transaction.atomic
def update_operation(
    access: OperationAccess, user: AuthenticatedUser, changes: OperationChanges
) -> Operation:
    """Change an operation (the contracts app moves it to execution)."""
    access.require_edit()
    operation = Operation.objects.select_for_update().get(pk=access.operation.pk)
    if changes.stage is not None and changes.stage != operation.stage:
        access.require(access.can_manage, "Seul le maître d'ouvrage de l'acheteur change l'étape.")
    values = changes.values()
    audited_update(user, operation, values, operation_id=operation.pk)
    return operation


@transaction.atomic
def delete_operation(access: OperationAccess, user: AuthenticatedUser) -> None:
    """Soft delete: the operation disappears from lists, its data and history are kept."""
    access.require(access.can_manage, "Seul le maître d'ouvrage de l'acheteur peut supprimer.")
    operation = access.operation
    operation.soft_delete()
    record(
        user,
        Action.DELETE,
        operation,
        operation_id=operation.pk,
        before=snapshot(operation),
    )


def need_of(operation: Operation) -> Need | None:
    return Need.objects.filter(operation=operation).first()


@transaction.atomic
def save_need(access: OperationAccess, user: AuthenticatedUser, entry: NeedEntry) -> Need:
    """Describe the need."""
    access.require_edit()
    need = need_of(access.operation)
    before = snapshot(need) if need else None
    if need is None:
        need = Need(operation=access.operation)
    for name, value in entry.columns().items():
        setattr(need, name, value)
    need.save()
    after = snapshot(need)
    record(
        user,
        Action.UPDATE if before else Action.CREATE,
        need,
        operation_id=access.operation.pk,
        before=before,
        after=after,
    )
    if before != after:
        _touch(access.operation, user)
    return need


def live_lots(operation: Operation) -> list[Lot]:
    return list(Lot.objects.alive().filter(operation=operation))


@transaction.atomic
def add_lot(access: OperationAccess, user: AuthenticatedUser, entry: LotEntry) -> Lot:
    """Add a lot."""
    access.require_edit()
    number = entry.number
    if not number:
        last = Lot.objects.filter(operation=access.operation).aggregate(n=Max("number"))["n"]
        number = (last or 0) + 1
    lot = Lot.objects.create(
        operation=access.operation,
        number=number,
        name=entry.name,
        description=entry.description,
        estimated_amount_ht=entry.estimated_amount_ht,
    )
    record(user, Action.CREATE, lot, operation_id=lot.operation_id, after=snapshot(lot))
    _touch(access.operation, user)
    return lot


@transaction.atomic
def update_lot(
    access: OperationAccess, user: AuthenticatedUser, lot: Lot, changes: LotChanges
) -> Lot:
    access.require_edit()
    if audited_update(user, lot, changes.values(), operation_id=lot.operation_id):
        _touch(access.operation, user)
    return lot


@transaction.atomic
def delete_lot(access: OperationAccess, user: AuthenticatedUser, lot: Lot) -> None:
    """A lot leaves the operation, unless a contract was passed on it: the contract, its
    invoices and its open data keep pointing at the lot."""
    access.require_edit()
    references = [
        contract.reference or contract.title
        for contract in lot.contracts.filter(deleted_at__isnull=True)
    ]
    if references:
        raise OpenAMOError(
            f"Le {lot} ne peut pas être supprimé : le marché {', '.join(references)} a été "
            "passé sur ce lot. Supprimez d'abord le marché s'il a été saisi par erreur."
        )
    lot.soft_delete()
    record(user, Action.DELETE, lot, operation_id=lot.operation_id, before=snapshot(lot))
    _touch(access.operation, user)


def _touch(operation: Operation, user: AuthenticatedUser) -> None:
    """The need or the lots changed: bump the operation and withdraw a pending proposal."""
    Operation.objects.filter(pk=operation.pk).update(updated_at=timezone.now())
    consultation = Consultation.objects.filter(
        operation=operation, status=ConsultationStatus.A_VALIDER
    ).first()
    if consultation is not None:
        before = snapshot(consultation, CONSULTATION_FIELDS)
        consultation.status = ConsultationStatus.BROUILLON
        consultation.save(update_fields=["status"])
        record(
            user,
            Action.UPDATE,
            consultation,
            operation_id=operation.pk,
            before=before,
            after=snapshot(consultation, CONSULTATION_FIELDS),
        )


def consultation_of(operation: Operation) -> Consultation | None:
    return Consultation.objects.filter(operation=operation).first()


@transaction.atomic
def analyse_procedure(
    access: OperationAccess, user: AuthenticatedUser, answers: Circumstances
) -> Consultation:
    """Run ``openamo.procurement`` on the stored need and lots; the result awaits validation.

    Raises :class:`openamo.errors.OpenAMOError` (French message) on input the domain refuses;
    nothing is saved then.
    """
    access.require_edit()
    need = need_of(access.operation)
    if need is None:
        raise OpenAMOError(
            "Décrivez d'abord le besoin (nature et montant estimé).", code="need_missing"
        )
    data = procedure_input(access.operation, need, live_lots(access.operation), answers)
    result = choose_procedure(data)
    stored = stored_input(data)
    consultation = consultation_of(access.operation) or Consultation(operation=access.operation)
    before = snapshot(consultation, CONSULTATION_FIELDS) if consultation.pk else None
    consultation.status = ConsultationStatus.A_VALIDER
    consultation.answers = answers.stored()
    consultation.input = stored
    consultation.result = result.model_dump(mode="json")
    consultation.procedure = result.procedure.value
    consultation.launch_date = result.date
    consultation.response_deadline = _deadline(result.date, answers, result.min_response_days)
    consultation.analysed_at = timezone.now()
    consultation.analysed_by = user
    consultation.validated_at = None
    consultation.validated_by = None
    consultation.save()
    record(
        user,
        Action.ANALYSE,
        consultation,
        operation_id=access.operation.pk,
        before=before,
        after={**snapshot(consultation, CONSULTATION_FIELDS), "input": stored},
    )
    return consultation


def _deadline(
    launch: datetime.date, answers: Circumstances, min_days: int | None
) -> datetime.date | None:
    """Planned response date: the buyer's planned delay, else the legal minimum from the domain."""
    days = answers.planned_response_days or min_days
    return launch + datetime.timedelta(days=days) if days else None


@transaction.atomic
def validate_procedure(access: OperationAccess, user: AuthenticatedUser) -> Consultation:
    """The maître d'ouvrage validates the proposed procedure; the decision is recorded."""
    access.require_validate()
    consultation = consultation_of(access.operation)
    if consultation is None or consultation.status != ConsultationStatus.A_VALIDER:
        raise OpenAMOError(
            "Aucune analyse de procédure n'attend de validation : lancez d'abord l'assistant.",
            code="nothing_to_validate",
        )
    before = snapshot(consultation, CONSULTATION_FIELDS)
    consultation.status = ConsultationStatus.VALIDEE
    consultation.validated_at = timezone.now()
    consultation.validated_by = user
    consultation.save()
    record(
        user,
        Action.VALIDATE,
        consultation,
        operation_id=access.operation.pk,
        before=before,
        after=snapshot(consultation, CONSULTATION_FIELDS),
    )
    operation = access.operation
    if operation.stage == Stage.AMONT:
        update_operation(access, user, OperationChanges(stage=Stage.PASSATION))
    return consultation


def share_candidates(access: OperationAccess) -> list[Organisation]:
    active = Share.objects.filter(operation=access.operation, revoked_at__isnull=True)
    return list(
        Organisation.objects.filter(kind=OrganisationKind.AMO).exclude(
            pk__in=active.values("organisation_id")
        )
    )


def active_shares(operation: Operation) -> list[Share]:
    return list(
        Share.objects.filter(operation=operation, revoked_at__isnull=True).select_related(
            "organisation"
        )
    )


@transaction.atomic
def share_operation(
    access: OperationAccess, user: AuthenticatedUser, organisation: Organisation
) -> Share:
    access.require(access.can_manage, "Seul le maître d'ouvrage de l'acheteur peut partager.")
    if organisation.kind != OrganisationKind.AMO:
        raise PermissionRefused("Une opération se partage avec un cabinet d'AMO.")
    share, created = Share.objects.get_or_create(
        operation=access.operation,
        organisation=organisation,
        revoked_at__isnull=True,
        defaults={"granted_by": user},
    )
    if created:
        record(
            user,
            Action.SHARE,
            share,
            operation_id=access.operation.pk,
            after={"organisation": organisation.name},
        )
    return share


@transaction.atomic
def revoke_share(access: OperationAccess, user: AuthenticatedUser, share: Share) -> None:
    access.require(access.can_manage, "Seul le maître d'ouvrage de l'acheteur peut partager.")
    share.revoked_at = timezone.now()
    share.save(update_fields=["revoked_at"])
    record(
        user,
        Action.UNSHARE,
        share,
        operation_id=access.operation.pk,
        before={"organisation": share.organisation.name},
    )
