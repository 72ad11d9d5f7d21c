"""The contract: creation (from the award or directly), its frame and holder, its deletion."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models, transaction
from django.db.models import Sum

from openamo.amendments import Stage as AmendmentStage
from openamo.errors import OpenAMOError
from openamo.web.audit.models import Action
from openamo.web.audit.services import entry_fields, snapshot
from openamo.web.award import queries as award_queries
from openamo.web.contracts.access import ContractAccess
from openamo.web.contracts.models import Contract, ContractStatus
from openamo.web.contracts.requests import ContractEntry
from openamo.web.contracts.services.journal import update, write
from openamo.web.contracts.services.renewals import sync_renewals
from openamo.web.operations.access import OperationAccess, PermissionRefused
from openamo.web.operations.models import Lot, Stage
from openamo.web.operations.requests import OperationChanges
from openamo.web.operations.services import update_operation
from openamo.web.organisations.access import memberships
from openamo.web.organisations.models import Organisation, OrganisationKind, Role
from openamo.web.users import AuthenticatedUser

FRAME_FIELDS = entry_fields(ContractEntry)


CONTRACT_FIELDS = ("organisation", "operation", *FRAME_FIELDS)


def creatable_organisations(user: AuthenticatedUser) -> list[Organisation]:
    """Buyers for which the user may enter a contract directly (maître d'ouvrage or AMO)."""
    return [
        m.organisation
        for m in memberships(user)
        if m.organisation.kind == OrganisationKind.COLLECTIVITE
        and m.role in {Role.MAITRE_OUVRAGE, Role.AMO}
    ]


DECIDED_FIELDS = {"holder_organisation": None, "status": ContractStatus.EN_COURS.value}
"""Fields that grant access (the holder's account reads the contract and signs its avenants)
or record a decision (a terminated contract), with their value on a new contract: only the
buyer's maître d'ouvrage sets them."""


DECIDED_REFUSAL = (
    "Seul un maître d'ouvrage de l'acheteur ouvre le marché au compte du titulaire ou change "
    "son statut (terminé, résilié) : c'est une décision de l'acheteur."
)


def holder_organisations(
    buyer: Organisation, operation_id: int | None = None, current: Organisation | None = None
) -> list[Organisation]:
    """Company accounts the buyer may open a contract to, never the whole platform: the
    candidates and bidders of the operation (by their SIRET), the holders of the buyer's other
    contracts, and the current holder. Any other company is invited explicitly by its SIRET."""
    sirets = set(_bidder_sirets(operation_id)) if operation_id is not None else set()
    held = (
        Contract.objects.alive()
        .filter(organisation=buyer, holder_organisation__isnull=False)
        .values("holder_organisation_id")
    )
    found = Organisation.objects.filter(kind=OrganisationKind.ENTREPRISE).filter(
        models.Q(siret__in=sirets - {""}) | models.Q(pk__in=held)
    )
    if current is not None:
        found = found | Organisation.objects.filter(pk=current.pk)
    return list(found.distinct().order_by("name"))


def _bidder_sirets(operation_id: int) -> list[str]:
    return list(award_queries.bidder_sirets(operation_id))


def holder_account(siret: str) -> Organisation | None:
    """The company account on OpenAMO with this SIRET, if any (to link it to the contract)."""
    if not siret:
        return None
    return Organisation.objects.filter(kind=OrganisationKind.ENTREPRISE, siret=siret).first()


def may_decide(
    user: AuthenticatedUser, buyer: Organisation, operation_access: OperationAccess | None
) -> bool:
    """The buyer's own maître d'ouvrage (never a shared AMO firm)."""
    if operation_access is not None:
        return operation_access.can_validate
    return any(
        m.organisation_id == buyer.pk and m.role == Role.MAITRE_OUVRAGE for m in memberships(user)
    )


def _check_decided(
    entry: ContractEntry,
    before: Contract | None,
    buyer: Organisation,
    operation_id: int | None,
    can_decide: bool,
) -> None:
    """Refuse a change of a deciding field by a role that does not decide, and an account
    that has no relation with the buyer (neither candidate, former holder nor invited by
    the SIRET typed)."""
    for name, default in DECIDED_FIELDS.items():
        old = getattr(before, name) if before is not None else default
        if getattr(entry, name) != old and not can_decide:
            raise PermissionRefused(DECIDED_REFUSAL)
    holder = entry.holder_organisation
    if holder is None or (before is not None and holder == before.holder_organisation):
        return
    invited = holder.siret and holder.siret == entry.holder_siret
    allowed = holder in holder_organisations(buyer, operation_id)
    if holder.kind != OrganisationKind.ENTREPRISE or not (invited or allowed):
        raise OpenAMOError(
            "Ce compte n'est ni un candidat de l'opération ni le titulaire d'un de vos marchés : "
            "invitez le titulaire par son SIRET.",
            code="holder_not_related",
        )


@dataclass(frozen=True)
class Awarded:
    """A winner of the award, as ``openamo.web.award.queries.awarded`` gives it."""

    lot_id: int | None
    lot_name: str
    bidder: str
    siret: str
    price_ht: Decimal
    rank: int
    lot_number: int | None = None
    postal_address: str = ""


def awarded_offers(operation_id: int) -> list[Awarded]:
    """The validated winners of the operation's consultation; none while nothing is validated
    (then the contract is entered directly)."""
    return [
        Awarded(
            o.lot_id,
            o.lot_name,
            o.bidder,
            o.siret,
            o.price_ht,
            o.rank,
            o.lot_number,
            o.postal_address,
        )
        for o in award_queries.awarded(operation_id)
    ]


def contract_terms(operation_id: int, lot_id: int | None) -> award_queries.ContractTerms | None:
    """What the operation's DCE fixed for the lot's contract; ``None`` without a DCE."""
    return award_queries.contract_terms(operation_id, lot_id)


def _frame(entry: ContractEntry) -> dict[str, object]:
    """The entry as the contract's columns (``audited_update``'s values)."""
    return {name: getattr(entry, name) for name in FRAME_FIELDS}


@transaction.atomic
def create_contract(
    user: AuthenticatedUser,
    entry: ContractEntry,
    *,
    organisation: Organisation | None = None,
    operation_access: OperationAccess | None = None,
) -> Contract:
    """A contract from an operation (whose editors may record it) or entered directly."""
    if operation_access is not None:
        operation_access.require_edit()
        operation = operation_access.operation
        organisation = operation.organisation
        lot = entry.lot
        if lot is not None and (lot.operation_id != operation.pk or lot.is_deleted):
            raise OpenAMOError("Ce lot n'appartient pas à l'opération.", code="wrong_lot")
        award_queries.refuse_if_stale(
            operation.pk, lot.pk if lot is not None else None, "créer le marché"
        )
    else:
        operation = None
        if organisation is None or organisation not in creatable_organisations(user):
            raise PermissionRefused(
                "Vous ne pouvez enregistrer un marché que pour un acheteur dont vous êtes "
                "maître d'ouvrage ou AMO."
            )
    can_decide = may_decide(user, organisation, operation_access)
    _check_decided(entry, None, organisation, operation.pk if operation else None, can_decide)
    contract = Contract(organisation=organisation, operation=operation, created_by=user)
    for name, value in _frame(entry).items():
        setattr(contract, name, value)
    contract.save()
    write(user, Action.CREATE, contract, contract, after=snapshot(contract, CONTRACT_FIELDS))
    sync_renewals(contract, user)
    if operation is not None and operation.stage != Stage.EXECUTION:
        _operation_in_execution(operation_access, user)
    return contract


def _operation_in_execution(access: OperationAccess | None, user: AuthenticatedUser) -> None:
    """The first contract signed moves the operation to the execution stage (its journal)."""
    if access is None or not access.can_manage:
        return
    update_operation(access, user, OperationChanges(stage=Stage.EXECUTION))


@transaction.atomic
def update_contract(
    access: ContractAccess, user: AuthenticatedUser, entry: ContractEntry
) -> Contract:
    access.require_edit()
    contract = Contract.objects.select_for_update().get(pk=access.contract.pk)
    lot = entry.lot
    if lot is not None and lot.operation_id != contract.operation_id:
        raise OpenAMOError("Ce lot n'appartient pas à l'opération du marché.", code="wrong_lot")
    _check_decided(
        entry, contract, contract.organisation, contract.operation_id, access.can_validate
    )
    update(user, contract, contract, _frame(entry), fields=CONTRACT_FIELDS)
    sync_renewals(contract, user)
    # The page's access object carries the contract: keep it current for what follows.
    access.contract.refresh_from_db()
    return contract


@transaction.atomic
def delete_contract(access: ContractAccess, user: AuthenticatedUser) -> None:
    """Soft delete: the contract leaves the lists; its data and history are kept."""
    access.require_validate()
    contract = access.contract
    contract.soft_delete()
    write(user, Action.DELETE, contract, contract, before=snapshot(contract, CONTRACT_FIELDS))


IN_FORCE = [AmendmentStage.SIGNE.value, AmendmentStage.NOTIFIE.value, AmendmentStage.PUBLIE.value]


def signed_amendments_ht(contract: Contract) -> Decimal:
    """Total of the amendments in force (the amendments app), the base of the retention."""
    related = getattr(contract, "amendments", None)
    if related is None:
        return Decimal(0)
    total = related.filter(stage__in=IN_FORCE).aggregate(t=Sum("amount_ht"))["t"]
    return total or Decimal(0)


def lots_of(access: OperationAccess) -> list[Lot]:
    return list(Lot.objects.alive().filter(operation=access.operation))
