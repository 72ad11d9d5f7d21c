"""Every API error is JSON ``{"error": {"code", "message", "details"?}}`` in French."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from openamo.errors import ErrorDetail, OpenAMOError
from openamo.validation import field_location, french_message
from openamo.web import errors as web_errors
from openamo.web import request_id
from openamo.web.operations.access import PermissionRefused

logger = logging.getLogger("openamo.web.api")

Raised = Exception | type[Exception]
"""What django-ninja passes to an exception handler: the exception (its types also allow the
exception's class)."""

_LOCATIONS = {"body": "corps", "payload": "", "query": "paramètre", "path": "chemin"}


def location(loc: Sequence[str | int]) -> str:
    return field_location(loc, _LOCATIONS).replace("corps.", "")


def _response(
    api: NinjaAPI, request: HttpRequest, status: int, error: OpenAMOError
) -> HttpResponse:
    return api.create_response(request, {"error": error.as_dict()}, status=status)


_HTTP_MESSAGES = {
    400: ("bad_request", "Requête invalide : le corps doit être un objet JSON valide."),
    401: ("unauthenticated", "Authentification requise : connectez-vous."),
    403: ("forbidden", "Action non autorisée."),
    404: ("not_found", "Ressource introuvable."),
    405: ("method_not_allowed", "Méthode HTTP non autorisée pour cette adresse."),
    429: ("throttled", "Trop de requêtes : réessayez dans un instant."),
}


def install(api: NinjaAPI) -> None:
    """Replace django-ninja's English default handlers with French JSON errors."""

    def on_validation(request: HttpRequest, exc: Raised) -> HttpResponse:
        assert isinstance(exc, ValidationError)
        details = [ErrorDetail(location(e.get("loc", ())), french_message(e)) for e in exc.errors]
        return _response(api, request, 422, OpenAMOError("Entrée invalide.", details=details))

    def on_domain(request: HttpRequest, exc: Raised) -> HttpResponse:
        assert isinstance(exc, OpenAMOError)
        return _response(api, request, 400, exc)

    def on_http(request: HttpRequest, exc: Raised) -> HttpResponse:
        assert isinstance(exc, HttpError)
        code, message = _HTTP_MESSAGES.get(exc.status_code, ("http_error", "Requête refusée."))
        if exc.status_code == 403 and "CSRF" in exc.message:
            code, message = "csrf", "Jeton CSRF absent ou invalide (en-tête X-CSRFToken)."
        return _response(api, request, exc.status_code, OpenAMOError(message, code=code))

    def on_not_found(request: HttpRequest, exc: Raised) -> HttpResponse:
        text = str(exc)
        message = text if text.endswith("introuvable.") else "Ressource introuvable."
        return _response(api, request, 404, OpenAMOError(message, code="not_found"))

    def on_refused(request: HttpRequest, exc: Raised) -> HttpResponse:
        message = exc.message if isinstance(exc, PermissionRefused) else "Action non autorisée."
        return _response(api, request, 403, OpenAMOError(message, code="forbidden"))

    def on_unexpected(request: HttpRequest, exc: Raised) -> HttpResponse:
        reference = {"request_id": request_id.of(request)}
        raised = exc if isinstance(exc, Exception) else None
        if web_errors.is_database_outage(raised):
            logger.error("Base de données indisponible", exc_info=raised)
            outage = OpenAMOError(
                web_errors.DATABASE_OUTAGE, code="database_unavailable", extra=reference
            )
            response = _response(api, request, 503, outage)
            response["Retry-After"] = web_errors.RETRY_AFTER_SECONDS
            return response
        logger.exception("Erreur interne de l'API", exc_info=raised)
        error = OpenAMOError("Erreur interne inattendue.", code="internal_error", extra=reference)
        return _response(api, request, 500, error)

    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(OpenAMOError, on_domain)
    api.add_exception_handler(AuthenticationError, on_http)
    api.add_exception_handler(HttpError, on_http)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_refused)
    api.add_exception_handler(Exception, on_unexpected)
