"""Who sees and does what on a contract.

The buyer's members see its contracts; an AMO firm sees the contracts of the operations shared
with it (it prepares, never decides); the members of the holder's organisation see the
contracts they hold and their amendments. Everyone else gets a 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from openamo.web.contracts.models import Contract
from openamo.web.operations.access import PermissionRefused, operation_access
from openamo.web.operations.models import Share
from openamo.web.organisations.access import memberships, organisation_ids
from openamo.web.organisations.models import OrganisationKind, Role, role_label
from openamo.web.softdelete import alive_through
from openamo.web.users import AuthenticatedUser


def visible_contracts(user: AuthenticatedUser) -> QuerySet[Contract]:
    org_ids = organisation_ids(user)
    shared_operations = Share.objects.filter(
        alive_through("operation"), organisation_id__in=org_ids, revoked_at__isnull=True
    ).values("operation_id")
    return Contract.objects.alive().filter(
        Q(organisation_id__in=org_ids)
        | Q(operation_id__in=shared_operations)
        | Q(holder_organisation_id__in=org_ids)
    )


@dataclass(frozen=True)
class ContractAccess:
    contract: Contract
    role: Role
    via_share: bool
    is_holder: bool

    @property
    def role_label(self) -> str:
        """The role as its holder names it: the titulaire's people are not maîtres d'ouvrage."""
        return role_label(self.role, OrganisationKind.ENTREPRISE if self.is_holder else "")

    @property
    def can_edit(self) -> bool:
        """Prepare and record: the buyer's maître d'ouvrage and AMO, or the shared AMO firm."""
        return not self.is_holder and self.role in {Role.MAITRE_OUVRAGE, Role.AMO}

    @property
    def can_validate(self) -> bool:
        """Decide, sign, notify: only the buyer's own maître d'ouvrage."""
        return not self.is_holder and not self.via_share and self.role == Role.MAITRE_OUVRAGE

    @property
    def holder_can_sign(self) -> bool:
        """The holder's representative (a non-reader member of its organisation) accepts."""
        return self.is_holder and self.role != Role.LECTEUR

    def require(self, allowed: bool, message: str) -> None:
        if not allowed:
            raise PermissionRefused(message)

    def require_edit(self) -> None:
        self.require(self.can_edit, "Votre rôle permet de consulter ce marché, pas de le modifier.")

    def require_validate(self) -> None:
        self.require(
            self.can_validate,
            "Seul un maître d'ouvrage de l'acheteur peut décider, signer ou notifier pour ce marché.",
        )


def contract_access(user: AuthenticatedUser, contract_id: int) -> ContractAccess:
    """The contract and the user's role on it, or 404 if the user may not see it."""
    contract = (
        visible_contracts(user)
        .select_related("organisation", "operation", "holder_organisation")
        .filter(pk=contract_id)
        .first()
    )
    if contract is None:
        raise Http404("Marché introuvable.")
    by_org = {m.organisation_id: m for m in memberships(user)}
    own = by_org.get(contract.organisation_id)
    if own is not None:
        return ContractAccess(contract, Role(own.role), via_share=False, is_holder=False)
    if contract.operation_id is not None:
        try:
            access = operation_access(user, contract.operation_id)
        except Http404:
            pass
        else:
            return ContractAccess(contract, access.role, via_share=True, is_holder=False)
    holder = by_org.get(contract.holder_organisation_id or 0)
    if holder is None:
        raise Http404("Marché introuvable.")
    return ContractAccess(contract, Role(holder.role), via_share=False, is_holder=True)
