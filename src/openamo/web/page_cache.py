"""Cache of the read-heavy pages (dashboard, lists), shared by the users who see the same thing
and invalidated by any recorded change.

What a dashboard or a list shows depends on the user's memberships (organisations and roles),
never on who the user is: the cache key is that *audience*, not the user. Colleagues with the
same rights thus share one rendering, which is what keeps a first visit cheap when many agents of
one buyer work at once. The two things that do belong to the user, their name in the header and
the CSRF token of the logout form, are rendered as random placeholders and filled in for each
response (``fill``), so no user ever receives another's name or token.

Every write of a business object or decision appends an audit event (``openamo.web.audit``),
so the latest event's identifier is a version of all the data a page may show: a cached page
is served only while no event has been recorded since it was rendered. The key also holds the
requested URL and the day (deadlines are relative to today). Pages with pending flash messages
are never cached or served from the cache. The cache is ``default`` (per-process memory unless
configured otherwise); its keys never mix organisations or roles.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.html import escape

from openamo.web.audit.models import AuditEvent
from openamo.web.organisations.access import memberships
from openamo.web.users import AuthenticatedUser

PAGE_TIMEOUT_SECONDS = 300
_PLACEHOLDERS_ATTR = "_openamo_page_placeholders"

View = Callable[..., HttpResponse]
T = TypeVar("T")


@dataclass(frozen=True)
class Placeholders:
    """Stand-ins for the user's own bits in a shared rendering, random so that no content typed
    by a user can contain them."""

    csrf_token: str
    user_label: str

    @classmethod
    def new(cls) -> Placeholders:
        return cls(f"csrf{secrets.token_hex(16)}", f"user{secrets.token_hex(16)}")


def user_label(user: AuthenticatedUser | AnonymousUser) -> str:
    if isinstance(user, AnonymousUser):
        return ""
    return str(user.get_full_name() or user.username)


def context(request: HttpRequest) -> dict[str, str]:
    """Context processor: the user's label and, for a shared rendering, the placeholders."""
    placeholders: Placeholders | None = getattr(request, _PLACEHOLDERS_ATTR, None)
    if placeholders is not None:
        return {"csrf_token": placeholders.csrf_token, "user_label": placeholders.user_label}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"user_label": user_label(user)}


def data_version() -> int:
    """Identifier of the latest audit event (0 when none): one index lookup."""
    latest = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    return latest or 0


def _key(request: HttpRequest, view_name: str) -> str:
    user = request.user
    audience = sorted((m.organisation_id, m.role) for m in memberships(user))
    parts = [
        view_name,
        repr(audience),
        repr((user.is_staff, user.is_superuser)),
        request.get_full_path(),
        timezone.localdate().isoformat(),
        str(data_version()),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"openamo:page:{digest}"


def _has_pending_messages(request: HttpRequest) -> bool:
    storage = get_messages(request)
    return len(storage) > 0  # loads without consuming: the page will still show them


def fill(content: bytes, placeholders: Placeholders, request: HttpRequest) -> bytes:
    """The shared rendering with this request's CSRF token and this user's name."""
    token = get_token(request)  # also sets the CSRF cookie when the browser has none yet
    return content.replace(placeholders.csrf_token.encode(), token.encode()).replace(
        placeholders.user_label.encode(), escape(user_label(request.user)).encode()
    )


def cached_for_user(view: View) -> View:
    """Serve a GET page from the cache while nothing has changed for this audience."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if (
            request.method != "GET"
            or not request.user.is_authenticated
            or _has_pending_messages(request)
        ):
            return view(request, *args, **kwargs)
        key = _key(request, view.__qualname__)
        hit: tuple[bytes, str, Placeholders] | None = cache.get(key)
        if hit is not None:
            content, content_type, placeholders = hit
            response = HttpResponse(fill(content, placeholders, request), content_type=content_type)
        else:
            placeholders = Placeholders.new()
            setattr(request, _PLACEHOLDERS_ATTR, placeholders)
            try:
                response = view(request, *args, **kwargs)
            finally:
                delattr(request, _PLACEHOLDERS_ATTR)
            if response.status_code == 200 and not response.streaming:
                content = response.content
                cache.set(
                    key, (content, response["Content-Type"], placeholders), PAGE_TIMEOUT_SECONDS
                )
                response.content = fill(content, placeholders, request)
        response["Cache-Control"] = "private, no-cache"
        return response

    return wrapper


def cached_data(request: HttpRequest, name: str, compute: Callable[[], T]) -> T:
    """The result of ``compute()`` for this audience and URL, recomputed after any recorded
    change (for API reads, which hold nothing of the user's own)."""
    if not request.user.is_authenticated:
        return compute()
    key = _key(request, name)
    hit: T | None = cache.get(key)
    if hit is None:
        hit = compute()
        cache.set(key, hit, PAGE_TIMEOUT_SECONDS)
    return hit
