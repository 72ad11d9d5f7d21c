"""Who sees and does what on an operation.

An operation is visible to the members of its buyer organisation and, once shared explicitly,
to the members of the AMO firm it was shared with. Everyone else gets a 404, never a hint that
the object exists. Within those who see it: the buyer's *maître d'ouvrage* decides and
validates; *AMO* members (the buyer's own or the shared firm's) prepare; *lecteurs* read.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from openamo.web.operations.kinds import Module, not_offered_message
from openamo.web.operations.models import Lot, Operation, Share
from openamo.web.organisations.access import memberships, organisation_ids
from openamo.web.organisations.models import OrganisationKind, Role, role_label
from openamo.web.users import AuthenticatedUser


class PermissionRefused(PermissionDenied):
    """The user sees the object but may not do this (→ 403 page or JSON, French message)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def visible_operations(user: AuthenticatedUser) -> QuerySet[Operation]:
    """Live operations of the user's organisations, and those shared with them."""
    org_ids = organisation_ids(user)
    own = Q(organisation_id__in=org_ids)
    if not _receives_shares(user, org_ids):
        # The common case of a buyer's staff: a plain indexed filter, no OR across tables.
        return Operation.objects.alive().filter(own)
    shared = Share.objects.filter(organisation_id__in=org_ids, revoked_at__isnull=True)
    return Operation.objects.alive().filter(own | Q(pk__in=shared.values("operation_id")))


_SHARES_ATTR = "_openamo_receives_shares"
"""Cached on the user object: whether their organisations receive shares (once a request)."""


def _receives_shares(user: AuthenticatedUser, org_ids: list[int]) -> bool:
    cached: bool | None = getattr(user, _SHARES_ATTR, None)
    if cached is None:
        cached = Share.objects.filter(organisation_id__in=org_ids, revoked_at__isnull=True).exists()
        setattr(user, _SHARES_ATTR, cached)
    return cached


@dataclass(frozen=True)
class OperationAccess:
    operation: Operation
    role: Role
    via_share: bool

    @property
    def role_label(self) -> str:
        """The role as the user's organisation names it: the buyer's own, or the AMO firm's
        through a share."""
        kind = OrganisationKind.AMO if self.via_share else self.operation.organisation.kind
        return role_label(self.role, kind)

    @property
    def can_edit(self) -> bool:
        """Prepare: need, lots, procedure analysis."""
        return self.role in {Role.MAITRE_OUVRAGE, Role.AMO}

    @property
    def can_validate(self) -> bool:
        """Decide: only the buyer's own maître d'ouvrage."""
        return self.role == Role.MAITRE_OUVRAGE and not self.via_share

    @property
    def can_manage(self) -> bool:
        """Share, delete, change the stage: the buyer's maître d'ouvrage."""
        return self.can_validate

    def require(self, allowed: bool, message: str) -> None:
        if not allowed:
            raise PermissionRefused(message)

    def require_edit(self) -> None:
        self.require(
            self.can_edit,
            "Votre rôle (lecteur) permet de consulter cette opération, pas de la modifier.",
        )

    def require_validate(self) -> None:
        self.require(
            self.can_validate,
            "Seul un maître d'ouvrage de l'acheteur peut valider ou décider pour cette opération.",
        )

    def require_module(self, module: Module) -> None:
        """Refuse, in French, a module this kind of operation does not offer."""
        self.require(
            self.operation.offers(module), not_offered_message(self.operation.kind, module)
        )


def operation_access(user: AuthenticatedUser, operation_id: int) -> OperationAccess:
    """The operation and the user's role on it, or 404 if the user may not see it."""
    operation = (
        visible_operations(user).select_related("organisation").filter(pk=operation_id).first()
    )
    if operation is None:
        raise Http404("Opération introuvable.")
    by_org = {m.organisation_id: m for m in memberships(user)}
    own = by_org.get(operation.organisation_id)
    if own is not None:
        return OperationAccess(operation, Role(own.role), via_share=False)
    shared_roles = [
        Role(m.role)
        for m in memberships(user)
        if operation.shares.filter(
            organisation_id=m.organisation_id, revoked_at__isnull=True
        ).exists()
    ]
    # In a shared operation an AMO firm prepares and advises; it never decides.
    role = Role.LECTEUR if all(r == Role.LECTEUR for r in shared_roles) else Role.AMO
    return OperationAccess(operation, role, via_share=True)


def live_lot(access: OperationAccess, lot_id: int) -> Lot:
    lot = Lot.objects.alive().filter(pk=lot_id, operation=access.operation).first()
    if lot is None:
        raise Http404("Lot introuvable.")
    return lot
