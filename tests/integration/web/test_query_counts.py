"""The dashboard and the lists run a fixed number of SQL queries, whatever the volume."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openamo.web.operations.models import Consultation, Lot, Operation
from tests.integration.web.conftest import Cast, client_for

PAGES = ["operations:dashboard", "operations:list"]
LIMITS = {"operations:dashboard": 34, "operations:list": 9}
"""The dashboard: 27, plus two for the contracts whose essential data wait (web/opendata), one
for those whose award notice waits (web/contracts), three for the works contracts' unpaid
statements, final accounts and unanswered reserves on service orders, and one for the phases of
maîtrise d'œuvre to decide or approve again (web/construction)."""


def add_operations(cast: Cast, count: int) -> None:
    operations = Operation.objects.bulk_create(
        Operation(organisation=cast.commune, title=f"Opération {i}") for i in range(count)
    )
    Lot.objects.bulk_create(
        Lot(operation=op, number=n, name=f"Lot {n}", estimated_amount_ht=Decimal(1000))
        for op in operations
        for n in range(1, 6)
    )
    Consultation.objects.bulk_create(
        Consultation(operation=op, status="a_valider") for op in operations[::2]
    )


def queries(client: object, page: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(page))  # type: ignore[attr-defined]
        assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", PAGES)
def test_queries_per_page_do_not_grow_with_the_number_of_operations(cast: Cast, page: str) -> None:
    client = client_for(cast.mo)
    add_operations(cast, 3)
    client.get(reverse(page))  # a browser's first page: sets the CSRF cookie
    few = queries(client, page)
    add_operations(cast, 60)
    many = queries(client, page)
    assert many == few
    # The operations' own queries plus one or two per app asking for decisions (decisions.py),
    # decisions to validate again included (``web.revalidation``), and one or two per app
    # holding dated obligations (``web.obligations``). The README states these figures.
    assert many <= LIMITS[page]


def test_the_shared_firm_s_pages_do_not_grow_either(cast: Cast, operation: Operation) -> None:
    client = client_for(cast.consultant)
    client.get(reverse("operations:list"))
    few = queries(client, "operations:list")
    add_operations(cast, 40)
    assert queries(client, "operations:list") == few
