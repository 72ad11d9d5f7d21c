"""Django settings shared by every environment (placeholder until the web application lands)."""

from __future__ import annotations

SECRET_KEY = "insecure-dev-key-overridden-in-production"  # noqa: S105 - dev only
INSTALLED_APPS: list[str] = ["django.contrib.contenttypes", "django.contrib.auth"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
USE_TZ = True
LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
