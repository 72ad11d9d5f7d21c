"""Response headers that the browser enforces on every page (ANSSI web recommendations).

- ``Content-Security-Policy``: scripts, styles, images and fonts come from the site itself only;
  no inline script or style attribute runs (the DSFR's scripts are files; its inline
  ``onclick`` handlers are not used), nothing may frame the pages, forms post to the site (and
  to ProConnect, when configured, which the sign-in redirects to).
- ``Permissions-Policy``: no camera, microphone, location, payment… for any page.
- ``Cache-Control: no-store`` on every page served with a session: a shared computer's cache
  or a proxy never keeps a tenant's page.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "xr-spatial-tracking",
    )
)


def content_security_policy() -> str:
    policy = {name: list(sources) for name, sources in _POLICY.items()}
    provider = urlsplit(str(getattr(settings, "OPENAMO_PROCONNECT_URL", "") or ""))
    if provider.scheme and provider.netloc:  # sign-in and sign-out go through ProConnect
        policy["form-action"].append(f"{provider.scheme}://{provider.netloc}")
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items())


class SecurityHeadersMiddleware:
    """Whitenoise answers the static files before it, with their own long cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.policy)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if signed_in(request):
            response["Cache-Control"] = "no-store"
        return response


def signed_in(request: HttpRequest) -> bool:
    """A session cookie, or a user already read: never a database query of its own (a page
    answered 503 because the database is locked must not wait for it a second time)."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return True
    user = getattr(request, "_cached_user", None)
    return bool(user is not None and user.is_authenticated)
