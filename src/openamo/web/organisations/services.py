"""Members of an organisation: who may manage them, changing a role, removing.

The buyer's maîtres d'ouvrage manage its members; in an AMO firm or a contractor, any member
who is not a lecteur does. People join only by accepting an invitation
(:mod:`openamo.web.organisations.invitations`) or by a request to join that a manager accepts
(:mod:`openamo.web.organisations.registration`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from openamo.web.audit.models import Action
from openamo.web.audit.services import audited_update, record, snapshot
from openamo.web.operations.access import PermissionRefused
from openamo.web.organisations.access import memberships
from openamo.web.organisations.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    role_label,
)
from openamo.web.users import AuthenticatedUser

MEMBERSHIP_FIELDS = ["user", "organisation", "role", "ended_at"]


@dataclass(frozen=True)
class OrganisationAccess:
    organisation: Organisation
    role: Role

    @property
    def role_label(self) -> str:
        return role_label(self.role, self.organisation.kind)

    @property
    def can_manage_members(self) -> bool:
        if self.organisation.kind == OrganisationKind.COLLECTIVITE:
            return self.role == Role.MAITRE_OUVRAGE
        return self.role != Role.LECTEUR

    def require_manage(self) -> None:
        if not self.can_manage_members:
            raise PermissionRefused(
                "Seul un maître d'ouvrage de l'acheteur (ou, dans un cabinet ou une entreprise, "
                "un membre qui n'est pas lecteur) gère les membres de l'organisation."
            )


def organisation_access(user: AuthenticatedUser, organisation_id: int) -> OrganisationAccess:
    for membership in memberships(user):
        if membership.organisation_id == organisation_id:
            return OrganisationAccess(membership.organisation, Role(membership.role))
    raise Http404("Organisation introuvable.")


def members(organisation: Organisation) -> list[Membership]:
    return list(
        Membership.objects.filter(organisation=organisation, ended_at__isnull=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )


def former_members(organisation: Organisation) -> list[Membership]:
    """Memberships that ended: kept, with their dates, so past actions stay attributed."""
    return list(
        Membership.objects.filter(organisation=organisation, ended_at__isnull=False)
        .select_related("user")
        .order_by("-ended_at")
    )


def managers(organisation: Organisation) -> list[AuthenticatedUser]:
    """The accounts that manage the organisation's members (who decide on requests to join)."""
    return [
        m.user
        for m in members(organisation)
        if OrganisationAccess(organisation, Role(m.role)).can_manage_members
    ]


def _membership(access: OrganisationAccess, membership_id: int) -> Membership:
    membership = (
        Membership.objects.select_for_update()
        .filter(pk=membership_id, organisation=access.organisation, ended_at__isnull=True)
        .first()
    )
    if membership is None:
        raise Http404("Membre introuvable.")
    return membership


def _keep_a_manager(
    access: OrganisationAccess, membership: Membership, new_role: str | None
) -> None:
    others = Membership.objects.filter(
        organisation=access.organisation, ended_at__isnull=True
    ).exclude(pk=membership.pk)
    remaining = [
        OrganisationAccess(access.organisation, Role(m.role)).can_manage_members for m in others
    ]
    if new_role is not None:
        remaining.append(OrganisationAccess(access.organisation, Role(new_role)).can_manage_members)
    if not any(remaining):
        raise PermissionRefused(
            "L'organisation doit garder au moins un membre qui puisse gérer ses membres."
        )


@transaction.atomic
def change_role(
    access: OrganisationAccess, actor: AuthenticatedUser, membership_id: int, role: str
) -> Membership:
    access.require_manage()
    membership = _membership(access, membership_id)
    before = snapshot(membership, MEMBERSHIP_FIELDS)
    _keep_a_manager(access, membership, role)
    membership.role = role
    membership.save(update_fields=["role"])
    record(
        actor,
        Action.UPDATE,
        membership,
        operation_id=None,
        before=before,
        after=snapshot(membership, MEMBERSHIP_FIELDS),
    )
    return membership


@transaction.atomic
def remove_member(access: OrganisationAccess, actor: AuthenticatedUser, membership_id: int) -> None:
    """The account and the membership row are kept (past actions stay attributed); the
    membership ends and no longer gives access."""
    access.require_manage()
    membership = _membership(access, membership_id)
    _keep_a_manager(access, membership, None)
    before = snapshot(membership, MEMBERSHIP_FIELDS)
    membership.ended_at = timezone.now()
    membership.save(update_fields=["ended_at"])
    record(actor, Action.DELETE, membership, operation_id=None, before=before)


@transaction.atomic
def update_identity(
    access: OrganisationAccess, actor: AuthenticatedUser, values: dict[str, object]
) -> bool:
    """Change what the documents say of the organisation (name, buyer category, population,
    postal address); whoever manages its members may. Returns whether anything changed."""
    access.require_manage()
    organisation = Organisation.objects.select_for_update().get(pk=access.organisation.pk)
    return audited_update(actor, organisation, values, operation_id=None)
