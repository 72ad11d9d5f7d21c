"""Nobody sees a buyer's essential data, publications, imports or audit but its own members:
every URL of the app answers 404 to anyone else (GET and POST), and an object of another buyer
is a 404 even under the visitor's own organisation."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, reverse

from openamo.web.opendata.access import buyer_access
from openamo.web.opendata.imports import create_import
from openamo.web.opendata.models import DecpImport, Publication
from openamo.web.opendata.services import contracts_of, publication, publish
from openamo.web.opendata.urls import urlpatterns
from tests.integration.web.conftest import Cast, client_for, fresh, make_operation, text
from tests.integration.web.opendata_factories import ESSENTIAL, buyer_contract, complete

NOT_OF_A_BUYER = {"index"}
POST_ONLY = {"publish", "publication"}
"""A GET there is a 405 for everyone, whatever the organisation (nothing is revealed)."""


@pytest.fixture
def objects(cast: Cast) -> dict[str, Any]:
    """The buyer's objects, on an operation shared with no firm (the shared case is below)."""
    import datetime

    contract = buyer_contract(cast, make_operation(cast, shared=False))
    complete(cast, contract)
    mo = fresh(cast.mo)
    access = buyer_access(mo, cast.commune.pk)
    result, _ = publication(access, contracts_of(access), datetime.date(2025, 9, 1))
    found = create_import(
        access, mo, "historique.json", SimpleUploadedFile("h.json", b'{"marches": {"marche": []}}')
    )
    return {
        "import": found,
        "essential": contract,
        "publication": publish(access, mo, result, datetime.date(2025, 9, 1)),
    }


def opendata_urls(
    cast: Cast, objects: dict[str, Any], org: int | None = None
) -> list[tuple[str, str]]:
    """Every URL of the app bound to Saint-Exemple (the test fails if a new one is forgotten)."""
    urls = []
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        name = str(pattern.name)
        if name in NOT_OF_A_BUYER:
            continue
        args = [org or cast.commune.pk]
        if "<int:pk>" in str(pattern.pattern):
            args.append(
                objects[
                    {
                        "essential": "essential",
                        "publication": "publication",
                        "import_detail": "import",
                    }[name]
                ].pk
            )
        urls.append((name, reverse(f"opendata:{name}", args=args)))
    return urls


@pytest.mark.parametrize("outsider", ["outsider_mo", "consultant", "other_consultant"])
def test_every_url_is_a_404_for_another_organisation(
    cast: Cast, objects: dict[str, Any], outsider: str
) -> None:
    client = client_for(getattr(cast, outsider))
    urls = opendata_urls(cast, objects)
    assert len(urls) == len(urlpatterns) - len(NOT_OF_A_BUYER)
    for name, address in urls:
        assert client.get(address).status_code == (405 if name in POST_ONLY else 404), name
        assert client.post(address, ESSENTIAL).status_code == 404, name
    assert Publication.objects.count() == 1
    assert DecpImport.objects.count() == 1


def test_another_buyers_objects_are_a_404_under_ones_own_organisation(
    cast: Cast, objects: dict[str, Any]
) -> None:
    client = client_for(cast.outsider_mo)
    for name, address in opendata_urls(cast, objects, org=cast.outsider.pk):
        if name in {"essential", "publication", "import_detail"}:
            assert client.get(address).status_code in {404, 405}, name
            assert client.post(address, ESSENTIAL).status_code == 404, name
        else:
            assert client.get(address).status_code in {200, 405}, name
    assert Publication.objects.count() == 1
    assert DecpImport.objects.count() == 1


def test_a_reader_may_not_write(cast: Cast, objects: dict[str, Any]) -> None:
    client = client_for(cast.reader)
    essential = reverse("opendata:essential", args=[cast.commune.pk, objects["essential"].pk])
    assert client.get(essential).status_code == 200
    assert client.post(essential, {**ESSENTIAL, "cpv": "03000000"}).status_code == 403
    assert client.post(reverse("opendata:publish", args=[cast.commune.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(cast: Cast) -> None:
    from django.test import Client

    response = Client().get(reverse("opendata:portfolio", args=[cast.commune.pk]))
    assert response.status_code == 302


def test_an_amo_firm_prepares_the_shared_operations_contracts_only(cast: Cast) -> None:
    """As everywhere in OpenAMO: what the buyer shared, the firm prepares; it never publishes,
    and never sees the buyer's other contracts, imports or publications."""
    from openamo.web.opendata.models import EssentialData

    shared_operation = make_operation(cast, shared=True)
    shared = buyer_contract(cast, shared_operation)
    private = buyer_contract(cast, make_operation(cast, shared=False))
    org = cast.commune.pk
    consultant = client_for(cast.consultant)
    page = consultant.get(reverse("opendata:portfolio", args=[org]))
    assert page.status_code == 200
    body = page.content.decode()
    assert f"marche-{shared.pk}" in body and f"marche-{private.pk}" not in body
    assert reverse("opendata:import", args=[org]) not in body
    assert consultant.get(reverse("opendata:essential", args=[org, private.pk])).status_code == 404
    form = reverse("opendata:essential", args=[org, shared.pk])
    assert consultant.get(form).status_code == 200
    assert consultant.get(reverse("opendata:audit", args=[org])).status_code == 200
    for url in (reverse("opendata:import", args=[org]),):
        assert consultant.get(url).status_code == 404
    refused = consultant.post(reverse("opendata:publish", args=[org]))
    assert refused.status_code == 403 and "publication revient à l'acheteur" in text(refused)
    reader = client_for(cast.firm_reader)
    assert reader.get(form).status_code == 200
    assert reader.post(form, {**ESSENTIAL, "version": "x"}).status_code == 403
    assert not EssentialData.objects.filter(contract=shared).exists()
    # Another firm, with nothing shared, sees nothing.
    other = client_for(cast.other_consultant)
    assert other.get(reverse("opendata:portfolio", args=[org])).status_code == 404
