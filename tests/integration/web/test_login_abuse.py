"""Login abuse: an account locked whatever the address, an address locked whatever the
identifiers, waits that grow, X-Forwarded-For believed only from trusted proxies, a password
reset that lifts the account's lock — and nothing that tells whether an account exists."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from openamo.web.organisations.models import LoginThrottle
from tests.integration.web.conftest import Cast, TestResponse, text

PASSWORD = "un mot de passe de test assez long"
LOGIN = "organisations:login"


@pytest.fixture
def marie(cast: Cast) -> object:
    cast.mo.email = "marie@saint-exemple.fr"
    cast.mo.set_password(PASSWORD)
    cast.mo.save()
    return cast.mo


def attempt(username: str, password: str = "faux", **meta: str) -> Any:
    data = {"username": username, "password": password}
    return Client().post(reverse(LOGIN), data, **meta)  # type: ignore[arg-type]


def signed_in(response: TestResponse) -> bool:
    return bool(response.status_code == 302)


@override_settings(OPENAMO_LOGIN_ACCOUNT_FAILURES=3)
def test_an_account_is_locked_whatever_the_address_the_failures_come_from(marie: object) -> None:
    for number in range(3):
        attempt("marie", REMOTE_ADDR=f"198.51.100.{number + 1}")
    # From a fourth address, with the right password: still refused.
    response = attempt("marie", PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    assert "Réessayez dans 1 minute" in text(response)


@override_settings(OPENAMO_LOGIN_ACCOUNT_FAILURES=3)
def test_each_failure_past_the_limit_doubles_the_wait(marie: object) -> None:
    start = timezone.now()
    waits = []
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(3):
            response = attempt("marie")
        for _ in range(3):
            found = re.search(r"Réessayez dans (\d+) minute", text(response))
            assert found is not None
            waits.append(found.group(1))
            row = LoginThrottle.objects.get(scope="account", key="marie")
            assert row.locked_until is not None
            clock.move_to(row.locked_until + datetime.timedelta(seconds=1))
            response = attempt("marie")
        # Once the wait is over, the right password signs in.
        clock.move_to(LoginThrottle.objects.get(key="marie").locked_until)
        clock.shift(datetime.timedelta(seconds=1))
        assert signed_in(attempt("marie", PASSWORD))
    assert waits == ["1", "2", "4"]
    assert not LoginThrottle.objects.filter(scope="account", key="marie").exists()


@override_settings(OPENAMO_LOGIN_ACCOUNT_FAILURES=3)
def test_attempts_during_a_wait_do_not_lengthen_it(marie: object) -> None:
    for _ in range(3):
        attempt("marie")
    for _ in range(5):
        assert attempt("marie").status_code == 429
    assert LoginThrottle.objects.get(scope="account", key="marie").failures == 3


@override_settings(OPENAMO_LOGIN_ADDRESS_FAILURES=4, OPENAMO_LOGIN_ACCOUNT_FAILURES=5)
def test_spraying_many_identifiers_from_one_address_locks_the_address(marie: object) -> None:
    """Fewer failures per identifier than the account limit, but many identifiers."""
    for name in ("jean", "paul", "sophie", "luc"):
        attempt(name, REMOTE_ADDR="198.51.100.7")
    refused = attempt("marie", PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 429
    # The real user, elsewhere, is not affected.
    assert signed_in(attempt("marie", PASSWORD, REMOTE_ADDR="203.0.113.9"))


@override_settings(OPENAMO_LOGIN_ADDRESS_FAILURES=3, OPENAMO_TRUSTED_PROXIES=["10.0.0.1"])
def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(marie: object) -> None:
    """All clients come through the proxy: one sprayer must not lock out the others."""
    for name in ("jean", "paul", "luc"):
        attempt(name, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    proxied = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert attempt("marie", PASSWORD, **proxied).status_code == 429
    colleague = attempt(
        "marie", PASSWORD, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert signed_in(colleague)
    assert LoginThrottle.objects.filter(scope="address", key="198.51.100.7").exists()
    assert not LoginThrottle.objects.filter(scope="address", key="10.0.0.1").exists()


@override_settings(OPENAMO_LOGIN_ADDRESS_FAILURES=3, OPENAMO_TRUSTED_PROXIES=["10.0.0.1"])
def test_a_forwarded_header_from_an_untrusted_peer_is_ignored(marie: object) -> None:
    """A sprayer cannot escape the address limit by writing a new X-Forwarded-For each time."""
    for number, name in enumerate(("jean", "paul", "luc")):
        attempt(name, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    response = attempt(
        "marie", PASSWORD, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="192.0.2.200"
    )
    assert response.status_code == 429
    assert LoginThrottle.objects.filter(scope="address", key="198.51.100.7").exists()
    assert not LoginThrottle.objects.filter(key__startswith="192.0.2.").exists()


@override_settings(OPENAMO_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_only_the_hops_added_by_trusted_proxies_are_believed() -> None:
    from django.test import RequestFactory

    from openamo.web.organisations.client_address import client_key

    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7, 10.1.1.1"
    )
    assert client_key(request) == "198.51.100.7"  # the client's own claim (6.6.6.6) is ignored
    ipv6 = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2:3:4:5:6")
    assert client_key(ipv6) == "2001:db8:1:2::/64"


@override_settings(OPENAMO_LOGIN_ACCOUNT_FAILURES=3)
def test_a_password_reset_lifts_the_account_lock(marie: object) -> None:
    for _ in range(3):
        attempt("marie", REMOTE_ADDR="198.51.100.1")
    assert attempt("marie", PASSWORD).status_code == 429
    client = Client()
    client.post(reverse("organisations:password_reset"), {"email": "marie@saint-exemple.fr"})
    link = re.search(r"https?://\S+/mot-de-passe-oublie/\S+/\S+/", str(mail.outbox[-1].body))
    assert link is not None
    form = client.get(link.group(0), follow=True)
    new = "un tout nouveau mot de passe bien long"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert signed_in(attempt("marie", new))


@override_settings(OPENAMO_LOGIN_ACCOUNT_FAILURES=2)
def test_the_lock_page_is_the_same_for_an_unknown_identifier(marie: object) -> None:
    pages = []
    for username in ("marie", "personne-inconnue"):
        for _ in range(2):
            response = attempt(username, REMOTE_ADDR="198.51.100.3")
        LoginThrottle.objects.filter(scope="address").delete()
        main = text(response).split("<main")[1].split("</main>")[0]
        pages.append((response.status_code, re.sub(r'value="[^"]+"', "", main)))
    assert pages[0] == pages[1]
    assert "Réessayez dans 1 minute" in pages[0][1]


@override_settings(OPENAMO_LOGIN_ACCOUNT_FAILURES=2)
def test_each_wait_is_written_to_the_log_for_the_operator(
    marie: object, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("WARNING", logger="openamo.connexion"):
        for _ in range(2):
            attempt("marie", REMOTE_ADDR="198.51.100.4")
    assert any("identifiant « marie », 2 échecs" in line for line in caplog.messages)
