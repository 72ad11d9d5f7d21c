"""The purchase list and the EGAlim dashboard run a fixed number of SQL queries, whatever the
number of purchases."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openamo.web.catering.models import Purchase, PurchaseLabel
from openamo.web.operations.models import Operation
from tests.integration.web.conftest import Cast, client_for

LABELS = [[], ["bio"], ["label_rouge", "igp"], ["hve"], ["bio", "fermier"]]
FAMILIES = ["viandes_volailles", "fruits_et_legumes", "produits_laitiers", "autres"]


def add_purchases(cast: Cast, count: int, contract: Any = None) -> None:
    rows = Purchase.objects.bulk_create(
        Purchase(
            organisation=cast.commune,
            contract=contract,
            date=datetime.date(2025, 1 + i % 12, 1 + i % 28),
            family=FAMILIES[i % len(FAMILIES)],
            description=f"Produit {i}",
            amount_ht=Decimal("100.00") + i,
        )
        for i in range(count)
    )
    PurchaseLabel.objects.bulk_create(
        PurchaseLabel(purchase=row, code=code)
        for i, row in enumerate(rows)
        for code in LABELS[i % len(LABELS)]
    )


def queries(client: Client, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("purchases", ""),
        ("purchases", "?annee=2025&label=bio"),
        ("dashboard", "?annee=2025"),
        ("export", ""),
    ],
)
def test_queries_do_not_grow_with_the_number_of_purchases(
    cast: Cast, name: str, query: str
) -> None:
    from openamo.web.contracts.models import Contract

    contract = Contract.objects.create(
        organisation=cast.commune,
        title="Denrées",
        nature="fournitures",
        procedure="mapa",
        holder_name="Restauration du Val",
        initial_amount_ht=Decimal("100000"),
        notified_on=datetime.date(2025, 1, 1),
    )
    client = client_for(cast.mo)
    address = reverse(f"catering:{name}", args=[cast.commune.pk]) + query
    add_purchases(cast, 5, contract)
    few = queries(client, address)
    add_purchases(cast, 120, contract)
    many = queries(client, address)
    assert many == few
    assert many <= 12


def test_the_shared_firm_s_dashboard_does_not_grow_either(cast: Cast, operation: Operation) -> None:
    client = client_for(cast.consultant)
    address = reverse("catering:purchases", args=[cast.commune.pk])
    add_purchases(cast, 5)
    few = queries(client, address)
    add_purchases(cast, 80)
    assert queries(client, address) == few
