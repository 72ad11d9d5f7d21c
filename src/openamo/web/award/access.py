"""Who sees what in the passation pages: the operation's rules (``operation_access``), plus the
lot, offer and candidacy looked up inside the operation only (404 otherwise).

A lot is addressed by its identifier; ``0`` addresses the contract itself when the operation
has no lots (a « marché global »).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from openamo.web.award.models import Candidacy, Offer
from openamo.web.operations.access import OperationAccess
from openamo.web.operations.models import Lot

GLOBAL = 0


@dataclass(frozen=True)
class Scope:
    """The lot whose offers are handled, or the whole contract (``lot is None``)."""

    access: OperationAccess
    lot: Lot | None

    @property
    def key(self) -> int:
        return self.lot.pk if self.lot else GLOBAL

    @property
    def label(self) -> str:
        return str(self.lot) if self.lot else "Marché global"

    @property
    def domain_name(self) -> str:
        """The lot's name in the domain's input and in the report."""
        return str(self.lot) if self.lot else self.access.operation.title[:200]


def live_lots(access: OperationAccess) -> list[Lot]:
    return list(Lot.objects.alive().filter(operation=access.operation))


def scope_of(access: OperationAccess, lot_pk: int) -> Scope:
    lots = live_lots(access)
    if lot_pk == GLOBAL and not lots:
        return Scope(access, None)
    lot = next((lot for lot in lots if lot.pk == lot_pk), None)
    if lot is None:
        raise Http404("Lot introuvable.")
    return Scope(access, lot)


def scopes_of(access: OperationAccess) -> list[Scope]:
    return [Scope(access, lot) for lot in live_lots(access)] or [Scope(access, None)]


def live_offer(scope: Scope, offer_pk: int) -> Offer:
    offer = (
        Offer.objects.alive()
        .filter(pk=offer_pk, operation=scope.access.operation, lot=scope.lot)
        .first()
    )
    if offer is None:
        raise Http404("Offre introuvable.")
    return offer


def live_candidacy(access: OperationAccess, candidacy_pk: int) -> Candidacy:
    candidacy = (
        Candidacy.objects.alive().filter(pk=candidacy_pk, operation=access.operation).first()
    )
    if candidacy is None:
        raise Http404("Candidature introuvable.")
    return candidacy
