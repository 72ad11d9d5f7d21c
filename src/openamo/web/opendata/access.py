"""Who sees and does what on a buyer's essential data, imports and portfolio audit.

Only the buyer's own members: its maître d'ouvrage and AMO members complete the data, produce
the DECP file and import the published history; its lecteurs read. An AMO firm, a contractor or
anyone else gets a 404, whatever contract or import number they try.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404

from openamo.web.operations.access import PermissionRefused
from openamo.web.organisations.access import memberships
from openamo.web.organisations.models import Organisation, OrganisationKind, Role


@dataclass(frozen=True)
class BuyerAccess:
    organisation: Organisation
    role: Role

    @property
    def can_edit(self) -> bool:
        return self.role in {Role.MAITRE_OUVRAGE, Role.AMO}

    def require_edit(self) -> None:
        if not self.can_edit:
            raise PermissionRefused(
                "Votre rôle (lecteur) permet de consulter les données essentielles, pas de les "
                "compléter, de les publier ni d'importer un historique."
            )


def visible_buyers(user: Any) -> list[BuyerAccess]:
    return [
        BuyerAccess(m.organisation, Role(m.role))
        for m in memberships(user)
        if m.organisation.kind == OrganisationKind.COLLECTIVITE
    ]


def buyer_access(user: Any, organisation_id: int) -> BuyerAccess:
    for access in visible_buyers(user):
        if access.organisation.pk == organisation_id:
            return access
    raise Http404("Acheteur introuvable.")
