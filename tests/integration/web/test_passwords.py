"""Passwords: reset by e-mail (no enumeration, single-use link, other sessions closed, lockout
lifted), a provisional password must be replaced before anything else, validators apply."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse

from openamo.web.organisations.models import ProvisionalPassword
from openamo.web.organisations.passwords import mark_provisional
from tests.integration.web.conftest import Cast, fresh, text
from tests.integration.web.mails import link_to

OLD = "ancien mot de passe assez long"
NEW = "nouveau mot de passe bien long"
LOGIN = reverse("organisations:login")
RESET = reverse("organisations:password_reset")


def marie(cast: Cast, email: str = "marie@saint-exemple.fr") -> Any:
    user = fresh(cast.mo)
    user.email = email
    user.set_password(OLD)
    user.save()
    return user


def signed_in(username: str, password: str) -> Client:
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": password})
    assert response.status_code == 302, text(response)
    return client


def test_reset_by_e_mail_changes_the_password_once_and_closes_other_sessions(
    cast: Cast, mailoutbox: list[Any]
) -> None:
    user = marie(cast)
    elsewhere = signed_in("marie", OLD)
    assert elsewhere.get(reverse("operations:dashboard")).status_code == 200
    Client().post(RESET, {"email": "Marie@Saint-Exemple.fr"})
    link = link_to(mailoutbox[0], "/mot-de-passe-oublie/")
    client = Client()
    form_page = client.get(link, follow=True)  # Django moves the token into the session
    assert "Choisir un nouveau mot de passe" in text(form_page)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW, "new_password2": NEW},
        follow=True,
    )
    assert "Mot de passe changé" in text(response)
    user.refresh_from_db()
    assert user.check_password(NEW)
    # The other session is closed; the link served once.
    assert elsewhere.get(reverse("operations:dashboard")).status_code == 302
    assert "Lien expiré" in text(Client().get(link, follow=True))


def test_reset_answers_the_same_whether_an_account_exists_or_not(
    cast: Cast, mailoutbox: list[Any]
) -> None:
    marie(cast)
    first = Client().post(RESET, {"email": "marie@saint-exemple.fr"}, follow=True)
    second = Client().post(RESET, {"email": "personne@saint-exemple.fr"}, follow=True)
    assert first.redirect_chain == second.redirect_chain
    assert (
        text(first).split("<h1>")[1].split("</main>")[0]
        == text(second).split("<h1>")[1].split("</main>")[0]
    )
    assert len(mailoutbox) == 1


def test_a_weak_new_password_is_refused_in_french(cast: Cast, mailoutbox: list[Any]) -> None:
    marie(cast)
    Client().post(RESET, {"email": "marie@saint-exemple.fr"})
    client = Client()
    page = client.get(link_to(mailoutbox[0], "/mot-de-passe-oublie/"), follow=True)
    response = client.post(
        page.redirect_chain[-1][0], {"new_password1": "motdepasse", "new_password2": "motdepasse"}
    )
    assert response.status_code == 200
    assert "trop court" in text(response) or "trop courant" in text(response)


def test_a_provisional_password_must_be_changed_before_anything_else(cast: Cast) -> None:
    user = marie(cast)
    mark_provisional(user)
    client = signed_in("marie", OLD)
    for url in (reverse("operations:dashboard"), reverse("operations:list"), "/compte/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("organisations:password")
    assert client.get("/api/operations").status_code == 403
    page = text(client.get(reverse("organisations:password")))
    assert "Votre mot de passe est provisoire" in page
    client.post(
        reverse("organisations:password"),
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
    )
    assert not ProvisionalPassword.objects.filter(user=user).exists()
    assert client.get(reverse("operations:dashboard")).status_code == 200


def test_changing_one_s_password_closes_the_other_sessions(cast: Cast) -> None:
    marie(cast)
    here = signed_in("marie", OLD)
    elsewhere = signed_in("marie", OLD)
    here.post(
        reverse("organisations:password"),
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
    )
    assert here.get(reverse("operations:dashboard")).status_code == 200
    assert elsewhere.get(reverse("operations:dashboard")).status_code == 302


@override_settings(OPENAMO_LOGIN_ACCOUNT_FAILURES=3)
def test_a_password_reset_lifts_a_lockout(cast: Cast, mailoutbox: list[Any]) -> None:
    marie(cast)
    for _ in range(3):
        Client().post(LOGIN, {"username": "marie", "password": "faux"})
    assert Client().post(LOGIN, {"username": "marie", "password": OLD}).status_code == 429
    Client().post(RESET, {"email": "marie@saint-exemple.fr"})
    client = Client()
    page = client.get(link_to(mailoutbox[0], "/mot-de-passe-oublie/"), follow=True)
    client.post(page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    signed_in("marie", NEW)


def test_password_validators_are_on(cast: Cast) -> None:
    user = get_user_model().objects.get(pk=cast.mo.pk)
    user.set_password(OLD)
    user.save()
    client = signed_in("marie", OLD)
    response = client.post(
        reverse("organisations:password"),
        {"old_password": OLD, "new_password1": "12345678901234", "new_password2": "12345678901234"},
    )
    assert "entièrement numérique" in text(response)
