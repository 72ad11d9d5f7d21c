"""Invitations with consent: a maître d'ouvrage (or a platform operator) invites an e-mail
address; the person accepts with the one-time link sent there, setting their own password or
signing in to the account they already have. Nothing else attaches an account to an
organisation. Only a hash of each link's secret is stored."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from openamo.web.audit.models import Action
from openamo.web.audit.services import record, snapshot
from openamo.web.operations.access import PermissionRefused
from openamo.web.organisations import mail
from openamo.web.organisations.models import Invitation, Membership, Organisation
from openamo.web.organisations.requests import InvitationEntry, NewAccount
from openamo.web.users import AuthenticatedUser

VALIDITY = datetime.timedelta(days=7)
INVITATION_FIELDS = [
    "organisation",
    "email",
    "role",
    "expires_at",
    "accepted_at",
    "declined_at",
    "revoked_at",
]
MEMBERSHIP_FIELDS = ["user", "organisation", "role"]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def account_for_email(email: str) -> AuthenticatedUser | None:
    """The account whose e-mail (or identifier) is this address, if any."""
    user_model = get_user_model()
    return (
        user_model.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
        .order_by("pk")
        .first()
    )


def is_active_member(organisation: Organisation, email: str) -> bool:
    return Membership.objects.filter(
        Q(user__email__iexact=email) | Q(user__username__iexact=email),
        organisation=organisation,
        ended_at__isnull=True,
    ).exists()


@transaction.atomic
def invite(
    organisation: Organisation,
    actor: AuthenticatedUser | None,
    entry: InvitationEntry,
    link: Callable[[str], str],
    *,
    actor_label: str | None = None,
) -> tuple[Invitation, str]:
    """Create the invitation and send its link (``link(token)`` gives the absolute URL).

    The same happens whether or not an account exists for the address: the answer never tells.
    An earlier open invitation of the same address to the same organisation is replaced.
    """
    email = entry.email.strip().lower()
    if is_active_member(organisation, email):
        raise PermissionRefused(f"« {email} » est déjà membre de cette organisation.")
    now = timezone.now()
    Invitation.objects.filter(
        organisation=organisation,
        email=email,
        accepted_at__isnull=True,
        declined_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        first_name=entry.first_name,
        last_name=entry.last_name,
        role=entry.role,
        token_hash=_hash(token),
        invited_by=actor,
        expires_at=now + VALIDITY,
    )
    record(
        actor,
        Action.CREATE,
        invitation,
        operation_id=None,
        after=snapshot(invitation, INVITATION_FIELDS),
        actor_label=actor_label,
    )
    url = link(token)
    mail.send(
        email,
        f"invitation à rejoindre {organisation.name}",
        "invitation",
        {"invitation": invitation, "url": url, "inviter": actor_label or _name(actor)},
    )
    return invitation, url


def _name(user: AuthenticatedUser | None) -> str:
    if user is None:
        return "L'équipe d'OpenAMO"
    return str(user.get_full_name() or user.username)


def open_invitation(token: str, *, lock: bool = False) -> Invitation | None:
    """The invitation of this link if it can still be used (not used, refused, cancelled or
    expired), else None."""
    if not token or len(token) > 100:
        return None
    queryset = Invitation.objects.select_related("organisation")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    invitation = queryset.filter(token_hash=_hash(token)).first()
    if invitation is None or not invitation.is_open:
        return None
    return invitation


def _usable(token: str) -> Invitation:
    invitation = open_invitation(token, lock=True)
    if invitation is None:
        raise Http404("Invitation introuvable ou expirée.")
    return invitation


@transaction.atomic
def accept(token: str, user: AuthenticatedUser) -> Membership:
    """The signed-in ``user`` accepts: they join with the proposed role (or keep their current
    membership if they already belong)."""
    return _accept(_usable(token), user)


def _accept(invitation: Invitation, user: AuthenticatedUser) -> Membership:
    now = timezone.now()
    before = snapshot(invitation, INVITATION_FIELDS)
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    after = snapshot(invitation, INVITATION_FIELDS)
    record(user, Action.UPDATE, invitation, operation_id=None, before=before, after=after)
    membership = Membership.objects.filter(
        user=user, organisation=invitation.organisation, ended_at__isnull=True
    ).first()
    if membership is None:
        membership = Membership.objects.create(
            user=user, organisation=invitation.organisation, role=invitation.role
        )
        record(
            user,
            Action.CREATE,
            membership,
            operation_id=None,
            after={**snapshot(membership, MEMBERSHIP_FIELDS), "invitation": invitation.pk},
        )
    return membership


@transaction.atomic
def accept_all_for_email(user: AuthenticatedUser, email: str) -> list[Membership]:
    """Accept every open invitation sent to ``email``, whose owner has just proved it (a
    ProConnect sign-in with this address)."""
    open_invitations = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(
            email__iexact=email,
            accepted_at__isnull=True,
            declined_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .order_by("created_at")
    )
    return [_accept(invitation, user) for invitation in open_invitations]


@transaction.atomic
def accept_with_new_account(token: str, account: NewAccount) -> AuthenticatedUser:
    """A person without an account accepts: the account is created with their own password."""
    invitation = _usable(token)
    if account_for_email(invitation.email) is not None:
        raise PermissionRefused(
            "Un compte existe déjà pour cette adresse : connectez-vous pour accepter."
        )
    user = get_user_model().objects.create_user(
        username=invitation.email,
        email=invitation.email,
        password=account.password,
        first_name=account.first_name,
        last_name=account.last_name,
    )
    accept(token, user)
    return user


@transaction.atomic
def decline(token: str, user: AuthenticatedUser | None) -> None:
    """Decline the invitation; ``None``: the invited person is not signed in (named by their
    address in the journal)."""
    invitation = _usable(token)
    before = snapshot(invitation, INVITATION_FIELDS)
    invitation.declined_at = timezone.now()
    invitation.save(update_fields=["declined_at"])
    after = snapshot(invitation, INVITATION_FIELDS)
    label = None if user is not None else f"{invitation.email} (invitée)"
    record(
        user,
        Action.UPDATE,
        invitation,
        operation_id=None,
        before=before,
        after=after,
        actor_label=label,
    )


def pending(organisation: Organisation) -> list[Invitation]:
    return list(
        Invitation.objects.filter(
            organisation=organisation,
            accepted_at__isnull=True,
            declined_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
    )


@transaction.atomic
def revoke(organisation: Organisation, actor: AuthenticatedUser, invitation_id: int) -> None:
    invitation = (
        Invitation.objects.select_for_update()
        .filter(pk=invitation_id, organisation=organisation)
        .first()
    )
    if invitation is None or not invitation.is_open:
        raise Http404("Invitation introuvable.")
    before = snapshot(invitation, INVITATION_FIELDS)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    after = snapshot(invitation, INVITATION_FIELDS)
    record(actor, Action.UPDATE, invitation, operation_id=None, before=before, after=after)
