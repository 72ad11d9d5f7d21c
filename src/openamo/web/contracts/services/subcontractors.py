"""The sub-contractors the buyer accepts on a contract (L2193-10)."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404

from openamo.web.audit.models import Action
from openamo.web.audit.services import snapshot
from openamo.web.contracts.access import ContractAccess
from openamo.web.contracts.models import Contract, Subcontractor
from openamo.web.contracts.requests import SubcontractorEntry
from openamo.web.contracts.services.journal import write
from openamo.web.users import AuthenticatedUser


def live_subcontractors(contract: Contract) -> list[Subcontractor]:
    return list(Subcontractor.objects.alive().filter(contract=contract))


def live_subcontractor(access: ContractAccess, pk: int) -> Subcontractor:
    found = Subcontractor.objects.alive().filter(pk=pk, contract=access.contract).first()
    if found is None:
        raise Http404("Sous-traitant introuvable.")
    return found


@transaction.atomic
def save_subcontractor(
    access: ContractAccess,
    user: AuthenticatedUser,
    entry: SubcontractorEntry,
    found: Subcontractor | None = None,
) -> Subcontractor:
    access.require_edit()
    before = snapshot(found) if found else None
    subcontractor = found or Subcontractor(contract=access.contract, created_by=user)
    subcontractor.name = entry.name
    subcontractor.siret = entry.siret
    subcontractor.services = entry.services
    subcontractor.amount_ht = entry.amount_ht
    subcontractor.direct_payment = entry.direct_payment
    subcontractor.accepted_on = entry.accepted_on
    subcontractor.save()
    write(
        user,
        Action.UPDATE if found else Action.CREATE,
        subcontractor,
        access.contract,
        before=before,
        after=snapshot(subcontractor),
    )
    return subcontractor


@transaction.atomic
def remove_subcontractor(
    access: ContractAccess, user: AuthenticatedUser, found: Subcontractor
) -> None:
    access.require_edit()
    found.soft_delete()
    write(user, Action.DELETE, found, access.contract, before=snapshot(found))
