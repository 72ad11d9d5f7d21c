"""The lists find what French users type, whatever the case and (on PostgreSQL) the accents."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from openamo.web.operations import services
from openamo.web.operations.models import Operation
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
    energy = services.create_operation(mo, cast.commune, {"title": "Fourniture d'électricité"})
    assert energy.title in titles_found(cast, "operations:list", "electricite")
    assert operation.title not in titles_found(cast, "operations:list", "electricite")
    assert operation.title in titles_found(cast, "operations:list", "Rénouvellement")


@ACCENTS_FOLDED
def test_contracts_are_found_by_holder_without_accents(cast: Cast, operation: Operation) -> None:
    contract = make_contract(cast, operation, holder_name="Société Bretonne de Distribution")
    page = titles_found(cast, "contracts:list", "societe bretonne")
    assert contract.reference in page
    assert contract.reference not in titles_found(cast, "contracts:list", "normande")
