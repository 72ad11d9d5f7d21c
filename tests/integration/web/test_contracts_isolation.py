"""Who reaches the contract pages: every URL of the app is a 404 (GET and POST) for another
buyer, another AMO firm, an AMO firm whose share was revoked and the holder of another
contract; every write is a 403 for readers and for the holder; decisions are the buyer's
maître d'ouvrage's only; nothing is written by a refused request."""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse

from openamo.web.audit.models import AuditEvent
from openamo.web.contracts.models import Contract
from openamo.web.operations import services as operation_services
from openamo.web.operations.access import operation_access
from openamo.web.operations.models import Operation, Share
from tests.integration.web.conftest import Cast, client_for, fresh, text
from tests.integration.web.contracts_factories import (
    Company,
    Furnished,
    furnish,
    make_company,
    make_contract,
)

POST = {
    "decision": "reconduit",
    "note": "x",
    "title": "Objet modifié",
    "reference": "X",
    "amount_ht": "10",
    "issued_on": "2026-01-10",
    "lifted_on": "2026-01-10",
    "description": "x",
    "series": "IPAG",
    "period": "2026-07",
    "value": "140",
}


@pytest.fixture
def company(cast: Cast) -> Company:
    return make_company(cast)


@pytest.fixture
def furnished(cast: Cast, company: Company, operation: Operation) -> Furnished:
    contract = make_contract(cast, operation, holder=company.organisation)
    return furnish(cast, contract)


def read_urls(f: Furnished) -> list[str]:
    pk = f.contract.pk
    return [
        reverse("contracts:detail", args=[pk]),
        reverse("contracts:history", args=[pk]),
        reverse("contracts:prices", args=[pk]),
        reverse("contracts:revision_detail", args=[pk, f.revision.pk]),
        reverse("contracts:payments", args=[pk]),
        reverse("contracts:invoice_detail", args=[pk, f.late_invoice.pk]),
        reverse("contracts:quality", args=[pk]),
    ]


def write_urls(f: Furnished) -> list[str]:
    pk = f.contract.pk
    return [
        reverse("contracts:edit", args=[pk]),
        reverse("contracts:delete", args=[pk]),
        reverse("contracts:renewal_decide", args=[pk, f.renewal.pk]),
        reverse("contracts:subcontractor_create", args=[pk]),
        reverse("contracts:subcontractor_edit", args=[pk, f.subcontractor.pk]),
        reverse("contracts:subcontractor_delete", args=[pk, f.subcontractor.pk]),
        reverse("contracts:formula", args=[pk]),
        reverse("contracts:term_create", args=[pk]),
        reverse("contracts:term_delete", args=[pk, f.term.pk]),
        reverse("contracts:index_value", args=[pk]),
        reverse("contracts:index_import", args=[pk]),
        reverse("contracts:revision_create", args=[pk]),
        reverse("contracts:order_create", args=[pk]),
        reverse("contracts:order_edit", args=[pk, f.order.pk]),
        reverse("contracts:invoice_create", args=[pk]),
        reverse("contracts:invoice_edit", args=[pk, f.late_invoice.pk]),
        reverse("contracts:invoice_cancel", args=[pk, f.late_invoice.pk]),
        reverse("contracts:service_order_create", args=[pk]),
        reverse("contracts:service_order_issue", args=[pk, f.service_order.pk]),
        reverse("contracts:reception_create", args=[pk]),
        reverse("contracts:reserve_create", args=[pk, f.reception.pk]),
        reverse("contracts:reception_decide", args=[pk, f.reception.pk]),
        reverse("contracts:reserve_lift", args=[pk, f.reserve.pk]),
        reverse("contracts:penalty_create", args=[pk]),
        reverse("contracts:penalty_decide", args=[pk, f.penalty.pk]),
        reverse("contracts:evaluation_create", args=[pk]),
    ]


def create_url(f: Furnished) -> str:
    operation_id = f.contract.operation_id
    assert operation_id is not None
    return reverse("contracts:create_from_operation", args=[operation_id])


LISTS = ["contracts:list", "contracts:invoices_dashboard", "contracts:evaluations"]
DECISIONS = {
    "renewal_decide",
    "service_order_issue",
    "reception_decide",
    "reserve_lift",
    "penalty_decide",
    "delete",
}


def events() -> int:
    return AuditEvent.objects.count()


def test_every_url_name_of_the_app_is_covered(furnished: Furnished) -> None:
    from openamo.web.contracts.urls import urlpatterns

    urls = read_urls(furnished) + write_urls(furnished) + [create_url(furnished)]
    covered = {resolve(url).url_name for url in urls} | {name.split(":")[1] for name in LISTS}
    covered.add("create")
    assert covered == {pattern.name for pattern in urlpatterns}


