"""Sign-in with ProConnect, the State's identity federation for public agents, through
mozilla-django-oidc (authorization code flow; ``state`` and ``nonce`` checked by the library).

Configured only by environment variables (``OPENAMO_PROCONNECT_CLIENT_ID``, ``…_SECRET``,
``…_URL``, the provider's base such as ``https://proconnect.gouv.fr/api/v2``); the endpoints come
from its discovery document, read at the first sign-in and kept an hour. Without the variables
the feature is off: no button, and its pages answer 404.

The first sign-in links the identity (``sub``) to an account: a new one (no password), or, when
an account already has this address, that account once its owner has typed its password. The
organisation follows in ``proconnect_views``: an open invitation for the address is accepted,
else the organisation of the ``siret`` claim is asked to let the person in, else the person
creates it. Nothing attaches anyone to an organisation without its managers' consent.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from openamo.web.audit.models import Action
from openamo.web.audit.services import record
from openamo.web.organisations.invitations import account_for_email
from openamo.web.organisations.models import ProConnectIdentity
from openamo.web.users import AuthenticatedUser

# ProConnect's scopes (partenaires.proconnect.gouv.fr, « données fournies »).
SCOPES = "openid email given_name usual_name siret uid"
CLAIMS_SESSION = "openamo_proconnect_claims"
PENDING_LINK_SESSION = "openamo_proconnect_pending_link"
LOGOUT_STATE_SESSION = "openamo_proconnect_logout_state"
BACKEND = "openamo.web.organisations.proconnect.ProConnectBackend"
DISCOVERY_SECONDS = 3600
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


class Discovery(BaseModel):
    """The provider's discovery document (``/.well-known/openid-configuration``): the
    endpoints OpenAMO uses, validated when read; the other keys are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    issuer: str | None = None
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    end_session_endpoint: str | None = None


class IdToken(BaseModel):
    """The claims of the ID token OpenAMO checks beyond the library (issuer, audience)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    sub: str | None = None
    iss: str | None = None
    aud: str | list[str] | None = None

    def audiences(self) -> list[str]:
        if self.aud is None:
            return []
        return self.aud if isinstance(self.aud, list) else [self.aud]


class UserInfo(BaseModel):
    """ProConnect's userinfo claims (« données fournies »), validated when received: an
    identity without ``sub`` or ``email`` is refused; a missing name or SIRET is blank."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    sub: str
    email: str
    given_name: str = ""
    usual_name: str = ""
    siret: str = ""

    @field_validator("sub", "email", mode="before")
    @classmethod
    def _required(cls, value: object) -> object:
        if value in (None, ""):
            raise ValueError("information manquante")
        return value if isinstance(value, str) else str(value)

    @field_validator("given_name", "usual_name", "siret", mode="before")
    @classmethod
    def _blank(cls, value: object) -> str:
        return "" if value is None else str(value)

    @field_validator("email", mode="after")
    @classmethod
    def _address(cls, value: str) -> str:
        return value.strip().lower()

    @classmethod
    def of(cls, claims: Mapping[str, object]) -> UserInfo | None:
        """The claims as received (JSON), or ``None`` when they lack ``sub`` or ``email``."""
        try:
            return cls.model_validate(claims)
        except ValidationError:
            return None

    def names(self) -> dict[str, str]:
        """The account's names (``first_name``, ``last_name``), cut to what it holds."""
        return {"first_name": self.given_name[:150], "last_name": self.usual_name[:150]}


_discovered: dict[str, tuple[float, Discovery]] = {}


class ProConnectUnavailable(Exception):
    """The provider's discovery document could not be read."""


def enabled() -> bool:
    return bool(
        settings.OPENAMO_PROCONNECT_CLIENT_ID
        and settings.OPENAMO_PROCONNECT_CLIENT_SECRET
        and settings.OPENAMO_PROCONNECT_URL
    )


def require_enabled() -> None:
    if not enabled():
        raise Http404("La connexion par ProConnect n'est pas configurée.")


def discovery() -> Discovery:
    base = settings.OPENAMO_PROCONNECT_URL.rstrip("/")
    cached = _discovered.get(base)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    try:
        response = requests.get(f"{base}/.well-known/openid-configuration", timeout=10)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProConnectUnavailable(str(exc)) from exc
    try:
        found = Discovery.model_validate(document)
    except ValidationError:
        raise ProConnectUnavailable("document de découverte incomplet") from None
    _discovered[base] = (time.monotonic() + DISCOVERY_SECONDS, found)
    return found


def oidc_setting(attr: str, *default: object) -> object:
    """What mozilla-django-oidc asks for, taken from the OPENAMO_PROCONNECT_* variables and the
    discovery document instead of OIDC_* settings."""
    own = {
        "OIDC_RP_CLIENT_ID": settings.OPENAMO_PROCONNECT_CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": settings.OPENAMO_PROCONNECT_CLIENT_SECRET,
        "OIDC_RP_SIGN_ALGO": settings.OPENAMO_PROCONNECT_SIGN_ALGO,
        "OIDC_RP_SCOPES": SCOPES,
        "OIDC_USE_NONCE": True,
        "OIDC_USE_PKCE": False,  # ProConnect refuses parameters outside its list
        "OIDC_STORE_ID_TOKEN": True,  # for the logout (id_token_hint)
        "OIDC_TIMEOUT": 10,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "organisations:proconnect_callback",
        "LOGIN_REDIRECT_URL": "organisations:proconnect_next",
        "LOGIN_REDIRECT_URL_FAILURE": reverse("organisations:proconnect_failed"),
    }
    if attr in own:
        return own[attr]
    if attr in ENDPOINTS:
        return getattr(discovery(), ENDPOINTS[attr])
    return import_from_settings(attr, *default)


