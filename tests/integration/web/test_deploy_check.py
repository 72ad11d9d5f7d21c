"""``check --deploy`` with the production settings and the variables the README documents
(« Mettre en production ») reports nothing: no warning, no error."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

# The required variables of « Mettre en production », with example values.
DOCUMENTED_ENV = {
    "DJANGO_SETTINGS_MODULE": "openamo.web.config.settings.prod",
    "DATABASE_URL": "postgres://openamo@127.0.0.1:5432/openamo",
    "OPENAMO_ALLOWED_HOSTS": "openamo.mairie-exemple.fr",
    "OPENAMO_CSRF_TRUSTED_ORIGINS": "https://openamo.mairie-exemple.fr",
    "OPENAMO_BASE_URL": "https://openamo.mairie-exemple.fr",
    "EMAIL_HOST": "smtp.mairie-exemple.fr",
    "DEFAULT_FROM_EMAIL": "OpenAMO <ne-pas-repondre@mairie-exemple.fr>",
}


def check_deploy(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("OPENAMO_", "EMAIL_", "DJANGO_", "DATABASE_URL"))
    }
    env.update(DOCUMENTED_ENV)
    env["OPENAMO_SECRET_KEY"] = secrets.token_urlsafe(50)
    env["OPENAMO_DATA_DIR"] = str(tmp_path)
    env.update(extra)
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_reports_no_issue_with_the_documented_variables(tmp_path: Path) -> None:
    result = check_deploy(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


def test_check_deploy_fails_when_https_protections_are_turned_off(tmp_path: Path) -> None:
    """The check is real: switching HSTS off is reported."""
    result = check_deploy(tmp_path, OPENAMO_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout
