"""Two test runs on one PostgreSQL server (or one machine) never share a database."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from django.conf import settings
from django.db import connection

PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "db = settings.DATABASES['default']; "
    "print(json.dumps({'engine': db['ENGINE'], 'name': db['NAME'], "
    "'test': db.get('TEST', {}).get('NAME')}))"
)


def probe(**env: str) -> dict[str, str]:
    environment = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "OPENAMO_TEST_DB"}
    }
    environment |= {"DJANGO_SETTINGS_MODULE": "openamo.web.config.settings.test", **env}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=environment, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_this_run_uses_a_database_of_its_own(db: None) -> None:
    if connection.vendor == "postgresql":
        test_settings: dict[str, str] = settings.DATABASES["default"]["TEST"]  # type: ignore[assignment]
        assert connection.settings_dict["NAME"] == test_settings["NAME"]
        assert settings.RUN_ID in connection.settings_dict["NAME"]
        with connection.cursor() as cursor:
            cursor.execute("select current_database()")
            assert cursor.fetchone()[0] == connection.settings_dict["NAME"]


def test_an_explicit_database_url_gets_a_different_test_database_per_run() -> None:
    url = "postgres://postgres@127.0.0.1:5432/unchemin"
    first, second = probe(DATABASE_URL=url), probe(DATABASE_URL=url)
    assert first["name"] == second["name"] == "unchemin"
    assert first["test"].startswith("test_unchemin_")
    assert first["test"] != second["test"]
    assert len(first["test"]) <= 63


def test_the_sqlite_fallback_file_differs_per_run() -> None:
    first, second = probe(OPENAMO_TEST_DB="sqlite"), probe(OPENAMO_TEST_DB="sqlite")
    assert first["engine"] == second["engine"] == "django.db.backends.sqlite3"
    assert first["name"] != second["name"]
