"""Every API error is JSON ``{"error": {"code", "message", "details"?}}`` in French."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from openamo.errors import ErrorDetail, OpenAMOError
from openamo.web.operations.access import PermissionRefused

logger = logging.getLogger("openamo.web.api")

_MESSAGES = {
    "missing": "champ obligatoire manquant",
    "extra_forbidden": "champ inconnu (vérifiez l'orthographe du nom du champ)",
    "string_type": "texte attendu",
    "string_too_short": "texte vide ou trop court",
    "string_too_long": "texte trop long",
    "int_type": "nombre entier attendu",
    "int_parsing": "nombre entier attendu",
    "int_from_float": "nombre entier attendu",
    "bool_type": "booléen attendu (true ou false)",
    "bool_parsing": "booléen attendu (true ou false)",
    "date_type": "date attendue au format AAAA-MM-JJ",
    "date_parsing": "date invalide (attendu AAAA-MM-JJ)",
    "date_from_datetime_parsing": "date invalide (attendu AAAA-MM-JJ)",
    "date_from_datetime_inexact": "date attendue sans heure (AAAA-MM-JJ)",
    "decimal_parsing": "nombre décimal attendu",
    "decimal_type": "nombre décimal attendu",
    "decimal_max_digits": "nombre trop grand",
    "decimal_max_places": "deux décimales au plus",
    "decimal_whole_digits": "nombre trop grand",
    "list_type": "liste attendue",
    "dict_type": "objet JSON attendu",
    "model_type": "objet JSON attendu",
    "model_attributes_type": "objet JSON attendu",
    "too_short": "liste trop courte",
    "too_long": "liste trop longue",
    "greater_than_equal": "valeur trop petite",
    "greater_than": "valeur trop petite",
    "less_than_equal": "valeur trop grande",
    "less_than": "valeur trop grande",
    "json_invalid": "JSON invalide",
    "json_type": "JSON attendu",
}
_LIMITS = {"ge": "minimum", "gt": "strictement supérieur à", "le": "maximum", "lt": "inférieur à"}
_LOCATIONS = {"body": "corps", "payload": "", "query": "paramètre", "path": "chemin"}


def french_message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind in {"literal_error", "enum"}:
        return f"valeur non reconnue « {error.get('input')} » (valeurs possibles : {ctx.get('expected', '')})"
    if kind in {"value_error", "assertion_error"}:
        return str(ctx.get("error", "valeur invalide"))
    base = _MESSAGES.get(kind, "valeur invalide")
    for key, label in _LIMITS.items():
        if key in ctx:
            return f"{base} ({label} {ctx[key]})"
    for key in ("min_length", "max_length"):
        if key in ctx:
            return f"{base} ({'au moins' if key == 'min_length' else 'au plus'} {ctx[key]})"
    return base


def location(loc: list[Any] | tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
            continue
        text = _LOCATIONS.get(str(item), str(item))
        if text:
            parts.append(("." if parts else "") + text)
    return "".join(parts).replace("corps.", "") or "(racine)"


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

    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        assert isinstance(exc, ValidationError)
        details = [ErrorDetail(location(e.get("loc", ())), french_message(e)) for e in exc.errors]
        return _response(api, request, 422, OpenAMOError("Entrée invalide.", details=details))

    def on_domain(request: HttpRequest, exc: Any) -> HttpResponse:
        assert isinstance(exc, OpenAMOError)
        return _response(api, request, 400, exc)

    def on_http(request: HttpRequest, exc: Any) -> HttpResponse:
        assert isinstance(exc, HttpError)
        code, message = _HTTP_MESSAGES.get(exc.status_code, ("http_error", "Requête refusée."))
        if exc.status_code == 403 and "CSRF" in exc.message:
            code, message = "csrf", "Jeton CSRF absent ou invalide (en-tête X-CSRFToken)."
        return _response(api, request, exc.status_code, OpenAMOError(message, code=code))

    def on_not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        text = str(exc)
        message = text if text.endswith("introuvable.") else "Ressource introuvable."
        return _response(api, request, 404, OpenAMOError(message, code="not_found"))

    def on_refused(request: HttpRequest, exc: Any) -> HttpResponse:
        message = exc.message if isinstance(exc, PermissionRefused) else "Action non autorisée."
        return _response(api, request, 403, OpenAMOError(message, code="forbidden"))

    def on_unexpected(request: HttpRequest, exc: Any) -> HttpResponse:
        logger.exception("Erreur interne de l'API", exc_info=exc)
        error = OpenAMOError("Erreur interne inattendue.", code="internal_error")
        return _response(api, request, 500, error)

    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(OpenAMOError, on_domain)
    api.add_exception_handler(AuthenticationError, on_http)
    api.add_exception_handler(HttpError, on_http)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_refused)
    api.add_exception_handler(Exception, on_unexpected)
