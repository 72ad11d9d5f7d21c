"""Every construction URL, GET and POST: 404 for another organisation (or an AMO firm without a
share), exactly as for an object that does not exist; 403 for a reader on every write, with
nothing changed; the maître d'ouvrage reaches them all."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from openamo.web.audit.models import AuditEvent
from tests.integration.web.conftest import Cast, client_for
from tests.integration.web.construction_data import Canteen, canteen

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2027, 3, 15, 10, tzinfo=datetime.UTC)
WRITES = ["start", "programme", "envelope", "organisation", "moe", "phase", "phase_decide",
          "final_account", "order_reserves", "order_answer", "statement_create",
          "statement_decide", "moe_contract", "retention_guarantee",
          "completion_notice", "possession"]  # fmt: skip
READS = ["dashboard", "works", "works_contract"]
DOWNLOADS = [
    "programme_document",
    "final_account_letter",
    "order_document",
    "reception_document",
    "moe_document",
]


def urls(site: Canteen) -> dict[str, str]:
    pk = site.operation.pk
    found = {
        name: reverse(f"construction:{name}", args=[pk])
        for name in (
            "dashboard",
            "start",
            "programme",
            "programme_document",
            "envelope",
            "organisation",
            "moe",
            "moe_contract",
            "moe_document",
        )
    }
    found["phase"] = reverse("construction:phase", args=[pk, "aps"])
    found["phase_decide"] = reverse("construction:phase_decide", args=[pk, "aps"])
    found["final_account"] = reverse("construction:final_account", args=[pk, site.contract.pk])
    found["works"] = reverse("construction:works", args=[pk])
    found["works_contract"] = reverse("construction:works_contract", args=[pk, site.contract.pk])
    order = [pk, site.contract.pk, site.order.pk]
    found["order_reserves"] = reverse("construction:order_reserves", args=order)
    found["order_answer"] = reverse("construction:order_answer", args=order)
    found["order_document"] = reverse("construction:order_document", args=order)
    found["reception_document"] = reverse(
        "construction:reception_document", args=[pk, site.contract.pk, site.reception.pk]
    )
    found["statement_create"] = reverse(
        "construction:statement_create", args=[pk, site.contract.pk]
    )
    found["statement_decide"] = reverse(
        "construction:statement_decide", args=[pk, site.contract.pk, site.statement.pk]
    )
    found["retention_guarantee"] = reverse(
        "construction:retention_guarantee", args=[pk, site.contract.pk]
    )
    found["completion_notice"] = reverse(
        "construction:completion_notice", args=[pk, site.contract.pk, site.reception.pk]
    )
    found["possession"] = reverse(
        "construction:possession", args=[pk, site.contract.pk, site.reception.pk]
    )
    found["final_account_letter"] = reverse(
        "construction:final_account_letter", args=[pk, site.contract.pk]
    )
    return found


def test_every_url_of_the_app_is_covered() -> None:
    from openamo.web.construction.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {
        *READS,
        *DOWNLOADS,
        *WRITES,
    }


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("who", ["outsider_mo", "other_consultant"])
def test_another_organisation_gets_a_404_on_every_url(cast: Cast, who: str) -> None:
    site = canteen(cast)
    client = client_for(getattr(cast, who))
    for name, url in urls(site).items():
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"works_ht": "1"}).status_code == 404, name


@time_machine.travel(TODAY, tick=False)
def test_a_contract_of_another_operation_is_a_404(cast: Cast) -> None:
    site = canteen(cast)
    other = canteen(cast)
    url = reverse("construction:final_account", args=[site.operation.pk, other.contract.pk])
    assert client_for(cast.mo).get(url).status_code == 404
    letter = reverse(
        "construction:final_account_letter", args=[site.operation.pk, other.contract.pk]
    )
    assert client_for(cast.mo).post(letter).status_code == 404
    page = reverse("construction:works_contract", args=[site.operation.pk, other.contract.pk])
    assert client_for(cast.mo).get(page).status_code == 404
    # An order of another contract, even of the same buyer, is not reachable through this one.
    mixed = reverse(
        "construction:order_reserves", args=[site.operation.pk, site.contract.pk, other.order.pk]
    )
    assert client_for(cast.mo).get(mixed).status_code == 404
    statement = reverse(
        "construction:statement_decide",
        args=[site.operation.pk, site.contract.pk, other.statement.pk],
    )
    assert client_for(cast.mo).get(statement).status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_a_reader_sees_the_dashboard_but_every_write_is_a_403(cast: Cast) -> None:
    site = canteen(cast)
    client = client_for(cast.reader)
    for name in READS:
        assert client.get(urls(site)[name]).status_code == 200, name
    before = AuditEvent.objects.count()
    for name in WRITES:
        response = client.post(urls(site)[name], {"works_ht": "1", "date": "2027-01-01"})
        assert response.status_code == 403, name
    assert AuditEvent.objects.count() == before
    # Reading includes the programme synthesis: the reader may download it.
    for name in DOWNLOADS:
        assert client.post(urls(site)[name]).status_code in {200, 302}, name


@time_machine.travel(TODAY, tick=False)
def test_the_amo_firm_prepares_but_cannot_decide(cast: Cast) -> None:
    site = canteen(cast)
    client = client_for(cast.consultant)
    assert client.get(urls(site)["phase"]).status_code == 200
    assert client.get(urls(site)["order_reserves"]).status_code == 200
    assert client.get(urls(site)["statement_create"]).status_code == 200
    for name in ("envelope", "organisation", "phase_decide", "order_answer", "statement_decide",
                 "moe_contract"):  # fmt: skip
        assert client.get(urls(site)[name]).status_code == 403, name


@time_machine.travel(TODAY, tick=False)
def test_the_maitre_d_ouvrage_reaches_every_page(cast: Cast) -> None:
    site = canteen(cast)
    client = client_for(cast.mo)
    for name, url in urls(site).items():
        expected = 302 if name == "start" else 200  # already opened: back to the dashboard
        if name in DOWNLOADS:
            expected = 405  # a download is a POST
        assert client.get(url).status_code == expected, name


@time_machine.travel(TODAY, tick=False)
def test_an_operation_of_another_kind_does_not_offer_construction(cast: Cast) -> None:
    from tests.integration.web.conftest import make_operation

    operation = make_operation(cast)
    response = client_for(cast.mo).get(reverse("construction:dashboard", args=[operation.pk]))
    assert response.status_code == 403
    assert "ne propose pas le suivi des travaux" in response.content.decode()
