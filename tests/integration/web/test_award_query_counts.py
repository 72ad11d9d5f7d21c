"""The passation list pages run a fixed number of SQL queries, whatever the number of offers,
candidacies or lots."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openamo.web.award.models import Candidacy, Offer
from openamo.web.operations.models import Lot, Operation
from tests.integration.web._award import award_operation
from tests.integration.web.conftest import Cast, client_for


def queries(client: object, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)  # type: ignore[attr-defined]
        assert response.status_code == 200
    return len(captured)


def add_rows(operation: Operation, lot: Lot, count: int, start: int) -> None:
    marks = {"Performance environnementale": {"mark": "15", "justification": "Justifiée ici."}}
    Offer.objects.bulk_create(
        Offer(
            operation=operation,
            lot=lot,
            bidder=f"Soumissionnaire {n}",
            price_ht=Decimal(50000 + n),
            marks=marks,
        )
        for n in range(start, start + count)
    )
    Candidacy.objects.bulk_create(
        Candidacy(
            operation=operation,
            bidder=f"Soumissionnaire {n}",
            # As the domain answers (``CandidacyResult``), which the list shows.
            result={
                "bidder": f"Soumissionnaire {n}",
                "verdict": "recevable",
                "missing": [],
                "reasons": [],
                "references": [],
            },
        )
        for n in range(start, start + count)
    )


@pytest.mark.parametrize("page", ["offers", "candidacies", "index"])
def test_passation_lists_do_not_grow_with_the_number_of_offers(cast: Cast, page: str) -> None:
    operation = award_operation(cast)
    lot = Lot.objects.filter(operation=operation).first()
    assert lot is not None
    args = [operation.pk, lot.pk] if page == "offers" else [operation.pk]
    url = reverse(f"award:{page}", args=args)
    client = client_for(cast.consultant)
    client.get(url)
    add_rows(operation, lot, 3, 0)
    few = queries(client, url)
    add_rows(operation, lot, 40, 3)
    assert queries(client, url) == few
    assert few <= 16
