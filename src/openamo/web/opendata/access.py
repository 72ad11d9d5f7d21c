"""Who sees and does what on a buyer's essential data, imports and portfolio audit.

The buyer's own members see everything: its maître d'ouvrage and AMO members complete the data,
produce the DECP file and import the published history; its lecteurs read. An AMO firm sees
what the buyer shared with it, as everywhere in OpenAMO (``operations.access``): the contracts of
the operations shared with it and not revoked, their essential data to prepare (its lecteurs
read), their red flags; never the buyer's other contracts, its imported history nor its
publications, and it never publishes (the buyer's act, CCP R2196-1). Anyone else gets a 404,
whatever contract or import number they try.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from openamo.web.operations.access import PermissionRefused
from openamo.web.operations.models import Share
from openamo.web.organisations.access import memberships
from openamo.web.organisations.models import Organisation, OrganisationKind, Role
from openamo.web.softdelete import alive_through
from openamo.web.users import AuthenticatedUser


@dataclass(frozen=True)
class BuyerAccess:
    organisation: Organisation
    role: Role
    # None: one of the buyer's own members; else the operations shared with the user's firm.
    shared_operations: frozenset[int] | None = None

    @property
    def via_share(self) -> bool:
        return self.shared_operations is not None

    @property
    def can_edit(self) -> bool:
        return self.role in {Role.MAITRE_OUVRAGE, Role.AMO}

    def require_edit(self) -> None:
        if not self.can_edit:
            raise PermissionRefused(
                "Votre rôle (lecteur) permet de consulter les données essentielles, pas de les "
                "compléter, de les publier ni d'importer un historique."
            )

    def require_publish(self) -> None:
        self.require_edit()
        if self.via_share:
            raise PermissionRefused(
                "Le cabinet d'AMO prépare les données essentielles des opérations partagées ; "
                "leur publication revient à l'acheteur."
            )

    def require_own(self) -> None:
        """Imports and publications cover all the buyer's contracts: its members only."""
        if self.via_share:
            raise Http404("Page introuvable.")


def visible_buyers(user: AuthenticatedUser) -> list[BuyerAccess]:
    found = {
        m.organisation.pk: BuyerAccess(m.organisation, Role(m.role))
        for m in memberships(user)
        if m.organisation.kind == OrganisationKind.COLLECTIVITE
    }
    firms = {
        m.organisation_id: Role(m.role)
        for m in memberships(user)
        if m.organisation.kind == OrganisationKind.AMO
    }
    if not firms:
        return list(found.values())
    shared: dict[int, tuple[Organisation, set[int], set[Role]]] = {}
    for share in Share.objects.filter(
        alive_through("operation"), organisation_id__in=firms, revoked_at__isnull=True
    ).select_related("operation__organisation"):
        buyer = share.operation.organisation
        if buyer.pk in found:
            continue
        entry = shared.setdefault(buyer.pk, (buyer, set(), set()))
        entry[1].add(share.operation_id)
        entry[2].add(firms[share.organisation_id])
    for buyer, operations, roles in shared.values():
        # As on a shared operation: the firm prepares (its lecteurs read), never decides.
        role = Role.LECTEUR if roles == {Role.LECTEUR} else Role.AMO
        found[buyer.pk] = BuyerAccess(buyer, role, frozenset(operations))
    return list(found.values())


def buyer_access(user: AuthenticatedUser, organisation_id: int) -> BuyerAccess:
    for access in visible_buyers(user):
        if access.organisation.pk == organisation_id:
            return access
    raise Http404("Acheteur introuvable.")
