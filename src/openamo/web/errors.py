"""DSFR error pages (400, 403, 404, 500, 503) with a French explanation.

A database that is unreachable, restarting or holding a lock too long is not a bug: the user
gets a 503 page (JSON for the API) saying so, and the next request reconnects by itself
(``CONN_HEALTH_CHECKS``); the error is still logged with its request id.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader

from openamo.errors import ErrorDetail, OpenAMOError
from openamo.validation import french_errors
from openamo.web import request_id
from openamo.web.pages import page_context
from openamo.web.uploads import megabytes

DATABASE_OUTAGE = (
    "La base de données ne répond pas pour le moment (redémarrage, maintenance ou surcharge). "
    "Ce que vous venez d'envoyer n'a pas été enregistré : réessayez dans une minute."
)
INTERNAL_ERROR = (
    "Désolé, le service rencontre un problème. Ce que vous avez saisi n'a pas été enregistré si "
    "l'erreur est survenue pendant l'enregistrement ; réessayez dans un instant."
)
RETRY_AFTER_SECONDS = "30"

T = TypeVar("T")


class LocatedErrors:
    """The parts of one domain input built typed one by one (``errors.build("lots[0]", …)``),
    their refusals gathered and located as :func:`~openamo.validation.parse_input` would have
    located them on the whole JSON, then raised together (:meth:`raise_if_any`): a form shows
    every refused value at once, each next to its field."""

    def __init__(self) -> None:
        self.details: list[ErrorDetail] = []

    def build(self, within: str, make: Callable[[], T]) -> T | None:
        """``make()``, or ``None`` when the domain refused it (its errors kept)."""
        try:
            with french_errors(within):
                return make()
        except OpenAMOError as exc:
            self.details.extend(exc.details)
            return None

    def raise_if_any(self, message: str = "Entrée invalide.") -> None:
        if self.details:
            raise OpenAMOError(message, details=list(self.details))


def is_database_outage(exc: BaseException | None) -> bool:
    """Lost or refused connection, statement or lock timeout — not a programming error."""
    return isinstance(exc, OperationalError | InterfaceError)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _message(exception: Exception | None, default: str) -> str:
    text = str(exception) if exception is not None else ""
    # Django's own English messages (e.g. from its resolver) are not shown to users.
    return text if text and any(ch in text for ch in "éèàçêô") else default


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = "La requête envoyée n'a pas pu être comprise."
    if isinstance(exception, RequestDataTooBig):
        limit = megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        message = (
            f"Le formulaire envoyé dépasse {limit} de texte (hors fichiers joints) : il n'a pas "
            "été lu. Revenez à la page précédente, raccourcissez les textes les plus longs et "
            "envoyez-le à nouveau."
        )
    elif isinstance(exception, TooManyFilesSent):
        message = "Trop de fichiers envoyés en une fois : joignez-les en plusieurs envois."
    context = page_context("Requête invalide", code=400, message=message)
    return render(request, "errors/error.html", context, status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = _message(exception, "Vous n'avez pas les droits nécessaires pour cette action.")
    context = page_context("Action non autorisée", code=403, message=message)
    return render(request, "errors/error.html", context, status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    context = page_context(
        "Formulaire expiré",
        code=403,
        message=(
            "Le formulaire a expiré ou a été envoyé depuis une autre page (protection CSRF). "
            "Rechargez la page et recommencez."
        ),
    )
    return render(request, "errors/error.html", context, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    context = page_context(
        "Page non trouvée",
        code=404,
        message=(
            "La page que vous cherchez est introuvable ou vous n'y avez pas accès. "
            "Vérifiez l'adresse, ou revenez au tableau de bord."
        ),
    )
    return render(request, "errors/error.html", context, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No database or context processors here: the error may come from them.
    outage = is_database_outage(sys.exc_info()[1])
    status = 503 if outage else 500
    message = DATABASE_OUTAGE if outage else INTERNAL_ERROR
    reference = request_id.of(request)
    response: HttpResponse
    if _is_api(request):
        code = "database_unavailable" if outage else "internal_error"
        error = {"code": code, "message": message, "request_id": reference}
        response = JsonResponse(
            {"error": error}, status=status, json_dumps_params={"ensure_ascii": False}
        )
    else:
        context = {
            "title": "Service momentanément indisponible" if outage else "Erreur inattendue",
            "code": status,
            "message": message,
            "request_id": reference,
        }
        response = HttpResponse(
            loader.get_template("errors/500.html").render(context), status=status
        )
    if outage:
        response["Retry-After"] = RETRY_AFTER_SECONDS
    return response
