"""What every page view passes to its template: title and breadcrumb (DSFR data, not markup)."""

from __future__ import annotations

from functools import partial
from typing import TypedDict

from django import template
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import reverse

from openamo.web.users import AuthenticatedUser

register = template.Library()


class BreadcrumbLink(TypedDict):
    title: str
    url: str


class Breadcrumb(TypedDict):
    """The DSFR breadcrumb's data (``dsfr_breadcrumb``): the trail, then the current page."""

    links: list[BreadcrumbLink]
    current: str


def page_context(title: str, *crumbs: tuple[str, str], **extra: object) -> dict[str, object]:
    """``crumbs`` are (label, url) pairs from the home page down to the parent of this page."""
    trail = Breadcrumb(
        links=[BreadcrumbLink(title=label, url=url) for label, url in crumbs], current=title
    )
    return {"title": title, "breadcrumb_data": trail, **extra}


def holder_only(user: AuthenticatedUser | AnonymousUser) -> bool:
    """A user who belongs only to contractor companies: a titulaire, who sees its contracts
    and what awaits its answer, never the buyers' tables of operations nor their menus."""
    from openamo.web.organisations.access import memberships
    from openamo.web.organisations.models import OrganisationKind

    found = memberships(user)
    return bool(found) and all(m.organisation.kind == OrganisationKind.ENTREPRISE for m in found)


def contracts_label(user: AuthenticatedUser) -> str:
    """The menu's name for the contracts list: a titulaire sees « Vos marchés »."""
    return "Vos marchés" if holder_only(user) else "Marchés"


@register.simple_tag(takes_context=True)
def breadcrumb_for_user(context: template.Context, data: Breadcrumb) -> Breadcrumb:
    """The breadcrumb with the contracts list named as in the user's menu (views build their
    trail without knowing who reads it)."""
    if not holder_only(context["request"].user):
        return data
    url = reverse("contracts:list")
    links = [
        BreadcrumbLink(title="Vos marchés", url=url) if link["url"] == url else link
        for link in data["links"]
    ]
    return Breadcrumb(links=links, current=data["current"])


# The main menu's entry of each app: an avenant belongs to « Marchés », a works contract of an
# operation to « Opérations », whatever words its URL contains.
MENU_ENTRIES = {
    "operations": "operations",
    "award": "operations",
    "steering": "operations",
    "construction": "operations",
    "contracts": "contracts",
    "amendments": "contracts",
    "catering": "catering",
    "opendata": "opendata",
}


def menu_current(request: HttpRequest) -> dict[str, str]:
    """The ``aria-current`` of the main menu: ``page`` on the entry's own page, ``true`` on the
    pages below it (the DSFR marks the section as well as the page), one entry at most."""
    match = request.resolver_match
    if match is None:
        return {}
    if match.view_name == "operations:dashboard":
        return {"dashboard": "page"}
    entry = MENU_ENTRIES.get(match.namespace)
    if entry is None:
        return {}
    own_pages = {"operations:list", "contracts:list", "catering:index", "opendata:index"}
    return {entry: "page" if match.view_name in own_pages else "true"}


def navigation(request: HttpRequest) -> dict[str, object]:
    """Context processor: ``holder_only`` decides the menu (evaluated only when a template asks,
    from the memberships cached on the user); ``menu_current`` marks its current entry."""
    return {
        "holder_only": partial(holder_only, request.user),
        "menu_current": partial(menu_current, request),
    }
