"""Settings of the test OpenID provider: claims and scopes shaped like ProConnect's."""

from __future__ import annotations

import os
from pathlib import Path

BASE = Path(os.environ["OIDC_TEST_DIR"])
SECRET_KEY = "fournisseur-de-test-" + "x" * 40
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.oidc_provider.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(BASE / "op.sqlite3")}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # a test server: fast
LOGIN_URL = "/connexion/"
USE_TZ = True
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": (BASE / "key.pem").read_text(),
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "PKCE_REQUIRED": False,  # ProConnect refuses any parameter beyond its list, PKCE included
    "OAUTH2_VALIDATOR_CLASS": "tests.oidc_provider.validator.ProConnectLikeValidator",
    "SCOPES": {
        "openid": "OpenID Connect",
        "email": "adresse électronique",
        "given_name": "prénoms",
        "usual_name": "nom d'usage",
        "siret": "SIRET de l'organisation",
        "uid": "identifiant chez le fournisseur",
    },
}
# Browsers share cookies between ports of one host: the provider's must not overwrite OpenAMO's
# when both run on 127.0.0.1.
SESSION_COOKIE_NAME = "fournisseur_session"
CSRF_COOKIE_NAME = "fournisseur_csrf"
