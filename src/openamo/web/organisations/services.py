"""Members of an organisation: who may manage them, adding, changing a role, removing.

The buyer's maîtres d'ouvrage manage its members; in an AMO firm or a contractor, any member
who is not a lecteur does. A new account gets a random password shown once to the person who
created it, to be changed at the first sign-in (« Mon compte »).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from openamo.web.audit.models import Action
from openamo.web.audit.services import record, snapshot
from openamo.web.operations.access import PermissionRefused
from openamo.web.organisations.access import memberships
from openamo.web.organisations.models import Membership, Organisation, OrganisationKind, Role

MEMBERSHIP_FIELDS = ["user", "organisation", "role"]


@dataclass(frozen=True)
class OrganisationAccess:
    organisation: Organisation
    role: Role

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


def organisation_access(user: Any, organisation_id: int) -> OrganisationAccess:
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


@dataclass(frozen=True)
class NewMember:
    membership: Membership
    initial_password: str | None
    """Set only when an account was created: shown once, never stored in clear."""


@transaction.atomic
def add_member(access: OrganisationAccess, actor: Any, data: dict[str, Any]) -> NewMember:
    access.require_manage()
    user_model = get_user_model()
    user = user_model.objects.filter(username=data["username"]).first()
    password = None
    if user is None:
        password = secrets.token_urlsafe(12)
        user = user_model.objects.create_user(
            username=data["username"],
            password=password,
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            email=data.get("email", ""),
        )
    elif Membership.objects.filter(
        user=user, organisation=access.organisation, ended_at__isnull=True
    ).exists():
        raise PermissionRefused(f"« {user.username} » est déjà membre de cette organisation.")
    membership = Membership.objects.create(
        user=user, organisation=access.organisation, role=data["role"]
    )
    record(
        actor,
        Action.CREATE,
        membership,
        operation_id=None,
        after=snapshot(membership, MEMBERSHIP_FIELDS),
    )
    return NewMember(membership, password)


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
    access: OrganisationAccess, actor: Any, membership_id: int, role: str
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
def remove_member(access: OrganisationAccess, actor: Any, membership_id: int) -> None:
    """The account and the membership row are kept (past actions stay attributed); the
    membership ends and no longer gives access."""
    access.require_manage()
    membership = _membership(access, membership_id)
    _keep_a_manager(access, membership, None)
    before = snapshot(membership, MEMBERSHIP_FIELDS)
    membership.ended_at = timezone.now()
    membership.save(update_fields=["ended_at"])
    record(actor, Action.DELETE, membership, operation_id=None, before=before)
