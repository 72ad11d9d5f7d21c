"""Who sees and records a buyer's food purchases.

Purchases belong to the buyer organisation (the collectivité). Its members see them; its
maître d'ouvrage and AMO members record them, its lecteurs read. An AMO firm sees them only
while the buyer shares at least one live operation with it (the AMO firm then prepares, as on
the shared operation: it records, imports and forecasts, and its own lecteurs only read); once
the last share is revoked, the pages answer 404 again. Members of a contractor never see a
buyer's purchases, even those linked to the contract they hold. Everyone else gets a 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from openamo.web.catering.models import Forecast, Purchase, PurchaseImport
from openamo.web.operations.access import PermissionRefused
from openamo.web.operations.models import Share
from openamo.web.organisations.access import memberships
from openamo.web.organisations.models import Organisation, OrganisationKind, Role, role_label
from openamo.web.softdelete import alive_through
from openamo.web.users import AuthenticatedUser


@dataclass(frozen=True)
class BuyerAccess:
    organisation: Organisation
    role: Role
    via_share: bool

    @property
    def role_label(self) -> str:
        """The role as the user's organisation names it: the buyer's own, or the AMO firm's
        through a share."""
        kind = OrganisationKind.AMO if self.via_share else self.organisation.kind
        return role_label(self.role, kind)

    @property
    def can_edit(self) -> bool:
        """Record, import, correct and forecast: maître d'ouvrage and AMO."""
        return self.role in {Role.MAITRE_OUVRAGE, Role.AMO}

    def require_edit(self) -> None:
        if not self.can_edit:
            raise PermissionRefused(
                "Votre rôle (lecteur) permet de consulter les achats de restauration, "
                "pas de les saisir, importer ou modifier."
            )


def _shared_buyers(user: AuthenticatedUser) -> dict[int, Role]:
    """Buyers sharing a live operation with one of the user's AMO firms → the user's role."""
    firm_roles = {
        m.organisation_id: Role(m.role)
        for m in memberships(user)
        if m.organisation.kind == OrganisationKind.AMO
    }
    if not firm_roles:
        return {}
    rows = Share.objects.filter(
        alive_through("operation"), organisation_id__in=firm_roles, revoked_at__isnull=True
    ).values_list("operation__organisation_id", "organisation_id")
    buyers: dict[int, Role] = {}
    for buyer_id, firm_id in rows:
        # The firm prepares and advises, never decides; a firm's lecteur stays a lecteur.
        role = Role.LECTEUR if firm_roles[firm_id] == Role.LECTEUR else Role.AMO
        if buyers.get(buyer_id) != Role.AMO:
            buyers[buyer_id] = role
    return buyers


def visible_buyers(user: AuthenticatedUser) -> list[BuyerAccess]:
    """Every buyer whose purchases the user may see, by name."""
    found: dict[int, BuyerAccess] = {}
    for m in memberships(user):
        if m.organisation.kind == OrganisationKind.COLLECTIVITE:
            found[m.organisation_id] = BuyerAccess(m.organisation, Role(m.role), via_share=False)
    shared = {k: v for k, v in _shared_buyers(user).items() if k not in found}
    for organisation in Organisation.objects.filter(
        pk__in=shared, kind=OrganisationKind.COLLECTIVITE
    ):
        found[organisation.pk] = BuyerAccess(organisation, shared[organisation.pk], via_share=True)
    return sorted(found.values(), key=lambda a: a.organisation.name)


def buyer_access(user: AuthenticatedUser, organisation_id: int) -> BuyerAccess:
    """The buyer and the user's role on its purchases, or 404 if the user may not see them."""
    for m in memberships(user):
        if m.organisation_id == organisation_id:
            if m.organisation.kind != OrganisationKind.COLLECTIVITE:
                break
            return BuyerAccess(m.organisation, Role(m.role), via_share=False)
    role = _shared_buyers(user).get(organisation_id)
    if role is not None:
        organisation = Organisation.objects.filter(
            pk=organisation_id, kind=OrganisationKind.COLLECTIVITE
        ).first()
        if organisation is not None:
            return BuyerAccess(organisation, role, via_share=True)
    raise Http404("Acheteur introuvable.")


def live_purchase(access: BuyerAccess, purchase_id: int) -> Purchase:
    purchase = (
        Purchase.objects.alive()
        .filter(pk=purchase_id, organisation=access.organisation)
        .select_related("contract")
        .prefetch_related("label_rows")
        .first()
    )
    if purchase is None:
        raise Http404("Achat introuvable.")
    return purchase


def buyer_import(access: BuyerAccess, import_id: int) -> PurchaseImport:
    found = PurchaseImport.objects.filter(pk=import_id, organisation=access.organisation).first()
    if found is None:
        raise Http404("Import introuvable.")
    return found


def live_forecast(access: BuyerAccess, forecast_id: int) -> Forecast:
    found = (
        Forecast.objects.alive()
        .filter(pk=forecast_id, organisation=access.organisation)
        .select_related("operation", "created_by")
        .first()
    )
    if found is None:
        raise Http404("Prévision introuvable.")
    return found
