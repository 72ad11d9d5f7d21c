"""``amo admin`` as the operator calls it: organisations by SIRET, invitations by e-mail,
staff accounts; French errors with exit 2; every change audited."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from pytest_django.live_server_helper import LiveServer

from tests.e2e.cli._amo import amo as amo_run

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIRET = "21330063500017"

Amo = Callable[..., subprocess.CompletedProcess[str]]
"""``amo admin …`` with its arguments: the finished process (exit code, outputs)."""


@pytest.fixture
def amo(tmp_path: Path, live_server: LiveServer) -> Iterator[Amo]:
    """``amo`` on the test database, e-mails written as files in ``tmp_path``."""
    db: dict[str, Any] = settings.DATABASES["default"]
    if str(db["ENGINE"]).endswith("sqlite3"):
        url = f"sqlite:///{db['NAME']}"
    else:
        url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        "DATABASE_URL": url,
        "OPENAMO_DATA_DIR": str(tmp_path),
        "OPENAMO_BASE_URL": live_server.url,
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return amo_run("admin", *args)

    yield run
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def test_the_operator_creates_an_organisation_and_invites_its_maitre_d_ouvrage(
    amo: Amo, tmp_path: Path
) -> None:
    from openamo.web.audit.models import AuditEvent
    from openamo.web.organisations.models import Invitation, Organisation

    created = amo(
        "organisation",
        "create",
        "--siret",
        "213 300 635 00017",
        "--kind",
        "collectivite",
        "--name",
        "Commune de Bordeaux",
        "--buyer-category",
        "collectivite",
        "--json",
    )
    assert created.returncode == 0, created.stderr
    org = json.loads(created.stdout)["organisation"]
    assert org["siret"] == SIRET and org["buyer_category"] == "collectivite"
    assert Organisation.objects.get(siret=SIRET).name == "Commune de Bordeaux"

    invited = amo(
        "user",
        "invite",
        "--organisation",
        SIRET,
        "--email",
        "claire@bordeaux.fr",
        "--role",
        "maitre_ouvrage",
    )
    assert invited.returncode == 0, invited.stderr
    assert "Invitation envoyée à claire@bordeaux.fr" in invited.stdout
    assert Invitation.objects.get().role == "maitre_ouvrage"
    mails = list((tmp_path / "courriels").iterdir())
    assert len(mails) == 1
    assert "/invitations/" in mails[0].read_text(encoding="utf-8")
    labels = set(AuditEvent.objects.values_list("actor_label", flat=True))
    assert labels == {"administrateur de la plateforme (amo admin)"}

    listed = amo("organisation", "list")
    assert "Commune de Bordeaux" in listed.stdout


@pytest.mark.parametrize(
    ("args", "option", "message"),
    [
        (["--siret", "21330063500018"], "--siret", "clé de contrôle"),
        (["--kind", "mairie"], "--kind", "choix valide"),
        (["--buyer-category", ""], "--buyer-category", "catégorie d'acheteur"),
        (["--population", "beaucoup"], "--population", "nombre d'habitants"),
    ],
)
def test_bad_input_exits_2_with_a_french_error(
    amo: Amo, args: list[str], option: str, message: str
) -> None:
    base = {
        "--siret": SIRET,
        "--kind": "collectivite",
        "--name": "Commune de Bordeaux",
        "--buyer-category": "collectivite",
    }
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    flat = [item for pair in base.items() for item in pair]
    result = amo("organisation", "create", *flat, "--json")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and message in result.stderr
    error = json.loads(result.stdout)["error"]
    assert error["details"][0]["location"] == option


def test_a_second_organisation_with_the_same_siret_is_refused(amo: Amo) -> None:
    args = ["organisation", "create", "--siret", SIRET, "--kind", "entreprise", "--name", "X"]
    assert amo(*args).returncode == 0
    again = amo(*args)
    assert again.returncode == 2 and "existe déjà" in again.stderr


def test_inviting_into_an_unknown_organisation_is_explained(amo: Amo) -> None:
    result = amo("user", "invite", "--organisation", "99999", "--email", "a@b.fr", "--json")
    assert result.returncode == 2
    assert json.loads(result.stdout)["error"]["code"] == "organisation_not_found"


def test_a_staff_account_gets_a_provisional_password(amo: Amo) -> None:
    from django.contrib.auth import get_user_model

    from openamo.web.organisations.models import ProvisionalPassword

    result = amo(
        "staff", "create", "--username", "exploitant", "--email", "ops@exemple.fr", "--json"
    )
    assert result.returncode == 0, result.stderr
    password = json.loads(result.stdout)["staff"]["provisional_password"]
    user = get_user_model().objects.get(username="exploitant")
    assert user.is_staff and user.check_password(password)
    assert ProvisionalPassword.objects.filter(user=user).exists()
