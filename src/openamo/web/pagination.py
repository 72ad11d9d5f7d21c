"""The one pagination of the web app: ``{% load pagination %}{% pagination page_obj %}``.

Links keep the page's filters (the query string minus ``page``) and a missing link is marked
``aria-disabled`` rather than drawn as a grey link, as the DSFR asks. Registered as the template
library ``pagination`` in the settings, so every app's templates load the same tag.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.core.paginator import Page
from django.http import QueryDict

register = template.Library()


@dataclass(frozen=True)
class PageLink:
    text: str
    url: str  # empty for the ellipsis
    current: bool


@dataclass(frozen=True)
class Pagination:
    first: str
    previous: str
    next: str
    last: str
    items: tuple[PageLink, ...]


def links(page: Page[int], query: QueryDict) -> Pagination:
    params = query.copy()
    params.pop("page", None)

    def link(number: int) -> str:
        params["page"] = str(number)
        return "?" + params.urlencode()

    last = page.paginator.num_pages
    items = tuple(
        PageLink(
            text=str(item),
            url=link(item) if isinstance(item, int) else "",
            current=item == page.number,
        )
        for item in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    )
    return Pagination(
        first=link(1) if page.number > 1 else "",
        previous=link(page.number - 1) if page.has_previous() else "",
        next=link(page.number + 1) if page.has_next() else "",
        last=link(last) if page.number < last else "",
        items=items,
    )


@register.inclusion_tag("partials/_pagination.html", takes_context=True)
def pagination(context: template.Context, page: Page[int] | None) -> dict[str, object]:
    """Nothing when everything fits on one page."""
    if page is None or page.paginator.num_pages <= 1:
        return {"pages": None}
    return {"pages": links(page, context["request"].GET)}
