"""The invited person's side: accept with a new account (own password) or an existing one,
decline; links are single-use, expire, and can be cancelled."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openamo.web.audit.models import AuditEvent
from openamo.web.organisations.models import Invitation, Membership, Role
from tests.integration.web.conftest import Cast, client_for, fresh, text
from tests.integration.web.mails import link_to

PASSWORD = "un mot de passe bien à moi"


def invite(cast: Cast, mailoutbox: list[Any], email: str, role: str = "amo") -> str:
    url = reverse("organisations:members", args=[cast.commune.pk])
    response = client_for(cast.mo).post(url, {"email": email, "role": role})
    assert response.status_code == 302
    return link_to(mailoutbox[-1], "/invitations/")


def new_account(
    first: str = "Luc", last: str = "Moreau", password: str = PASSWORD
) -> dict[str, str]:
    return {
        "action": "create",
        "first_name": first,
        "last_name": last,
        "new_password1": password,
        "new_password2": password,
    }


def test_a_new_person_accepts_sets_their_own_password_and_joins(
    cast: Cast, mailoutbox: list[Any]
) -> None:
    link = invite(cast, mailoutbox, "luc@saint-exemple.fr")
    client = Client()
    page = text(client.get(link))
    assert "Commune de Saint-Exemple" in page and "Créer votre compte" in page
    response = client.post(link, new_account(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("operations:dashboard")
    luc = get_user_model().objects.get(email="luc@saint-exemple.fr")
    assert luc.check_password(PASSWORD) and luc.password.startswith("argon2")
    assert Membership.objects.get(user=luc, organisation=cast.commune).role == Role.AMO
    assert AuditEvent.objects.filter(object_type="membership", action="create").exists()
    # The link served once.
    assert client.get(link).status_code == 404
    assert "déjà servi" in text(Client().get(link))


def test_a_weak_password_is_refused_in_french_and_names_are_kept(
    cast: Cast, mailoutbox: list[Any]
) -> None:
    link = invite(cast, mailoutbox, "luc@saint-exemple.fr")
    response = Client().post(link, new_account(password="12345678"))
    assert response.status_code == 400
    page = text(response)
    assert "trop court" in page or "trop courant" in page
    assert 'value="Luc"' in page and 'value="Moreau"' in page
    mismatch = {**new_account(), "new_password2": "autre chose encore"}
    assert "ne sont pas identiques" in text(Client().post(link, mismatch))
    assert not get_user_model().objects.filter(email="luc@saint-exemple.fr").exists()


def test_an_existing_account_joins_only_after_signing_in_and_accepting(
    cast: Cast, mailoutbox: list[Any]
) -> None:
    consultant = fresh(cast.consultant)
    consultant.email = "alice@conseil.fr"
    consultant.save()
    link = invite(cast, mailoutbox, "alice@conseil.fr", role="lecteur")
    anonymous = text(Client().get(link))
    assert "Me connecter pour accepter" in anonymous and "Créer votre compte" not in anonymous
    # A new account cannot be created over the existing one.
    Client().post(link, new_account())
    assert get_user_model().objects.filter(email__iexact="alice@conseil.fr").count() == 1
    client = client_for(consultant)
    assert "Accepter et rejoindre" in text(client.get(link))
    assert not Membership.objects.filter(user=consultant, organisation=cast.commune).exists()
    client.post(link, {"action": "accept"})
    membership = Membership.objects.get(user=consultant, organisation=cast.commune)
    assert membership.role == Role.LECTEUR and membership.ended_at is None


def test_declining_attaches_nobody_and_closes_the_link(cast: Cast, mailoutbox: list[Any]) -> None:
    link = invite(cast, mailoutbox, "luc@saint-exemple.fr")
    Client().post(link, {"action": "decline"})
    invitation = Invitation.objects.get()
    assert invitation.declined_at is not None and invitation.accepted_at is None
    assert Client().get(link).status_code == 404


def test_an_expired_or_cancelled_link_no_longer_works(cast: Cast, mailoutbox: list[Any]) -> None:
    link = invite(cast, mailoutbox, "luc@saint-exemple.fr")
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert Client().get(link).status_code == 404
    assert Client().post(link, new_account()).status_code == 404
    link = invite(cast, mailoutbox, "marc@saint-exemple.fr")
    invitation = Invitation.objects.get(email="marc@saint-exemple.fr")
    revoke = reverse("organisations:invitation_revoke", args=[cast.commune.pk, invitation.pk])
    assert client_for(cast.reader).post(revoke).status_code == 403
    assert client_for(cast.outsider_mo).post(revoke).status_code == 404
    client_for(cast.mo).post(revoke)
    assert Client().get(link).status_code == 404
    assert not get_user_model().objects.filter(email="marc@saint-exemple.fr").exists()


def test_a_new_invitation_replaces_the_previous_link(cast: Cast, mailoutbox: list[Any]) -> None:
    first = invite(cast, mailoutbox, "luc@saint-exemple.fr")
    second = invite(cast, mailoutbox, "luc@saint-exemple.fr")
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200


@pytest.mark.parametrize("token", ["x", "A" * 43, "%00", "a" * 500])
def test_forged_links_are_a_french_404(db: None, token: str) -> None:
    response = Client().get(f"/invitations/{token}/")
    assert response.status_code == 404
    assert "Invitation expirée" in text(response)


def test_only_a_hash_of_the_link_is_stored(cast: Cast, mailoutbox: list[Any]) -> None:
    link = invite(cast, mailoutbox, "luc@saint-exemple.fr")
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert not Invitation.objects.filter(token_hash__contains=token).exists()
