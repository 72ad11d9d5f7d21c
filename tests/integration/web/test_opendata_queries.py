"""The « Données essentielles » pages run a fixed number of SQL queries, whatever the number of
contracts, imported records or imports of the buyer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openamo.web.opendata.models import DecpImport, ImportedRecord, ImportStatus
from openamo.web.operations.models import Operation
from tests.integration.web.conftest import Cast, client_for
from tests.integration.web.opendata_factories import BUYER_SIRET, buyer_contract, complete

RECORD: dict[str, Any] = json.loads(
    (
        Path(__file__).resolve().parents[2]
        / "fixtures"
        / "decp"
        / "v1_2019"
        / "e-marchespublics.json"
    ).read_bytes()
)["marches"][0]


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
    return len(captured)


def add(cast: Cast, operation: Operation, count: int, start: int) -> None:
    for _ in range(count):
        complete(cast, buyer_contract(cast, operation))
    item = DecpImport.objects.create(
        organisation=cast.commune,
        created_by=cast.mo,
        filename=f"historique-{start}.json",
        size=1,
        status=ImportStatus.TERMINE,
    )
    ImportedRecord.objects.bulk_create(
        ImportedRecord(
            organisation=cast.commune,
            source=item,
            buyer_siret=BUYER_SIRET,
            contract_id=f"2019-{n}",
            form="1.5",
            kind="marche",
            location=f"marches[{n}]",
            modifications=0,
            data={**RECORD, "id": f"2019-{n}", "acheteur": {"id": BUYER_SIRET}},
        )
        for n in range(start, start + 5 * count)
    )


def test_the_pages_do_not_grow_with_the_portfolio(cast: Cast, operation: Operation) -> None:
    client = client_for(cast.mo)
    org = cast.commune.pk
    add(cast, operation, 1, 0)
    item = DecpImport.objects.get()
    pages = [
        reverse("opendata:index"),
        reverse("opendata:portfolio", args=[org]),
        reverse("opendata:audit", args=[org]),
        reverse("opendata:import", args=[org]),
        reverse("opendata:import_detail", args=[org, item.pk]),
    ]
    for url in pages:
        client.get(url)  # warm the caches of the first request
    few = {url: queries(client, url) for url in pages}
    add(cast, operation, 4, 100)
    many = {url: queries(client, url) for url in pages}
    assert many == few
    assert max(few.values()) <= 30, few
