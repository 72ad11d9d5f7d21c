"""Django settings shared by every environment.

Zero-config defaults (an embedded SQLite file in the user's data directory); every value that
differs between machines comes from an environment variable read by a typed helper that fails
fast on a malformed value.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
import platformdirs
from django.core.exceptions import ImproperlyConfigured

WEB_DIR = Path(__file__).resolve().parents[2]

_TRUE = {"1", "true", "yes", "on", "oui"}
_FALSE = {"0", "false", "no", "off", "non", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} doit valoir true ou false (reçu « {raw} »).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} doit être un entier (reçu « {raw} »).") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    """Where the embedded database, static files and local secrets live (``OPENAMO_DATA_DIR``)."""
    configured = env_str("OPENAMO_DATA_DIR")
    return Path(configured) if configured else Path(platformdirs.user_data_dir("openamo"))


def private_data_dir() -> Path:
    """The data directory, created (or narrowed) to its owner only: it holds every tenant's data."""
    path = data_dir()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def private_secret(path: Path) -> str:
    """A secret generated once, written 0600 from its creation (never readable by others)."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        path.chmod(0o600)
    else:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(secrets.token_urlsafe(50))
    return path.read_text(encoding="utf-8").strip()


def database_config(default_sqlite: Path) -> dict[str, object]:
    """``DATABASE_URL`` (PostgreSQL in production) or the embedded SQLite file."""
    url = env_str("DATABASE_URL")
    if url:
        try:
            config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
        except ValueError as exc:
            raise ImproperlyConfigured(f"DATABASE_URL invalide : {exc}") from None
        return with_fault_limits(config)
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(default_sqlite)}


def with_fault_limits(config: dict[str, object]) -> dict[str, object]:
    """PostgreSQL connections that survive a server restart and never wait without bound.

    A persistent connection is checked before each request reuses it (a restart then costs
    nothing but a reconnection); a statement or a lock wait that exceeds its limit fails with a
    French 503 page instead of holding a worker thread — and the static files behind it.
    """
    if "postgresql" not in str(config.get("ENGINE", "")):
        return config
    limits = {
        "statement_timeout": env_int("OPENAMO_DB_STATEMENT_TIMEOUT_MS", 20_000),
        "lock_timeout": env_int("OPENAMO_DB_LOCK_TIMEOUT_MS", 5_000),
        "idle_in_transaction_session_timeout": env_int("OPENAMO_DB_IDLE_TRANSACTION_MS", 60_000),
    }
    options: dict[str, object] = dict(config.get("OPTIONS") or {})  # type: ignore[call-overload]
    given = str(options.get("options", ""))
    options["options"] = " ".join([given, *(f"-c {k}={v}" for k, v in limits.items())]).strip()
    options.setdefault("connect_timeout", env_int("OPENAMO_DB_CONNECT_TIMEOUT_S", 5))
    return {**config, "CONN_HEALTH_CHECKS": True, "OPTIONS": options}


DEBUG = False
# Production settings set it: nothing may then load the demonstration accounts.
OPENAMO_PRODUCTION = False
ALLOWED_HOSTS = env_list("OPENAMO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",  # platform staff only (is_staff); every change audited
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # accent-insensitive search (unaccent) when on PostgreSQL
    "dsfr",  # before django.forms: its error-list templates override Django's
    "widget_tweaks",
    "django.forms",
    "procrastinate.contrib.django",  # the PostgreSQL-backed queue of background jobs
    "ninja",  # serves the OpenAPI documentation's assets locally (no CDN)
    "openamo.web.organisations",
    "openamo.web.operations",
    "openamo.web.audit",
    "openamo.web.award",
    "openamo.web.steering",
    "openamo.web.construction",
    "openamo.web.contracts",
    "openamo.web.amendments",
    "openamo.web.catering",
    "openamo.web.opendata",
]

MIDDLEWARE = [
    "openamo.web.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "openamo.web.headers.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "openamo.web.organisations.passwords.ProvisionalPasswordMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "openamo.web.config.urls"
WSGI_APPLICATION = "openamo.web.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "openamo.web.organisations.context_processors.site",
                "openamo.web.page_cache.context",
                "openamo.web.pages.navigation",
            ],
            "libraries": {
                "pagination": "openamo.web.pagination",
                "pages": "openamo.web.pages",
                "wording": "openamo.web.wording",
            },
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {"default": database_config(data_dir() / "openamo.sqlite3")}


def queue_migrations(database: dict[str, object]) -> dict[str, str | None]:
    """The queue (procrastinate) lives in PostgreSQL only; on SQLite its tables are not made
    and background jobs run at once, in the request (``openamo.web.opendata.jobs``)."""
    return {} if "postgresql" in str(database.get("ENGINE", "")) else {"procrastinate": None}


MIGRATION_MODULES = queue_migrations(DATABASES["default"])
# Per-process memory: the page cache (openamo.web.page_cache) keys every entry by user and
# data version, so workers never need to share it.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "openamo",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords: argon2 first (older hashes are upgraded at the next login).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "openamo.web.organisations.throttle.LoginThrottleBackend",  # first: refuses during a wait
    "django.contrib.auth.backends.ModelBackend",
    "openamo.web.organisations.proconnect.ProConnectBackend",  # its callback only
]
PASSWORD_RESET_TIMEOUT = 3600  # a reset link is valid one hour (and once)
LOGIN_URL = "organisations:login"
LOGIN_REDIRECT_URL = "operations:dashboard"
LOGOUT_REDIRECT_URL = "organisations:login"

# Login abuse (openamo.web.organisations.throttle): failures are counted per identifier, whatever
# the address, and per client address, whatever the identifiers (password spraying). From the
# limit on, each failure makes the wait longer: 1, 2, 4… minutes up to the ceiling; failures are
# forgotten after a quiet period; a password reset lifts the identifier's count.
OPENAMO_LOGIN_ACCOUNT_FAILURES = env_int("OPENAMO_LOGIN_ACCOUNT_FAILURES", 5)
OPENAMO_LOGIN_ADDRESS_FAILURES = env_int("OPENAMO_LOGIN_ADDRESS_FAILURES", 30)
OPENAMO_LOGIN_FIRST_DELAY_MINUTES = env_int("OPENAMO_LOGIN_FIRST_DELAY_MINUTES", 1)
OPENAMO_LOGIN_MAX_DELAY_MINUTES = env_int("OPENAMO_LOGIN_MAX_DELAY_MINUTES", 60)
OPENAMO_LOGIN_MEMORY_HOURS = env_int("OPENAMO_LOGIN_MEMORY_HOURS", 24)
# Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR networks, comma-separated;
# by default the local nginx of the README); from any other peer the header is ignored.
OPENAMO_TRUSTED_PROXIES = env_list("OPENAMO_TRUSTED_PROXIES", ["127.0.0.1", "::1"])
for _proxy in OPENAMO_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"OPENAMO_TRUSTED_PROXIES : « {_proxy} » n'est pas une adresse ou un réseau IP "
            "(exemple : 127.0.0.1, 10.0.0.0/8)."
        ) from None

# ProConnect (openamo.web.organisations.proconnect): on when the three variables are set. The URL
# is the provider's base (https://proconnect.gouv.fr/api/v2 in production), whose discovery
# document gives the endpoints.
OPENAMO_PROCONNECT_CLIENT_ID = env_str("OPENAMO_PROCONNECT_CLIENT_ID")
OPENAMO_PROCONNECT_CLIENT_SECRET = env_str("OPENAMO_PROCONNECT_CLIENT_SECRET")
OPENAMO_PROCONNECT_URL = env_str("OPENAMO_PROCONNECT_URL").rstrip("/")
OPENAMO_PROCONNECT_SIGN_ALGO = env_str("OPENAMO_PROCONNECT_SIGN_ALGO", "RS256")

# E-mail (invitations, sign-up, password reset): SMTP when EMAIL_HOST is set (production), else
# one file per message in <data dir>/courriels, to read in development and with the demo.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = data_dir() / "courriels"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "OpenAMO <ne-pas-repondre@openamo.invalid>")
# Links in e-mails sent from the command line (the web uses the request's address).
OPENAMO_BASE_URL = env_str("OPENAMO_BASE_URL", "http://127.0.0.1:8000")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
CSRF_FAILURE_VIEW = "openamo.web.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [WEB_DIR / "static"]  # openamo/openamo.css: the project's own rules
STATIC_ROOT = data_dir() / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploads (openamo.web.uploads): each file is counted while it streams in and refused past
# OPENAMO_UPLOAD_MAX_BYTES (5 Mo), never held whole; the form fields of one request may weigh
# OPENAMO_FORM_MAX_BYTES (2,5 Mo) at most. nginx's client_max_body_size stops larger bodies first.
OPENAMO_UPLOAD_MAX_BYTES = env_int("OPENAMO_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("OPENAMO_FORM_MAX_BYTES", 2_621_440)
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_HANDLERS = [
    "openamo.web.uploads.MemoryUploadHandler",
    "openamo.web.uploads.TemporaryFileUploadHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# django-dsfr: DSFR marks optional fields (not required ones); assets come from the package.
DSFR_USE_INTEGRITY_CHECKSUMS = True

SECRET_KEY = env_str("OPENAMO_SECRET_KEY")

# One line per event on the standard error, which gunicorn, systemd or a container collects.
# Every server error (500, and 503 while the database is unreachable) is written with its
# traceback and the request id shown to the user.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "openamo.web.request_id.RequestIdFilter"}},
    "formatters": {
        "line": {
            "format": "%(asctime)s %(levelname)s request_id=%(request_id)s %(name)s: %(message)s"
        }
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "line",
        }
    },
    "root": {"handlers": ["stderr"], "level": env_str("OPENAMO_LOG_LEVEL", "WARNING")},
    # 4xx answers are the users' mistakes (Django logs them as warnings): only 5xx are written.
    "loggers": {"django.request": {"level": "ERROR"}},
}
