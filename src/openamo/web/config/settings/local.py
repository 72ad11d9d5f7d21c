"""``amo serve``: the embedded SQLite base, a secret generated once per machine, DEBUG off.

This is what ``make run`` serves: the same error pages, headers and static files (whitenoise,
straight from the installed packages, no ``collectstatic`` step) as production, over plain HTTP
on the local machine. ``amo serve --debug`` switches to ``settings.dev``.
"""

from __future__ import annotations

from openamo.web.config.settings.base import *  # noqa: F403
from openamo.web.config.settings.base import env_str, private_data_dir, private_secret

SECRET_KEY = env_str("OPENAMO_SECRET_KEY") or private_secret(private_data_dir() / "secret_key")
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # type: ignore[assignment]  # nothing collected: whitenoise reads the packages' static folders
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
