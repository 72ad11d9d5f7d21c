"""Local development and ``amo serve``: DEBUG, embedded SQLite, a secret generated once per machine."""

from __future__ import annotations

import secrets

from openamo.web.config.settings.base import *  # noqa: F403
from openamo.web.config.settings.base import data_dir, env_str


def _local_secret_key() -> str:
    data_dir().mkdir(parents=True, exist_ok=True)
    path = data_dir() / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


DEBUG = True
SECRET_KEY = env_str("OPENAMO_SECRET_KEY") or _local_secret_key()
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
