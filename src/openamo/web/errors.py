"""DSFR error pages (400, 403, 404, 500) with a French explanation."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader

from openamo.web.pages import page_context


def _message(exception: Exception | None, default: str) -> str:
    text = str(exception) if exception is not None else ""
    # Django's own English messages (e.g. from its resolver) are not shown to users.
    return text if text and any(ch in text for ch in "éèàçêô") else default


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    context = page_context(
        "Requête invalide", code=400, message="La requête envoyée n'a pas pu être comprise."
    )
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
    template = loader.get_template("errors/500.html")
    return HttpResponse(template.render({"title": "Erreur inattendue"}), status=500)
