"""A buyer with a SIRET and a contract whose essential data are complete or not."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from openamo.web.contracts.models import Contract
from openamo.web.opendata import services
from openamo.web.opendata.access import buyer_access
from openamo.web.opendata.requests import EssentialEntry
from openamo.web.operations.models import Operation
from tests.integration.web.conftest import Cast, fresh
from tests.integration.web.contracts_factories import make_contract

BUYER_SIRET = "21750001600019"
ESSENTIAL = {
    "cpv": "15800000",
    "procedure": "procedure_adaptee",
    "place_code": "75056",
    "place_type": "Code commune",
    "ccag": "Fournitures courantes et services",
    "offers_received": 3,
    "price_shape": "Unitaire",
}
"""The essential-data form, as posted."""
ESSENTIAL_ENTRY = EssentialEntry(
    cpv="15800000",
    procedure="procedure_adaptee",
    place_code="75056",
    place_type="Code commune",
    ccag="Fournitures courantes et services",
    offers_received=3,
    price_shape="Unitaire",
)


def buyer_contract(cast: Cast, operation: Operation, **changes: Any) -> Contract:
    cast.commune.siret = BUYER_SIRET
    cast.commune.save(update_fields=["siret"])
    return make_contract(cast, operation, **changes)


def complete(cast: Cast, contract: Contract, **changes: Any) -> None:
    mo = fresh(cast.mo)
    services.save_essential(
        buyer_access(mo, cast.commune.pk), mo, contract, replace(ESSENTIAL_ENTRY, **changes)
    )
