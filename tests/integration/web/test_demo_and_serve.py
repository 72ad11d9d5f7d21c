"""Demo data load idempotently; ``amo serve --prepare-only`` builds a fresh SQLite database."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from pytest_django.fixtures import Settings

from openamo.errors import OpenAMOError
from openamo.web.audit.models import AuditEvent
from openamo.web.demo import COMMUNE, USERS, load_demo
from openamo.web.operations.models import Consultation, Lot, Operation
from openamo.web.organisations.models import Membership, Organisation


def counts() -> tuple[int, ...]:
    return (
        Organisation.objects.count(),
        get_user_model().objects.count(),
        Membership.objects.count(),
        Operation.objects.count(),
        Lot.objects.count(),
        AuditEvent.objects.count(),
    )


def test_the_demo_loads_once_and_keeps_its_passwords(db: None, tmp_path: Path) -> None:
    credentials_file = tmp_path / "demo-credentials.json"
    first = load_demo(credentials_file)
    before = counts()
    second = load_demo(credentials_file)
    assert counts() == before
    assert [(c.username, c.password) for c in first] == [(c.username, c.password) for c in second]
    assert oct(credentials_file.stat().st_mode & 0o777) == "0o600"
    assert {c.username for c in first} == {u.username for u in USERS}
    for credential in first:
        user = get_user_model().objects.get(username=credential.username)
        assert user.check_password(credential.password)

    commune = Organisation.objects.get(name=COMMUNE)
    assert commune.population == 7000
    catering = Operation.objects.get(title="Renouvellement de la restauration scolaire 2027")
    names = list(Lot.objects.filter(operation=catering).values_list("name", flat=True))
    assert len(names) == 4
    assert any("biologique" in n for n in names) and any("Épicerie" in n for n in names)
    # Chosen before its launch, then to be validated again: lot 1 was re-estimated since.
    renewal = Consultation.objects.get(operation=catering)
    assert renewal.status == "validee" and renewal.stale_changes
    # A contract follows a validated procedure: the HR software's, chosen before its
    # consultation of December 2025, is shown as such in the list of operations.
    software = Consultation.objects.get(operation__title="Nouveau logiciel de gestion RH")
    assert software.status == "validee" and str(software.launch_date) == "2025-12-01"
    assert all(op.shares.count() == 1 for op in Operation.objects.all())


def test_amo_serve_prepares_a_fresh_sqlite_database_and_prints_passwords(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "OPENAMO_SECRET_KEY"}
    }
    env["OPENAMO_DATA_DIR"] = str(tmp_path)
    amo = [sys.executable, "-c", "from openamo.cli import run; run()"]
    result = subprocess.run(
        [*amo, "serve", "--prepare-only"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    passwords = json.loads((tmp_path / "demo-credentials.json").read_text(encoding="utf-8"))
    for username, password in passwords.items():
        assert f"{username}" in result.stdout and password in result.stdout
    with sqlite3.connect(tmp_path / "openamo.sqlite3") as db:
        (operations,) = db.execute("select count(*) from operations_operation").fetchone()
    # catering of 2025 and its renewal, HR software, school canteen works
    assert operations == 4


def test_the_demo_never_loads_with_production_settings(
    db: None, tmp_path: Path, settings: Settings
) -> None:
    settings.OPENAMO_PRODUCTION = True
    with pytest.raises(OpenAMOError, match="jamais chargés en production"):
        load_demo(tmp_path / "demo-credentials.json")
    assert not get_user_model().objects.filter(username=USERS[0].username).exists()
