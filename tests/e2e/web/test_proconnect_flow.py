"""In Chromium, against a real OpenAMO server (``amo serve --no-demo``, gunicorn, production
headers) and the test OpenID provider, both in their own processes: an agent clicks « S'identifier
avec ProConnect », signs in and consents at the provider, comes back to create her commune
(SIRET prefilled), then signs out of both. The strict Content-Security-Policy lets the sign-in
and the sign-out go to the provider (form-action) without a single violation."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page

from tests.oidc_provider import launch

pytestmark = [pytest.mark.e2e]

SIRET = "21690123100003"
PEOPLE = {"karim": ("karim.benali@villeneuve.fr", "Karim", "Benali", SIRET)}
AMO = Path(os.environ.get("VIRTUAL_ENV", launch.ROOT / ".venv")) / "bin" / "amo"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """OpenAMO's address and its SQLite base, ProConnect pointing at the test provider."""
    port = free_port()
    openamo = f"http://127.0.0.1:{port}"
    data = tmp_path_factory.mktemp("openamo")
    with launch.provider(tmp_path_factory.mktemp("fournisseur"), openamo, PEOPLE) as issuer:
        env = {
            **os.environ,
            "OPENAMO_DATA_DIR": str(data),
            "OPENAMO_PROCONNECT_CLIENT_ID": launch.CLIENT_ID,
            "OPENAMO_PROCONNECT_CLIENT_SECRET": launch.CLIENT_SECRET,
            "OPENAMO_PROCONNECT_URL": issuer,
        }
        for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL"):
            env.pop(name, None)
        server = subprocess.Popen(
            [str(AMO), "serve", "--no-demo", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    requests.get(f"{openamo}/connexion/", timeout=2)
                    break
                except requests.RequestException:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError("OpenAMO n'a pas démarré.") from None
                    time.sleep(0.3)
            yield openamo, data / "openamo.sqlite3"
        finally:
            server.terminate()
            server.wait(timeout=20)


def test_an_agent_signs_in_with_proconnect_creates_her_commune_and_signs_out(
    page: Page, servers: tuple[str, Path]
) -> None:
    openamo, database = servers
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{openamo}/connexion/")
    page.get_by_role("button", name="S’identifier avec ProConnect").click()

    # At the provider: sign in, then consent.
    page.wait_for_url("**/connexion/?next=**")
    assert page.url.startswith("http://127.0.0.1:") and not page.url.startswith(openamo)
    page.fill("#id_username", "karim")
    page.fill("#id_password", launch.PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.locator("input[name=allow]").click()

    # Back in OpenAMO: the commune does not exist yet; its SIRET is already typed.
    page.wait_for_url(f"{openamo}/organisations/nouvelle/?siret={SIRET}")
    assert page.input_value("#id_siret") == SIRET
    page.fill("#id_name", "Commune de Villeneuve")
    page.select_option("#id_kind", "collectivite")
    page.select_option("#id_buyer", "collectivite")
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url(f"{openamo}/organisations/*/membres/")
    assert "Commune de Villeneuve" in page.content() and "Karim Benali" in page.content()

    # Signing out of OpenAMO ends the provider's session too, and comes back here.
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{openamo}/connexion/")
    assert "Vous êtes déconnecté d'OpenAMO et de ProConnect." in page.content()
    assert violations == []

    with sqlite3.connect(database) as connection:
        (linked,) = connection.execute(
            "SELECT COUNT(*) FROM organisations_proconnectidentity"
        ).fetchone()
    assert linked == 1
