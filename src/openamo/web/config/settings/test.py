"""Settings for the test suite: PostgreSQL when reachable (as on development and CI machines),
embedded SQLite otherwise. ``OPENAMO_TEST_DB=sqlite`` forces SQLite; ``DATABASE_URL`` wins.

Each run gets its own test database (``test_<base>_<pid>_<random>``) and its own SQLite file, so
two runs on the same PostgreSQL server or machine never drop or fill each other's tables.
"""

from __future__ import annotations

import os
import secrets
import socket
import tempfile
from pathlib import Path

import dj_database_url

from openamo.web.config.settings.base import *  # noqa: F403
from openamo.web.config.settings.base import (
    database_config,
    env_str,
    queue_migrations,
    with_fault_limits,
)

LOCAL_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test"
# One identifier per test process: the settings module is imported once per run.
RUN_ID = f"{os.getpid()}_{secrets.token_hex(3)}"


def _postgres_reachable(host: str = "127.0.0.1", port: int = 5432) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _unique_test_name(config: dict[str, object]) -> dict[str, object]:
    """The test database of this run, named after the configured one (PostgreSQL limit: 63)."""
    base = str(config.get("NAME") or "openamo")[:40]
    test = dict(config.get("TEST") or {})  # type: ignore[call-overload]
    test["NAME"] = f"test_{base}_{RUN_ID}"
    return {**config, "TEST": test}


def _test_database() -> tuple[dict[str, object], str]:
    if env_str("DATABASE_URL"):
        config = database_config(Path("unused.sqlite3"))
        if config["ENGINE"] == "django.db.backends.sqlite3":
            return config, "DATABASE_URL (SQLite)"
        config = _unique_test_name(config)
        return config, f"DATABASE_URL, base de test « {config['TEST']['NAME']} »"  # type: ignore[index]
    forced_sqlite = env_str("OPENAMO_TEST_DB").lower() == "sqlite"
    if not forced_sqlite and _postgres_reachable():
        config = _unique_test_name(
            with_fault_limits(dict(dj_database_url.parse(LOCAL_POSTGRES_URL)))
        )
        return config, (
            f"PostgreSQL (127.0.0.1:5432, base de test « {config['TEST']['NAME']} »)"  # type: ignore[index]
        )
    # Django tests SQLite in memory; the file (unique too) serves code that opens the main base.
    sqlite_file = Path(tempfile.gettempdir()) / f"openamo-test-{RUN_ID}.sqlite3"
    config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(sqlite_file)}
    why = "OPENAMO_TEST_DB=sqlite" if forced_sqlite else "PostgreSQL injoignable sur 127.0.0.1:5432"
    return config, f"SQLite ({why})"


_DATABASE, TEST_DATABASE_LABEL = _test_database()
DATABASES = {"default": _DATABASE}
MIGRATION_MODULES = queue_migrations(_DATABASE)

SECRET_KEY = secrets.token_urlsafe(50)
DEBUG = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
STATIC_ROOT = Path(tempfile.gettempdir()) / "openamo-test-static"

# Tests write rows directly through the ORM, bypassing the audit trail that versions the page
# cache; the cache's own tests switch the local-memory cache back on.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
