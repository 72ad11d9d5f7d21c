"""The page cache: served again while nothing changed, shared only by users with the same
memberships (each with their own name and CSRF token), never stale after a recorded change,
never hiding a flash message."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openamo.web.operations import services
from openamo.web.operations.access import operation_access
from openamo.web.operations.models import Operation, Share
from openamo.web.operations.requests import OperationChanges
from openamo.web.organisations.models import Role
from tests.integration.web.conftest import Cast, client_for, fresh, make_user, text

LOCAL_MEMORY = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def page_cache() -> Iterator[None]:
    with override_settings(CACHES=LOCAL_MEMORY):
        cache.clear()
        yield
        cache.clear()


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def browse(client: Client, url: str) -> tuple[str, int]:
    """The page's text, its CSRF token masked anew for each response set aside, and the number of
    SQL queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return TOKEN.sub("", text(response)), len(queries)


def test_a_page_seen_again_is_served_from_the_cache(cast: Cast, operation: Operation) -> None:
    client = client_for(cast.mo)
    url = reverse("operations:list")
    first, first_queries = browse(client, url)
    again, again_queries = browse(client, url)
    assert again == first
    assert again_queries < first_queries


def test_a_recorded_change_is_shown_at_once(cast: Cast, operation: Operation) -> None:
    client = client_for(cast.consultant)
    url = reverse("operations:list")
    client.get(url)
    assert "Renouvellement de la restauration scolaire 2027" in browse(client, url)[0]
    mo = fresh(cast.mo)
    services.update_operation(
        operation_access(mo, operation.pk), mo, OperationChanges(title="Cantine 2028")
    )
    page = browse(client, url)[0]
    assert "Cantine 2028" in page
    assert "Renouvellement de la restauration scolaire 2027" not in page


def test_a_revoked_share_hides_the_operation_from_the_cached_list(
    cast: Cast, operation: Operation
) -> None:
    client = client_for(cast.consultant)
    url = reverse("operations:dashboard")
    client.get(url)
    assert operation.title in browse(client, url)[0]
    mo = fresh(cast.mo)
    share = Share.objects.get(operation=operation, revoked_at__isnull=True)
    services.revoke_share(operation_access(mo, operation.pk), mo, share)
    assert operation.title not in browse(client, url)[0]


def test_two_users_never_share_a_cached_page(cast: Cast, operation: Operation) -> None:
    url = reverse("operations:dashboard")
    marie, paul = client_for(cast.mo), client_for(cast.internal_amo)
    for client in (marie, paul):
        client.get(url)
    assert "Marie" in browse(marie, url)[0]
    page = browse(paul, url)[0]
    assert "Paul" in page and "Marie" not in page


def test_a_flash_message_is_shown_even_on_a_page_already_cached(
    cast: Cast, operation: Operation
) -> None:
    client = client_for(cast.mo)
    url = reverse("operations:list")
    client.get(url)
    browse(client, url)
    response = client.post(reverse("operations:delete", args=[operation.pk]), follow=True)
    assert response.redirect_chain[-1][0] == url
    page = text(response)
    assert "Opération « Renouvellement de la restauration scolaire 2027 » supprimée." in page
    assert "Aucune opération" in page or operation.title not in page.split("supprimée.")[1]


def test_colleagues_with_the_same_rights_share_a_rendering_with_their_own_name_and_token(
    cast: Cast, operation: Operation
) -> None:
    url = reverse("operations:dashboard")
    browse(client_for(cast.mo), url)
    colleague = make_user("sophie", cast.commune, Role.MAITRE_OUVRAGE)
    client = Client(enforce_csrf_checks=True)
    client.force_login(colleague)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    page = text(response)
    assert "Sophie" in page and "Marie" not in page
    assert operation.title in page
    assert len(queries) < 8, "the colleague's first visit is served from the shared rendering"
    token = TOKEN.search(page)
    assert token is not None
    logout = client.post(reverse("organisations:logout"), {"csrfmiddlewaretoken": token[1]})
    assert logout.status_code == 302, "the token filled in is valid for this browser"


def test_a_different_role_in_the_same_organisation_gets_its_own_rendering(
    cast: Cast, operation: Operation
) -> None:
    url = reverse("operations:dashboard")
    mo_page = browse(client_for(cast.mo), url)[0]
    reader_page = browse(client_for(cast.reader), url)[0]
    assert "votre rôle : maître d'ouvrage" in mo_page
    assert "votre rôle : maître d'ouvrage" not in reader_page
    assert "votre rôle : lecteur" in reader_page
