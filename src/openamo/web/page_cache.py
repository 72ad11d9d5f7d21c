"""Per-user cache of the read-heavy pages (dashboard, lists), invalidated by any recorded change.

Every write of a business object or decision appends an audit event (``openamo.web.audit``),
so the latest event's identifier is a version of all the data a page may show: a cached page
is served only while no event has been recorded since it was rendered. The key also holds
everything else a page depends on: the user, their name, their memberships and roles, the
requested URL, the day (deadlines are relative to today) and the CSRF cookie (the page embeds a
token valid for that cookie only). Pages with pending flash messages are never cached or
served from the cache. The cache is ``default`` (per-process memory unless configured
otherwise), so nothing is shared between users or organisations.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from openamo.web.audit.models import AuditEvent
from openamo.web.organisations.access import memberships

PAGE_TIMEOUT_SECONDS = 300

View = Callable[..., HttpResponse]
T = TypeVar("T")


def data_version() -> int:
    """Identifier of the latest audit event (0 when none): one index lookup."""
    latest = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    return latest or 0


def _key(request: HttpRequest, view_name: str, csrf_cookie: str = "") -> str:
    user = request.user
    roles = sorted((m.organisation_id, m.role) for m in memberships(user))
    parts = [
        view_name,
        str(user.pk),
        user.get_full_name(),  # type: ignore[union-attr]
        repr(roles),
        request.get_full_path(),
        timezone.localdate().isoformat(),
        str(data_version()),
        csrf_cookie,
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"openamo:page:{digest}"


def _has_pending_messages(request: HttpRequest) -> bool:
    storage = get_messages(request)
    return len(storage) > 0  # loads without consuming: the page will still show them


def cached_for_user(view: View) -> View:
    """Serve a GET page from the cache while nothing has changed for this user."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        csrf_cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
        if (
            request.method != "GET"
            or not request.user.is_authenticated
            or not csrf_cookie
            or _has_pending_messages(request)
        ):
            return view(request, *args, **kwargs)
        key = _key(request, view.__qualname__, csrf_cookie)
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            response = HttpResponse(content, content_type=content_type)
        else:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                cache.set(key, (response.content, response["Content-Type"]), PAGE_TIMEOUT_SECONDS)
        response["Cache-Control"] = "private, no-cache"
        return response

    return wrapper


def cached_data(request: HttpRequest, name: str, compute: Callable[[], T]) -> T:
    """The result of ``compute()`` for this user and URL, recomputed after any recorded change
    (for API reads, which carry no CSRF token)."""
    if not request.user.is_authenticated:
        return compute()
    key = _key(request, name)
    hit: T | None = cache.get(key)
    if hit is None:
        hit = compute()
        cache.set(key, hit, PAGE_TIMEOUT_SECONDS)
    return hit
