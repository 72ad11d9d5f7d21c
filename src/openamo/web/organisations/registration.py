"""Getting started without the demo: an agent signs up (their address confirmed by a link),
creates their organisation by SIRET and becomes its first manager; a second person entering a
SIRET already known asks to join instead of creating a twin, and a manager accepts or refuses.

The sign-up answer is the same whether the address has an account or not: the e-mail says which
(a link to finish creating the account, or a reminder to sign in / reset the password).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from openamo.web.audit.models import Action
from openamo.web.audit.services import record, snapshot
from openamo.web.operations.access import PermissionRefused
from openamo.web.organisations import mail
from openamo.web.organisations.invitations import MEMBERSHIP_FIELDS, account_for_email
from openamo.web.organisations.models import (
    JoinRequest,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)
from openamo.web.organisations.requests import NewAccount, OrganisationEntry
from openamo.web.organisations.services import OrganisationAccess, managers
from openamo.web.users import AuthenticatedUser

SIGNUP_SALT = "openamo.signup"
SIGNUP_VALIDITY_SECONDS = 2 * 24 * 3600
JOIN_FIELDS = ["organisation", "user", "status"]


def first_role(kind: str) -> Role:
    """The founder's role manages the members: maître d'ouvrage of a buyer, representative of a
    company (who accepts its avenants, as in the demo), AMO in an AMO firm."""
    return Role.AMO if kind == OrganisationKind.AMO else Role.MAITRE_OUVRAGE


def start_signup(email: str, link: Callable[[str], str]) -> None:
    """Send the sign-up e-mail: a one-time link if the address has no account, else a reminder.
    ``link(path)`` turns a path into an absolute URL."""
    email = email.strip().lower()
    if account_for_email(email) is not None:
        mail.send(
            email,
            "vous avez déjà un compte",
            "signup_existing",
            {
                "login_url": link(reverse("organisations:login")),
                "reset_url": link(reverse("organisations:password_reset")),
            },
        )
        return
    token = signing.dumps(email, salt=SIGNUP_SALT)
    url = link(reverse("organisations:signup_finish", args=[token]))
    mail.send(email, "créez votre compte", "signup", {"url": url})


def signup_email(token: str) -> str | None:
    """The address this sign-up link was sent to, while it is valid and not yet used."""
    try:
        email = signing.loads(token, salt=SIGNUP_SALT, max_age=SIGNUP_VALIDITY_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(email, str) or account_for_email(email) is not None:
        return None  # an account was created with this link already: it served once
    return email


@transaction.atomic
def finish_signup(token: str, account: NewAccount) -> AuthenticatedUser:
    email = signup_email(token)
    if email is None:
        raise Http404("Lien d'inscription expiré ou déjà utilisé.")
    try:
        with transaction.atomic():
            user = get_user_model().objects.create_user(
                username=email,
                email=email,
                password=account.password,
                first_name=account.first_name,
                last_name=account.last_name,
            )
    except IntegrityError:
        raise Http404("Lien d'inscription déjà utilisé.") from None
    record(user, Action.CREATE, user, operation_id=None, after={"username": email})
    return user


@transaction.atomic
def create_organisation(
    actor: AuthenticatedUser | None,
    entry: OrganisationEntry,
    *,
    founder: AuthenticatedUser | None = None,
    actor_label: str | None = None,
) -> Organisation:
    """Create the organisation (``entry`` from ``OrganisationForm.to_input()``); ``founder``,
    if given, becomes its first manager."""
    if Organisation.objects.filter(siret=entry.siret).exists():
        raise PermissionRefused(
            "Une organisation existe déjà avec ce SIRET : demandez à la rejoindre."
        )
    organisation = Organisation(
        name=entry.name,
        kind=entry.kind,
        buyer=entry.buyer,
        population=entry.population,
        siret=entry.siret,
    )
    organisation.full_clean()
    organisation.save()
    record(
        actor,
        Action.CREATE,
        organisation,
        operation_id=None,
        after=snapshot(organisation),
        actor_label=actor_label,
    )
    if founder is not None:
        membership = Membership.objects.create(
            user=founder, organisation=organisation, role=first_role(organisation.kind)
        )
        record(
            actor,
            Action.CREATE,
            membership,
            operation_id=None,
            after=snapshot(membership, MEMBERSHIP_FIELDS),
            actor_label=actor_label,
        )
    return organisation


@transaction.atomic
def request_to_join(
    user: AuthenticatedUser, organisation: Organisation, message: str, link: Callable[[str], str]
) -> JoinRequest:
    if Membership.objects.filter(
        user=user, organisation=organisation, ended_at__isnull=True
    ).exists():
        raise PermissionRefused("Vous êtes déjà membre de cette organisation.")
    existing = JoinRequest.objects.filter(
        user=user, organisation=organisation, status=JoinRequest.Status.PENDING
    ).first()
    if existing is not None:
        return existing
    join = JoinRequest.objects.create(user=user, organisation=organisation, message=message)
    record(user, Action.CREATE, join, operation_id=None, after=snapshot(join, JOIN_FIELDS))
    url = link(reverse("organisations:members", args=[organisation.pk]))
    for manager in managers(organisation):
        if manager.email:
            mail.send(
                manager.email,
                f"demande pour rejoindre {organisation.name}",
                "join_request",
                {"join": join, "url": url},
            )
    return join


def pending_requests(organisation: Organisation) -> list[JoinRequest]:
    return list(
        JoinRequest.objects.filter(organisation=organisation, status=JoinRequest.Status.PENDING)
        .select_related("user")
        .order_by("created_at")
    )


@transaction.atomic
def decide(
    access: OrganisationAccess,
    actor: AuthenticatedUser,
    request_id: int,
    *,
    accept: bool,
    role: str,
) -> JoinRequest:
    access.require_manage()
    join = (
        JoinRequest.objects.select_for_update()
        .filter(pk=request_id, organisation=access.organisation, status=JoinRequest.Status.PENDING)
        .select_related("user")
        .first()
    )
    if join is None:
        raise Http404("Demande introuvable.")
    before = snapshot(join, JOIN_FIELDS)
    join.status = JoinRequest.Status.ACCEPTED if accept else JoinRequest.Status.REFUSED
    join.decided_at = timezone.now()
    join.decided_by = actor
    join.save(update_fields=["status", "decided_at", "decided_by"])
    record(
        actor,
        Action.DECIDE,
        join,
        operation_id=None,
        before=before,
        after=snapshot(join, JOIN_FIELDS),
    )
    if (
        accept
        and not Membership.objects.filter(
            user=join.user, organisation=access.organisation, ended_at__isnull=True
        ).exists()
    ):
        membership = Membership.objects.create(
            user=join.user, organisation=access.organisation, role=role
        )
        record(
            actor,
            Action.CREATE,
            membership,
            operation_id=None,
            after=snapshot(membership, MEMBERSHIP_FIELDS),
        )
    if join.user.email:
        mail.send(
            join.user.email,
            f"votre demande pour rejoindre {access.organisation.name}",
            "join_decision",
            {"join": join, "organisation": access.organisation},
        )
    return join
