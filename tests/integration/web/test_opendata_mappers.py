"""The essential-data border: a contract read as the DECP publication's typed ContractInput,
the DECP v2 record the audit reads, and what the essential-data form records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openamo.opendata.publish import ContractInput
from openamo.web.opendata.forms import EssentialDataForm
from openamo.web.opendata.mappers import decp_record, entry
from openamo.web.opendata.models import EssentialData
from openamo.web.opendata.requests import EssentialEntry
from openamo.web.operations.models import Operation
from tests.integration.web.conftest import Cast
from tests.integration.web.opendata_factories import (
    BUYER_SIRET,
    ESSENTIAL,
    ESSENTIAL_ENTRY,
    buyer_contract,
    complete,
)

TODAY = dt.date(2026, 3, 1)


def test_a_contract_is_read_as_the_publications_typed_input(
    cast: Cast, operation: Operation
) -> None:
    contract = buyer_contract(cast, operation)
    complete(cast, contract)
    item = entry(contract, EssentialData.objects.get(contract=contract), [])
    assert item.data == ContractInput(
        reference="2026-REST-01",
        title="Fourniture de denrées biologiques pour la restauration scolaire",
        cpv="15800000",
        procedure="procedure_adaptee",
        place_code="75056",
        duration_months=12,
        notified_on=dt.date(2025, 8, 25),
        amount_ht=Decimal("62000.00"),
        price_form="Unitaire",
        price_types=["Définitif révisable"],
        holder_id=contract.holder_siret,
        offers_received=3,
        ccag="Fournitures courantes et services",
        techniques=["Accord-cadre"],
    )
    assert item.extra_missing == []


def test_a_reference_the_decp_cannot_hold_is_missing_not_cut(
    cast: Cast, operation: Operation
) -> None:
    contract = buyer_contract(cast, operation, reference="2026-RESTAURATION-SCOLAIRE-01")
    item = entry(contract, None, [])
    assert item.data.reference is None
    assert [field for field, _ in item.extra_missing] == ["id"]
    record = decp_record(item, BUYER_SIRET, TODAY)
    assert record["id"] == f"OPENAMO-{contract.pk}"
    # Without essential data, what the DECP asks and nobody typed is absent, not null.
    assert "codeCPV" not in record
    assert "offresRecues" not in record
    assert record["procedure"] == "Procédure adaptée"
    assert record["montant"] == 62000
    assert record["datePublicationDonnees"] == "2026-03-01"
    assert record["titulaires"] == [
        {"titulaire": {"typeIdentifiant": "SIRET", "id": contract.holder_siret}}
    ]


def test_the_essential_data_form_gives_the_typed_entry() -> None:
    form = EssentialDataForm(ESSENTIAL)
    assert form.is_valid(), form.errors
    assert form.to_input() == ESSENTIAL_ENTRY
    blank = EssentialDataForm({"place_type": "Code commune"})
    assert blank.is_valid(), blank.errors
    assert blank.to_input() == EssentialEntry()
    assert blank.to_input().columns()["offers_received"] is None
