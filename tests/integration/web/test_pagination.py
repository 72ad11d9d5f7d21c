"""The one pagination tag: filters kept, missing links disabled, nothing on a single page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory

TEMPLATE = Template("{% load pagination %}{% pagination page %}")


def render(query: str, number: int, count: int = 120) -> str:
    request = RequestFactory().get("/achats/" + query)
    page = Paginator(list(range(count)), 10).get_page(number)
    return TEMPLATE.render(Context({"request": request, "page": page}))


def test_links_keep_the_filters_and_replace_the_page() -> None:
    html = render("?famille=viandes&page=1", 1)
    assert 'href="?famille=viandes&amp;page=2"' in html
    assert 'href="?famille=viandes&amp;page=12"' in html
    assert "page=1&amp;page" not in html


def test_first_page_disables_backward_links_and_marks_the_current_page() -> None:
    html = render("", 1)
    assert 'fr-pagination__link--first" aria-disabled="true"' in html
    assert 'fr-pagination__link--prev fr-pagination__link--lg-label" aria-disabled="true"' in html
    assert 'href="?page=1" title="Page 1" aria-current="page"' in html


def test_last_page_disables_forward_links_and_elides_the_middle() -> None:
    html = render("", 12)
    assert 'fr-pagination__link--last" aria-disabled="true"' in html
    assert "…" in html
    assert 'title="Page 6"' not in html


def test_a_single_page_draws_no_pagination() -> None:
    assert "fr-pagination" not in render("", 1, count=5)