@pytest.mark.parametrize("outsider", ["outsider_mo", "other_consultant"])
def test_every_contract_url_is_a_404_for_another_organisation(
    cast: Cast, furnished: Furnished, outsider: str
) -> None:
    client = client_for(getattr(cast, outsider))
    before = events()
    for url in [*read_urls(furnished), *write_urls(furnished), create_url(furnished)]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, POST).status_code == 404, url
    for name in LISTS:
        page = text(client.get(reverse(name)))
        assert furnished.contract.title not in page
        assert "F-2025-118" not in page
    assert events() == before


def test_the_holder_of_another_contract_gets_404_everywhere(
    cast: Cast, company: Company, furnished: Furnished, operation: Operation
) -> None:
    make_contract(
        cast,
        operation,
        holder=company.other,
        holder_siret=company.other.siret,
        reference="2026-TRAV-09",
    )
    client = client_for(company.other_signer)
    before = events()
    for url in read_urls(furnished) + write_urls(furnished):
        assert client.get(url).status_code == 404, url
        assert client.post(url, POST).status_code == 404, url
    assert "2026-REST-01" not in text(client.get(reverse("contracts:list")))
    assert "2026-TRAV-09" in text(client.get(reverse("contracts:list")))
    assert events() == before


def test_an_amo_firm_whose_share_was_revoked_gets_404(cast: Cast, furnished: Furnished) -> None:
    detail = reverse("contracts:detail", args=[furnished.contract.pk])
    assert client_for(cast.consultant).get(detail).status_code == 200
    mo = fresh(cast.mo)
    operation_id = furnished.contract.operation_id
    assert operation_id is not None
    share = Share.objects.get(operation_id=operation_id, revoked_at__isnull=True)
    operation_services.revoke_share(operation_access(mo, operation_id), mo, share)
    client = client_for(cast.consultant)
    before = events()
    for url in [*read_urls(furnished), *write_urls(furnished), create_url(furnished)]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, POST).status_code == 404, url
    assert furnished.contract.title not in text(client.get(reverse("contracts:list")))
    assert events() == before


@pytest.mark.parametrize("reader", ["reader", "firm_reader", "holder_signer", "holder_clerk"])
def test_readers_and_the_holder_read_and_every_write_is_a_403(
    cast: Cast, company: Company, furnished: Furnished, reader: str
) -> None:
    users = {"holder_signer": company.signer, "holder_clerk": company.clerk}
    client = client_for(users.get(reader) or getattr(cast, reader))
    for url in read_urls(furnished):
        assert client.get(url).status_code == 200, url
    before = events()
    for url in write_urls(furnished):
        assert client.get(url).status_code == 403, url
        response = client.post(url, POST)
        assert response.status_code == 403, url
    assert "Action non autorisée" in text(response)
    assert events() == before
    assert Contract.objects.get(pk=furnished.contract.pk).title != "Objet modifié"


@pytest.mark.parametrize("amo", ["consultant", "internal_amo"])
def test_the_amo_prepares_but_never_decides(cast: Cast, furnished: Furnished, amo: str) -> None:
    client = client_for(getattr(cast, amo))
    before = events()
    for url in write_urls(furnished):
        name = resolve(url).url_name
        expected = 403 if name in DECISIONS else 200
        assert client.get(url).status_code == expected, url
    for url in write_urls(furnished):
        if resolve(url).url_name in DECISIONS:
            response = client.post(url, POST)
            assert response.status_code == 403, url
    assert "maître d'ouvrage" in text(response)
    assert events() == before


def test_the_holder_sees_its_contract_but_not_the_buyer_s_evaluation(
    company: Company, furnished: Furnished
) -> None:
    client = client_for(company.clerk)
    quality = text(client.get(reverse("contracts:quality", args=[furnished.contract.pk])))
    assert "Yaourts livrés à 9 °C" in quality
    assert "Bonne qualité, retards ponctuels." not in quality
    history = text(client.get(reverse("contracts:history", args=[furnished.contract.pk])))
    assert "Évaluation — Premier trimestre" not in history
    assert "Premier trimestre" not in text(client.get(reverse("contracts:evaluations")))
    listing = text(client.get(reverse("contracts:list")))
    assert "2026-REST-01" in listing


def test_a_soft_deleted_contract_disappears_everywhere(cast: Cast, furnished: Furnished) -> None:
    from django.utils import timezone

    Contract.objects.filter(pk=furnished.contract.pk).update(deleted_at=timezone.now())
    client = client_for(cast.mo)
    for url in read_urls(furnished):
        assert client.get(url).status_code == 404, url
    assert "2026-REST-01" not in text(client.get(reverse("contracts:list")))


def test_a_row_of_another_contract_is_a_404_even_for_a_member(
    cast: Cast, furnished: Furnished, operation: Operation
) -> None:
    other = make_contract(cast, operation, reference="2026-REST-02")
    client = client_for(cast.mo)
    mine, theirs = f"/marches/{furnished.contract.pk}/", f"/marches/{other.pk}/"
    with_rows = [
        url for url in read_urls(furnished) + write_urls(furnished) if len(resolve(url).kwargs) > 1
    ]
    assert len(with_rows) >= 12
    for url in with_rows:
        assert client.get(url.replace(mine, theirs)).status_code == 404, url
