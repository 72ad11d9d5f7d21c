"""A file offered for download: the one way every page sends a document or an export (and, for
the documents whose production is journaled, the rule that they are asked for by POST)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.http import content_disposition_header


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """``filename`` may hold accents or quotes: the header encodes it (RFC 6266 / 5987)."""
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


def post_only(request: HttpRequest) -> HttpResponse | None:
    """A 405 unless the download is a POST: a document whose production is recorded in the
    journal (and costs a second of work) is asked for by a form with its CSRF token, never by a
    link that another site could follow. Called after the access check (another organisation
    gets its 404 either way); the page offers the button (``partials/download.html``)."""
    if request.method == "POST":
        return None
    return HttpResponseNotAllowed(["POST"])
