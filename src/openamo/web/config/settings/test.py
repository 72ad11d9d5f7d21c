"""Settings for the test suite: PostgreSQL when reachable (as on development and CI machines),
embedded SQLite otherwise. ``OPENAMO_TEST_DB=sqlite`` forces SQLite; ``DATABASE_URL`` wins."""

from __future__ import annotations

import secrets
import socket
import tempfile
from pathlib import Path

import dj_database_url

from openamo.web.config.settings.base import *  # noqa: F403
from openamo.web.config.settings.base import database_config, env_str

LOCAL_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test"


def _postgres_reachable(host: str = "127.0.0.1", port: int = 5432) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _test_database() -> tuple[dict[str, object], str]:
    if env_str("DATABASE_URL"):
        config = database_config(Path("unused.sqlite3"))
        return config, f"DATABASE_URL ({config['ENGINE']})"
    forced_sqlite = env_str("OPENAMO_TEST_DB").lower() == "sqlite"
    if not forced_sqlite and _postgres_reachable():
        return dict(
            dj_database_url.parse(LOCAL_POSTGRES_URL)
        ), "PostgreSQL (127.0.0.1:5432, base de test « test_test »)"
    sqlite_file = Path(tempfile.gettempdir()) / "openamo-test.sqlite3"
    config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(sqlite_file)}
    why = "OPENAMO_TEST_DB=sqlite" if forced_sqlite else "PostgreSQL injoignable sur 127.0.0.1:5432"
    return config, f"SQLite ({why})"


_DATABASE, TEST_DATABASE_LABEL = _test_database()
DATABASES = {"default": _DATABASE}

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
