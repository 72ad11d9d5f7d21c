"""Nothing of one organisation is visible to another unless shared: every object URL and
every API endpoint answers 404 to an outsider, exactly as for an object that does not exist."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openamo.web.operations import services
from openamo.web.operations.access import operation_access
from openamo.web.operations.models import Lot, Operation, Share
from openamo.web.operations.requests import Circumstances
from tests.integration.web.conftest import Cast, client_for, fresh, text

PAGES = [
    "detail",
    "edit",
    "delete",
    "need",
    "lot_create",
    "wizard",
    "consultation",
    "validate",
    "sharing",
    "history",
]
LOT_PAGES = ["lot_edit", "lot_delete"]


def object_urls(operation: Operation, lot: Lot) -> list[str]:
    urls = [reverse(f"operations:{name}", args=[operation.pk]) for name in PAGES]
    urls += [reverse(f"operations:{name}", args=[operation.pk, lot.pk]) for name in LOT_PAGES]
    return urls


def api_calls(operation: Operation, lot: Lot) -> list[tuple[str, str, dict[str, Any] | None]]:
    base = f"/api/operations/{operation.pk}"
    return [
        ("get", base, None),
        ("patch", base, {"title": "Piraté"}),
        ("delete", base, None),
        ("get", f"{base}/besoin", None),
        ("put", f"{base}/besoin", {"nature": "services", "estimated_amount_ht": "1.00"}),
        ("get", f"{base}/lots", None),
        ("post", f"{base}/lots", {"name": "X", "estimated_amount_ht": "1.00"}),
        ("patch", f"{base}/lots/{lot.pk}", {"name": "Y"}),
        ("delete", f"{base}/lots/{lot.pk}", None),
        ("get", f"{base}/consultation", None),
        ("post", f"{base}/consultation/analyse", {"date": "2026-09-01"}),
        ("post", f"{base}/consultation/validation", None),
        ("get", f"{base}/historique", None),
    ]


@pytest.fixture
def analysed(cast: Cast, operation: Operation) -> Operation:
    mo = fresh(cast.mo)
    services.analyse_procedure(
        operation_access(mo, operation.pk), mo, Circumstances(datetime.date(2026, 9, 1))
    )
    return operation


@pytest.mark.parametrize("outsider", ["outsider_mo", "other_consultant"])
def test_every_page_of_an_operation_is_a_404_for_another_organisation(
    cast: Cast, analysed: Operation, lot: Lot, outsider: str
) -> None:
    client = client_for(getattr(cast, outsider))
    for url in object_urls(analysed, lot):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"title": "x", "revoke": "1"}).status_code == 404, url


@pytest.mark.parametrize("outsider", ["outsider_mo", "other_consultant"])
def test_every_api_endpoint_of_an_operation_is_a_404_for_another_organisation(
    cast: Cast, analysed: Operation, lot: Lot, outsider: str
) -> None:
    client = client_for(getattr(cast, outsider))
    for method, url, body in api_calls(analysed, lot):
        kwargs: dict[str, Any] = {"content_type": "application/json"}
        if body is not None:
            kwargs["data"] = json.dumps(body)
        response = getattr(client, method)(url, **kwargs)
        assert response.status_code == 404, (method, url)
        assert response.json()["error"]["code"] == "not_found"
    # Nothing was changed by the attempts.
    analysed.refresh_from_db()
    assert analysed.title == "Renouvellement de la restauration scolaire 2027"
    assert analysed.deleted_at is None
    assert Lot.objects.alive().filter(operation=analysed).count() == 3


def test_an_outsider_does_not_find_the_operation_in_lists_or_dashboard(
    cast: Cast, operation: Operation
) -> None:
    client = client_for(cast.outsider_mo)
    assert operation.title not in text(client.get(reverse("operations:list")))
    assert operation.title not in text(client.get(reverse("operations:dashboard")))
    assert client.get("/api/operations").json()["count"] == 0


def test_an_amo_firm_sees_an_operation_only_while_it_is_shared(cast: Cast) -> None:
    from tests.integration.web.conftest import make_operation

    operation = make_operation(cast, shared=False)
    url = reverse("operations:detail", args=[operation.pk])
    assert client_for(cast.consultant).get(url).status_code == 404

    mo = fresh(cast.mo)
    access = operation_access(mo, operation.pk)
    share = services.share_operation(access, mo, cast.amo_firm)
    assert client_for(cast.consultant).get(url).status_code == 200
    assert client_for(cast.other_consultant).get(url).status_code == 404

    services.revoke_share(access, mo, Share.objects.get(pk=share.pk))
    assert client_for(cast.consultant).get(url).status_code == 404


def test_a_soft_deleted_operation_is_a_404_for_everyone(cast: Cast, operation: Operation) -> None:
    mo = fresh(cast.mo)
    services.delete_operation(operation_access(mo, operation.pk), mo)
    for user in (cast.mo, cast.consultant):
        assert (
            client_for(user).get(reverse("operations:detail", args=[operation.pk])).status_code
            == 404
        )
    assert Operation.objects.filter(pk=operation.pk).exists()


def test_a_lot_of_another_operation_is_a_404_even_for_a_member(
    cast: Cast, operation: Operation
) -> None:
    from tests.integration.web.conftest import make_operation

    other = make_operation(cast)
    foreign_lot = Lot.objects.filter(operation=other).first()
    assert foreign_lot is not None
    url = reverse("operations:lot_edit", args=[operation.pk, foreign_lot.pk])
    assert client_for(cast.mo).get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page_and_the_api_answers_401(
    client: Client, operation: Operation
) -> None:
    response = client.get(reverse("operations:detail", args=[operation.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("organisations:login"))
    api = client.get(f"/api/operations/{operation.pk}")
    assert api.status_code == 401
    assert api.json()["error"]["message"] == "Authentification requise : connectez-vous."
