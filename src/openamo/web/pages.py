"""What every page view passes to its template: title and breadcrumb (DSFR data, not markup)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.http import HttpRequest


def page_context(title: str, *crumbs: tuple[str, str], **extra: Any) -> dict[str, Any]:
    """``crumbs`` are (label, url) pairs from the home page down to the parent of this page."""
    return {
        "title": title,
        "breadcrumb_data": {
            "links": [{"title": label, "url": url} for label, url in crumbs],
            "current": title,
        },
        **extra,
    }


def holder_only(user: Any) -> bool:
    """A user who belongs only to contractor companies: a titulaire, who sees its contracts
    and what awaits its answer, never the buyers' tables of operations nor their menus."""
    from openamo.web.organisations.access import memberships
    from openamo.web.organisations.models import OrganisationKind

    found = memberships(user)
    return bool(found) and all(m.organisation.kind == OrganisationKind.ENTREPRISE for m in found)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``holder_only`` decides the menu (evaluated only when a template asks,
    from the memberships cached on the user)."""
    return {"holder_only": partial(holder_only, request.user)}
