"""What every page needs: the site identity (no database query) and the user's organisations."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from openamo.web.organisations.access import memberships

SITE_CONFIG = {
    "site_title": "OpenAMO",
    "site_tagline": "Assistance à maîtrise d'ouvrage numérique pour les acheteurs publics",
    "footer_description": (
        "OpenAMO aide les acheteurs publics et leurs assistants à maîtrise d'ouvrage à préparer "
        "leurs achats : besoin, allotissement, choix de la procédure, traçabilité des décisions."
    ),
}

SKIPLINKS = [
    {"link": "#content", "label": "Contenu"},
    {"link": "#fr-navigation", "label": "Menu"},
    {"link": "#footer", "label": "Pied de page"},
]


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "SITE_CONFIG": SITE_CONFIG,
        "skiplinks": SKIPLINKS,
        "user_memberships": SimpleLazyObject(lambda: memberships(request.user)),
    }
