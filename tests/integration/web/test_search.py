"""The lists find what French users type, whatever the case and (on PostgreSQL) the accents."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.urls import reverse

from openamo.web.operations import services
from openamo.web.operations.models import Operation
from openamo.web.operations.requests import OperationEntry
from tests.integration.web.conftest import Cast, client_for, fresh, text
from tests.integration.web.contracts_factories import make_contract

ACCENTS_FOLDED = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="seul PostgreSQL ignore les accents (unaccent)"
)


def titles_found(cast: Cast, url: str, search: str) -> str:
    return text(client_for(cast.mo).get(reverse(url), {"q": search}))


def test_case_does_not_matter(cast: Cast, operation: Operation) -> None:
    assert operation.title in titles_found(cast, "operations:list", "RESTAURATION scolaire")


@ACCENTS_FOLDED
def test_accents_do_not_matter_in_either_direction(cast: Cast, operation: Operation) -> None:
    mo = fresh(cast.mo)
    energy = services.create_operation(mo, cast.commune, OperationEntry("Fourniture d'électricité"))
    assert energy.title in titles_found(cast, "operations:list", "electricite")
    assert operation.title not in titles_found(cast, "operations:list", "electricite")
    assert operation.title in titles_found(cast, "operations:list", "Rénouvellement")


@ACCENTS_FOLDED
def test_contracts_are_found_by_holder_without_accents(cast: Cast, operation: Operation) -> None:
    contract = make_contract(cast, operation, holder_name="Société Bretonne de Distribution")
    page = titles_found(cast, "contracts:list", "societe bretonne")
    assert contract.reference in page
    assert contract.reference not in titles_found(cast, "contracts:list", "normande")


def test_a_nul_byte_in_a_search_is_ignored_by_the_pages_and_refused_by_the_api(
    cast: Cast, operation: Operation
) -> None:
    client = client_for(cast.mo)
    for url in ("operations:list", "contracts:list", "contracts:evaluations"):
        response = client.get(reverse(url), {"q": "restau\x00ration\x1b"})
        assert response.status_code == 200, url
    assert operation.title in titles_found(cast, "operations:list", "restau\x00ration")
    for url in ("/api/operations", "/api/marches"):
        response = client.get(url, {"search": "a\x00b"})
        assert response.status_code == 422, url
        assert "caractère nul" in response.json()["error"]["details"][0]["message"]


def test_a_nul_character_in_an_api_text_is_a_french_422_not_a_crash(cast: Cast) -> None:
    response = client_for(cast.mo).post(
        "/api/operations",
        data=json.dumps({"organisation_id": cast.commune.pk, "title": "Cantine\x00"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "caractère nul" in response.json()["error"]["details"][0]["message"]
    assert not Operation.objects.filter(title__startswith="Cantine").exists()
