"""Every request carries an identifier: in the ``X-Request-ID`` response header, on the error
page the user sees, and in every log line written while it is served.

A user who reports « référence 3f2a… » points the operator to the exact traceback. An id set by
the reverse proxy (nginx ``$request_id``) is kept when it is well formed, so both logs agree.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,64}")
_current: ContextVar[str] = ContextVar("openamo_request_id", default="-")


def current() -> str:
    """The id of the request being served in this thread, ``-`` outside a request."""
    return _current.get()


def of(request: HttpRequest) -> str:
    return str(getattr(request, "request_id", "") or current())


class RequestIdMiddleware:
    """First in the chain, so that even a redirect or an error response carries the id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(HEADER, "")
        request_id = incoming if _WELL_FORMED.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record, for the formatters of settings.LOGGING."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current()
        return True
