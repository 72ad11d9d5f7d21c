"""Sign-in: argon2 hashes, throttled failures, CSRF-protected forms."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse

from tests.integration.web.conftest import Cast, TestResponse, text

PASSWORD = "un mot de passe de test assez long"


def with_password(user: object) -> None:
    user.set_password(PASSWORD)  # type: ignore[attr-defined]
    user.save()  # type: ignore[attr-defined]


def test_passwords_are_hashed_with_argon2(cast: Cast) -> None:
    with_password(cast.mo)
    assert get_user_model().objects.get(pk=cast.mo.pk).password.startswith("argon2")


def test_a_user_signs_in_and_lands_on_the_dashboard(cast: Cast) -> None:
    with_password(cast.mo)
    client = Client()
    response = client.post(
        reverse("organisations:login"), {"username": "marie", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("operations:dashboard")
    assert "Tableau de bord" in text(response)


def test_a_wrong_password_is_explained_in_french(cast: Cast) -> None:
    with_password(cast.mo)
    response = Client().post(
        reverse("organisations:login"), {"username": "marie", "password": "faux"}
    )
    assert "Identifiant ou mot de passe incorrect." in text(response)


def _main(response: TestResponse) -> str:
    """The page's main content, without the per-request CSRF token."""
    main = text(response).split("<main")[1].split("</main>")[0]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)


def test_login_answers_the_same_for_an_unknown_account_and_a_wrong_password(cast: Cast) -> None:
    """Nothing tells whether an identifier exists: same status, same page, same message."""
    with_password(cast.mo)
    answers = []
    for username in ("marie", "personne-inconnue"):
        response = Client().post(
            reverse("organisations:login"), {"username": username, "password": "faux"}
        )
        answers.append((response.status_code, _main(response).replace(username, "ID")))
    assert answers[0] == answers[1]
    assert "Identifiant ou mot de passe incorrect." in answers[0][1]


@override_settings(OPENAMO_LOGIN_ACCOUNT_FAILURES=2)
def test_an_unknown_identifier_is_locked_out_like_a_real_one(cast: Cast) -> None:
    """The lockout would otherwise reveal which identifiers exist."""
    with_password(cast.mo)
    answers = []
    for username in ("marie", "personne-inconnue"):
        client = Client()
        for _ in range(2):
            client.post(reverse("organisations:login"), {"username": username, "password": "x"})
        response = client.post(
            reverse("organisations:login"), {"username": username, "password": "x"}
        )
        answers.append((response.status_code, _main(response).replace(username, "ID")))
    assert answers[0] == answers[1]
    assert answers[0][0] == 429


@override_settings(OPENAMO_LOGIN_ACCOUNT_FAILURES=3)
def test_repeated_failures_lock_the_account_even_with_the_right_password(cast: Cast) -> None:
    with_password(cast.mo)
    client = Client()
    for _ in range(3):
        client.post(reverse("organisations:login"), {"username": "marie", "password": "faux"})
    response = client.post(
        reverse("organisations:login"), {"username": "marie", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in text(response)
    assert "_auth_user_id" not in client.session


def test_forms_without_the_csrf_token_are_refused_with_a_french_page(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.mo)
    response = client.post(reverse("operations:create"), {"title": "X"})
    assert response.status_code == 403
    assert "Formulaire expiré" in text(response)


def test_sign_out_is_a_post(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.mo)
    assert client.get(reverse("organisations:logout")).status_code == 405
    client.post(reverse("organisations:logout"))
    assert client.get(reverse("operations:dashboard")).status_code == 302


def test_production_settings_are_secure(monkeypatch: object) -> None:
    import importlib
    import sys

    mp = monkeypatch
    mp.setenv("OPENAMO_SECRET_KEY", "x" * 50)  # type: ignore[attr-defined]
    mp.setenv("OPENAMO_ALLOWED_HOSTS", "openamo.example.fr")  # type: ignore[attr-defined]
    sys.modules.pop("openamo.web.config.settings.prod", None)
    prod = importlib.import_module("openamo.web.config.settings.prod")
    assert prod.DEBUG is False
    assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE
    assert prod.SECURE_SSL_REDIRECT and prod.SECURE_HSTS_SECONDS >= 31536000
    assert prod.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert prod.AUTHENTICATION_BACKENDS[0].endswith("LoginThrottleBackend")
    sys.modules.pop("openamo.web.config.settings.prod", None)


def test_production_settings_refuse_a_missing_secret(monkeypatch: object) -> None:
    import importlib
    import sys

    import pytest
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delenv("OPENAMO_SECRET_KEY", raising=False)  # type: ignore[attr-defined]
    sys.modules.pop("openamo.web.config.settings.prod", None)
    with pytest.raises(ImproperlyConfigured, match="OPENAMO_SECRET_KEY"):
        importlib.import_module("openamo.web.config.settings.prod")
    sys.modules.pop("openamo.web.config.settings.prod", None)