class ProConnectBackend(OIDCAuthenticationBackend):
    """Authenticates the ProConnect callback only (password sign-ins pass it by)."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args: object, **kwargs: object) -> None:
        # The endpoints are read when a callback arrives, not for every password sign-in.
        self.UserModel = get_user_model()

    def authenticate(self, request: HttpRequest | None, **kwargs: object) -> Any:
        if request is None or "username" in kwargs or "code" not in request.GET:
            return None
        if not enabled():
            return None
        try:
            OIDCAuthenticationBackend.__init__(self)
            return super().authenticate(request, **kwargs)
        except (ProConnectUnavailable, requests.RequestException):
            return None

    def verify_token(self, token: str, **kwargs: object) -> Any:
        """The library checks the signature, expiry and nonce; the issuer and audience too."""
        payload = super().verify_token(token, **kwargs)
        try:
            claims = IdToken.model_validate(payload)
        except ValidationError:
            raise SuspiciousOperation("Jeton illisible.") from None
        issuer = discovery().issuer
        if claims.iss is not None and issuer and claims.iss != issuer:
            raise SuspiciousOperation("Émetteur inattendu.")
        audiences = claims.audiences()
        if audiences and settings.OPENAMO_PROCONNECT_CLIENT_ID not in audiences:
            raise SuspiciousOperation("Jeton destiné à un autre service.")
        return payload

    def verify_claims(self, claims: Mapping[str, object]) -> bool:
        return UserInfo.of(claims) is not None

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: Mapping[str, object]
    ) -> AuthenticatedUser | None:
        claims = UserInfo.of(self.get_userinfo(access_token, id_token, payload))
        if claims is None or claims.sub != IdToken.model_validate(payload).sub:
            raise SuspiciousOperation("Informations ProConnect incomplètes.")
        session = self.request.session
        session[CLAIMS_SESSION] = {"siret": claims.siret, "email": claims.email}
        user, pending = user_for_claims(claims)
        if pending is not None:
            session[PENDING_LINK_SESSION] = pending
        return user


@transaction.atomic
def user_for_claims(claims: UserInfo) -> tuple[AuthenticatedUser | None, dict[str, str] | None]:
    """The account of this identity, creating it at the first sign-in; or ``(None, pending)``
    when an account already has this address (its owner confirms the link with a password)."""
    sub = claims.sub
    identity = ProConnectIdentity.objects.select_related("user").filter(sub=sub).first()
    if identity is not None:
        return identity.user, None
    email = claims.email
    if account_for_email(email) is not None:
        return None, {"sub": sub, "email": email}
    user = get_user_model().objects.create_user(username=email, email=email, **claims.names())
    user.set_unusable_password()  # signs in with ProConnect; may choose a password by the reset
    user.save(update_fields=["password"])
    actor_label = f"{email} (ProConnect)"
    record(
        user,
        Action.CREATE,
        user,
        operation_id=None,
        after={"username": email, "source": "ProConnect"},
        actor_label=actor_label,
    )
    link_identity(user, sub, actor_label=actor_label)
    return user, None


def link_identity(
    user: AuthenticatedUser, sub: str, *, actor_label: str | None = None
) -> ProConnectIdentity:
    identity = ProConnectIdentity.objects.create(user=user, sub=sub)
    record(
        user,
        Action.CREATE,
        identity,
        operation_id=None,
        after={"user": user.pk, "sub": sub},
        actor_label=actor_label,
    )
    return identity


class ProConnectLoginView(OIDCAuthenticationRequestView):
    """Sends the browser to ProConnect's authorization endpoint (state and nonce in session)."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, **kwargs: object) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)

    def get(self, request: HttpRequest) -> Any:
        require_enabled()
        self.OIDC_RP_CLIENT_ID = settings.OPENAMO_PROCONNECT_CLIENT_ID
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except ProConnectUnavailable:
            from openamo.web.organisations.proconnect_views import unavailable

            return unavailable(request)
        return super().get(request)


class ProConnectCallbackView(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(oidc_setting)

    @property
    def success_url(self) -> str:
        # Always through the first-sign-in routing, which then honours the page asked for.
        return reverse("organisations:proconnect_next")

    def get(self, request: HttpRequest) -> Any:
        require_enabled()
        return super().get(request)


def end_session_url(request: HttpRequest, id_token: str) -> str | None:
    """ProConnect's logout (end_session_endpoint), which then sends the browser back here;
    the ``state`` is kept in the new, anonymous session and checked on return."""
    try:
        endpoint = discovery().end_session_endpoint
    except ProConnectUnavailable:
        return None
    if not endpoint:
        return None
    state = secrets.token_urlsafe(32)
    request.session[LOGOUT_STATE_SESSION] = state
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": state,
            "post_logout_redirect_uri": request.build_absolute_uri(
                reverse("organisations:proconnect_logged_out")
            ),
        }
    )
    return f"{endpoint}?{query}"
