"""Production: secrets and hosts from the environment, HTTPS-only cookies and strict headers."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from openamo.web.config.settings.base import *  # noqa: F403
from openamo.web.config.settings.base import env_bool, env_int, env_list, env_str

DEBUG = False
OPENAMO_PRODUCTION = True
SECRET_KEY = env_str("OPENAMO_SECRET_KEY")
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("OPENAMO_SECRET_KEY doit contenir au moins 32 caractères.")

ALLOWED_HOSTS = env_list("OPENAMO_ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("OPENAMO_ALLOWED_HOSTS est obligatoire en production.")
CSRF_TRUSTED_ORIGINS = env_list("OPENAMO_CSRF_TRUSTED_ORIGINS", [])

SESSION_COOKIE_SECURE = env_bool("OPENAMO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("OPENAMO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("OPENAMO_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The preload directive only allows the domain's owner to submit it to browsers' preload list
# (which needs the header on the parent domain itself): on a service's own host name it commits
# nobody. ``OPENAMO_HSTS_PRELOAD=false`` leaves it out.
SECURE_HSTS_PRELOAD = env_bool("OPENAMO_HSTS_PRELOAD", True)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
