"""ProConnect sign-in, end to end against a real OpenID Connect provider (django-oauth-toolkit,
claims shaped like ProConnect's) started in its own process on a free port: the browser side is
an HTTP session that signs in and consents on the provider's pages; OpenAMO's side is the Django
test client, whose back-channel calls (token, userinfo, keys) reach the provider over HTTP.

First sign-ins: an open invitation is accepted; the SIRET of a known organisation leads to a
request to join (never to membership); an unknown SIRET to the creation form, prefilled; an
account that already has the address is linked only with its password. Logout goes through the
provider's end_session endpoint. Without configuration, no button and no ProConnect page.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from openamo.web.audit.models import AuditEvent
from openamo.web.organisations.models import (
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
    ProConnectIdentity,
    Role,
)
from tests.integration.web.conftest import Cast, text
from tests.oidc_provider import launch
from tests.oidc_provider.launch import CLIENT_ID, CLIENT_SECRET, PASSWORD

COMMUNE_SIRET = "21750001600001"
NEW_SIRET = "21690123100003"
PEOPLE = {
    "ines": ("ines.roux@saint-exemple.fr", "Inès", "Roux", "33333333333333"),
    "julien": ("julien.petit@saint-exemple.fr", "Julien", "Petit", COMMUNE_SIRET),
    "karim": ("karim.benali@villeneuve.fr", "Karim", "Benali", NEW_SIRET),
    "marie": ("marie@saint-exemple.fr", "Marie", "Durand", COMMUNE_SIRET),
}


@dataclass
class Provider:
    issuer: str


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    with launch.provider(
        tmp_path_factory.mktemp("fournisseur"), "http://testserver", PEOPLE
    ) as issuer:
        yield Provider(issuer=issuer)


@pytest.fixture
def configured(provider: Provider, settings: Settings) -> Provider:
    settings.OPENAMO_PROCONNECT_CLIENT_ID = CLIENT_ID
    settings.OPENAMO_PROCONNECT_CLIENT_SECRET = CLIENT_SECRET
    settings.OPENAMO_PROCONNECT_URL = provider.issuer
    return provider


def _hidden_fields(page: str) -> dict[str, str]:
    fields = {}
    for tag in re.findall(r"<input[^>]+>", page):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="hidden"' in tag:
            fields[name.group(1)] = html.unescape(value.group(1)) if value else ""
    return fields


def sign_in_with_proconnect(client: Client, provider: Provider, username: str) -> Any:
    """The person clicks the button, signs in and consents at the provider, comes back."""
    start = client.get(reverse("organisations:proconnect_login"))
    assert start.status_code == 302
    authorize = start["Location"]
    assert authorize.startswith(f"{provider.issuer}/authorize/")
    query = parse_qs(urlsplit(authorize).query)
    assert query["scope"] == ["openid email given_name usual_name siret uid"]
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32

    browser = requests.Session()
    login_page = browser.get(authorize, timeout=10)
    assert "/connexion/" in login_page.url
    consent = browser.post(
        login_page.url,
        data={**_hidden_fields(login_page.text), "username": username, "password": PASSWORD},
        timeout=10,
    )
    if consent.status_code == 200 and 'name="allow"' in consent.text:  # first time: consent
        back = browser.post(
            consent.url,
            data={**_hidden_fields(consent.text), "allow": "Authorize"},
            allow_redirects=False,
            timeout=10,
        )
    else:
        back = consent.history[-1] if consent.history else consent
    location = back.headers["Location"]
    assert location.startswith("http://testserver/proconnect/retour/?")
    client.browser = browser  # type: ignore[attr-defined]
    return client.get(location.removeprefix("http://testserver"), follow=True)


def test_an_invited_agent_signs_in_with_proconnect_and_joins(
    cast: Cast, configured: Provider
) -> None:
    started = time.monotonic()
    Invitation.objects.create(
        organisation=cast.commune,
        email="ines.roux@saint-exemple.fr",
        role=Role.AMO,
        token_hash="x" * 64,
        invited_by=cast.mo,
        expires_at="2099-01-01T00:00Z",
    )
    page = sign_in_with_proconnect(Client(), configured, "ines")
    assert page.redirect_chain[-1][0] == reverse("operations:dashboard")
    assert "Vous avez rejoint « Commune de Saint-Exemple »" in text(page)
    identity = ProConnectIdentity.objects.select_related("user").get()
    user = identity.user
    assert (user.email, user.first_name, user.last_name) == (
        "ines.roux@saint-exemple.fr",
        "Inès",
        "Roux",
    )
    assert not user.has_usable_password()
    # Should ProConnect be down, the agent may choose a password by « Mot de passe oublié ».
    Client().post(reverse("organisations:password_reset"), {"email": user.email})
    assert mail.outbox[-1].to == [user.email]
    assert Membership.objects.get(user=user, ended_at__isnull=True).role == Role.AMO
    trail = {
        (event.object_type, event.action)
        for event in AuditEvent.objects.filter(object_id__in=[str(user.pk), str(identity.pk)])
    }
    assert ("user", "create") in trail and ("proconnectidentity", "create") in trail
    assert AuditEvent.objects.filter(object_type="invitation", action="update").exists()
    assert AuditEvent.objects.filter(object_type="membership", after__role=Role.AMO).exists()
    assert time.monotonic() - started < 20


def test_the_siret_of_a_known_organisation_leads_to_a_request_never_to_membership(
    cast: Cast, configured: Provider
) -> None:
    cast.commune.siret = COMMUNE_SIRET
    cast.commune.save()
    client = Client()
    page = sign_in_with_proconnect(client, configured, "julien")
    assert page.redirect_chain[-1][0] == reverse("organisations:join", args=[COMMUNE_SIRET])
    user = ProConnectIdentity.objects.get().user
    assert not Membership.objects.filter(user=user).exists()
    client.post(
        reverse("organisations:join", args=[COMMUNE_SIRET]), {"message": "Service technique"}
    )
    join = JoinRequest.objects.get(user=user)
    assert join.organisation == cast.commune and join.status == JoinRequest.Status.PENDING
    assert not Membership.objects.filter(user=user).exists()  # until a maître d'ouvrage accepts


def test_an_unknown_siret_leads_to_creating_the_organisation_prefilled(
    cast: Cast, configured: Provider
) -> None:
    client = Client()
    page = sign_in_with_proconnect(client, configured, "karim")
    assert page.redirect_chain[-1][0] == (
        f"{reverse('organisations:organisation_create')}?siret={NEW_SIRET}"
    )
    assert f'value="{NEW_SIRET}"' in text(page)
    created = client.post(
        reverse("organisations:organisation_create"),
        {
            "siret": NEW_SIRET,
            "name": "Commune de Villeneuve",
            "kind": "collectivite",
            "buyer": "collectivite",
            "population": "2500",
        },
    )
    assert created.status_code == 302
    organisation = Organisation.objects.get(siret=NEW_SIRET)
    user = ProConnectIdentity.objects.get().user
    assert Membership.objects.get(organisation=organisation).user == user


def test_a_second_sign_in_finds_the_same_account_and_logout_ends_the_provider_session(
    cast: Cast, configured: Provider
) -> None:
    first = Client()
    sign_in_with_proconnect(first, configured, "karim")
    again = Client()
    page = sign_in_with_proconnect(again, configured, "karim")
    assert ProConnectIdentity.objects.count() == 1
    assert page.status_code == 200 and "_auth_user_id" in again.session

    out = again.post(reverse("organisations:logout"))
    end_session = out["Location"]
    assert end_session.startswith(f"{configured.issuer}/logout/")
    params = parse_qs(urlsplit(end_session).query)
    assert params["post_logout_redirect_uri"] == ["http://testserver/proconnect/deconnecte/"]
    assert "_auth_user_id" not in again.session
    browser: requests.Session = again.browser  # type: ignore[attr-defined]
    answer = browser.get(end_session, allow_redirects=False, timeout=10)
    if answer.status_code == 200:  # the provider asks to confirm
        answer = browser.post(
            answer.url,
            data={**_hidden_fields(answer.text), "allow": "Oui"},
            allow_redirects=False,
            timeout=10,
        )
    back = answer.headers["Location"]
    assert back.startswith("http://testserver/proconnect/deconnecte/?")
    assert parse_qs(urlsplit(back).query)["state"] == params["state"]
    page = again.get(back.removeprefix("http://testserver"), follow=True)
    assert "Vous êtes déconnecté d'OpenAMO et de ProConnect." in text(page)
    # The provider's session is over: signing in again asks for the password there.
    restart = Client().get(reverse("organisations:proconnect_login"))["Location"]
    assert "/connexion/" in browser.get(restart, timeout=10).url


def test_an_account_with_the_same_address_is_linked_only_with_its_password(
    cast: Cast, configured: Provider
) -> None:
    cast.mo.email = "marie@saint-exemple.fr"
    cast.mo.set_password("le mot de passe de marie, long")
    cast.mo.save()
    client = Client()
    page = sign_in_with_proconnect(client, configured, "marie")
    assert page.redirect_chain[-1][0] == reverse("organisations:proconnect_link")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("organisations:proconnect_link"), {"password": "faux"})
    assert wrong.status_code == 400 and "Mot de passe incorrect" in text(wrong)
    assert not ProConnectIdentity.objects.exists()
    done = client.post(
        reverse("organisations:proconnect_link"),
        {"password": "le mot de passe de marie, long"},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == reverse("operations:dashboard")
    assert ProConnectIdentity.objects.get().user == cast.mo


def test_without_configuration_there_is_no_button_and_no_proconnect_page(
    cast: Cast, settings: Settings
) -> None:
    settings.OPENAMO_PROCONNECT_CLIENT_ID = ""
    page = Client().get(reverse("organisations:login"))
    assert "ProConnect" not in text(page)
    assert Client().get(reverse("organisations:proconnect_login")).status_code == 404


def test_the_login_page_shows_the_proconnect_button_when_configured(
    cast: Cast, configured: Provider
) -> None:
    page = text(Client().get(reverse("organisations:login")))
    assert "S’identifier avec" in page and 'class="fr-connect"' in page
    assert "Qu’est-ce que ProConnect ?" in page


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?error=access_denied&state=inconnu",
        "?code=abc",
        "?code=abc&state=inconnu",
        "?code=" + "x" * 5000 + "&state=\x00",
    ],
)
def test_a_forged_or_broken_return_from_proconnect_signs_nobody_in(
    cast: Cast, configured: Provider, query: str
) -> None:
    client = Client()
    client.get(reverse("organisations:proconnect_login"))  # a state of its own in the session
    response = client.get(reverse("organisations:proconnect_callback") + query, follow=True)
    assert response.status_code in {200, 400}
    assert "_auth_user_id" not in client.session
    assert "Traceback" not in text(response)
    assert not ProConnectIdentity.objects.exists()


def test_without_a_proconnect_sign_in_the_next_page_accepts_no_invitation(
    cast: Cast, configured: Provider
) -> None:
    """Only an address ProConnect vouched for in this session accepts an invitation by itself."""
    cast.reader.email = "jeanne@saint-exemple.fr"
    cast.reader.save()
    Invitation.objects.create(
        organisation=cast.outsider,
        email="jeanne@saint-exemple.fr",
        role=Role.MAITRE_OUVRAGE,
        token_hash="y" * 64,
        expires_at="2099-01-01T00:00Z",
    )
    client = Client()
    client.force_login(cast.reader)
    client.get(reverse("organisations:proconnect_next"))
    assert not Membership.objects.filter(user=cast.reader, organisation=cast.outsider).exists()


def test_the_proconnect_pages_lead_nowhere_without_a_proconnect_sign_in(
    cast: Cast, configured: Provider
) -> None:
    anonymous = Client()
    assert anonymous.get(reverse("organisations:proconnect_next"))["Location"].startswith(
        reverse("organisations:login")
    )
    assert anonymous.get(reverse("organisations:proconnect_link"))["Location"] == reverse(
        "organisations:login"
    )
    assert anonymous.get(reverse("organisations:proconnect_failed")).status_code == 400
    back = anonymous.get(reverse("organisations:proconnect_logged_out") + "?state=forge")
    assert back["Location"] == reverse("organisations:login")
