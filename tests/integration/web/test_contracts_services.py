"""The contract services: who may write what, renewals kept in step with the clause, the domain's
answers stored as they are (penalties, framework, advance), and the decisions awaiting the
maître d'ouvrage on the dashboard."""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest

from openamo.errors import OpenAMOError
from openamo.pricing.penalties import penalty_from_dict
from openamo.web.audit.models import Action, AuditEvent
from openamo.web.contracts import decisions, payments, quality, queries
from openamo.web.contracts.access import contract_access
from openamo.web.contracts.mappers import contract_entry
from openamo.web.contracts.models import Contract, Renewal
from openamo.web.contracts.requests import EvaluationEntry, OrderEntry, PenaltyRequest
from openamo.web.contracts.services import contract as contract_service
from openamo.web.contracts.services import renewals as renewal_service
from openamo.web.operations.access import PermissionRefused, operation_access
from openamo.web.operations.models import Operation
from tests.integration.web.conftest import Cast, fresh
from tests.integration.web.contracts_factories import (
    contract_data,
    furnish,
    make_company,
    make_contract,
)


@pytest.fixture
def contract(cast: Cast, operation: Operation) -> Contract:
    return make_contract(cast, operation)


def test_only_the_buyer_s_preparers_enter_a_contract(cast: Cast, operation: Operation) -> None:
    with pytest.raises(PermissionRefused):
        contract_service.create_contract(
            fresh(cast.reader), contract_data(), organisation=cast.commune
        )
    with pytest.raises(PermissionRefused):
        contract_service.create_contract(
            fresh(cast.outsider_mo), contract_data(), organisation=cast.commune
        )
    reader_access = operation_access(fresh(cast.firm_reader), operation.pk)
    with pytest.raises(PermissionRefused):
        contract_service.create_contract(
            fresh(cast.firm_reader), contract_data(), operation_access=reader_access
        )
    consultant = fresh(cast.consultant)
    created = contract_service.create_contract(
        consultant, contract_data(), operation_access=operation_access(consultant, operation.pk)
    )
    # The shared firm prepares the contract; the stage is the buyer's to change.
    assert created.operation == operation
    assert Operation.objects.get(pk=operation.pk).stage != "execution"


def test_renewals_follow_the_clause_and_keep_their_decisions(
    cast: Cast, contract: Contract
) -> None:
    periods = list(Renewal.objects.filter(contract=contract).order_by("number"))
    assert [(r.starts_on, r.ends_on, r.decision_deadline) for r in periods[:2]] == [
        (datetime.date(2026, 9, 1), datetime.date(2027, 8, 31), datetime.date(2026, 6, 1)),
        (datetime.date(2027, 9, 1), datetime.date(2028, 8, 31), datetime.date(2027, 6, 1)),
    ]
    mo = fresh(cast.mo)
    access = contract_access(mo, contract.pk)
    renewal_service.decide_renewal(access, mo, periods[0], "reconduit", "")
    with pytest.raises(OpenAMOError, match="déjà été décidée"):
        renewal_service.decide_renewal(access, mo, periods[0], "non_reconduit", "")
    contract_service.update_contract(access, mo, replace(contract_entry(contract), renewals=1))
    live = Renewal.objects.alive().filter(contract=contract)
    assert [(r.number, r.decision) for r in live] == [(1, "reconduit")]
    assert Renewal.objects.deleted().filter(contract=contract).count() == 2
    amo = fresh(cast.internal_amo)
    with pytest.raises(PermissionRefused):
        renewal_service.decide_renewal(
            contract_access(amo, contract.pk), amo, periods[1], "reconduit", ""
        )


def test_the_penalty_is_the_domain_s_and_counts_the_penalties_already_applied(
    cast: Cast, contract: Contract
) -> None:
    amo, mo = fresh(cast.internal_amo), fresh(cast.mo)
    access = contract_access(amo, contract.pk)
    late = PenaltyRequest(
        reason="Retard de livraison",
        due_on=datetime.date(2025, 10, 1),
        delivered_on=datetime.date(2025, 10, 21),
        late_value_ht=Decimal("62000.00"),
    )
    first = quality.compute_penalty(access, amo, late)
    assert first.result == penalty_from_dict(first.input).model_dump(mode="json")
    # CCAG-FCS: 62 000 × 20 / 1 000 = 1 240 € HT, above the 1 000 € exemption.
    assert first.penalty_ht == Decimal("1240.00")
    with pytest.raises(PermissionRefused):
        quality.decide_penalty(access, amo, first, "validee")
    quality.decide_penalty(contract_access(mo, contract.pk), mo, first, "validee")
    second = quality.compute_penalty(access, amo, replace(late, late_value_ht=Decimal("1000")))
    assert second.input["previous_penalties_ht"] == "1240.00"
    assert second.penalty_ht == Decimal("20.00")


def test_a_contract_without_clause_or_formula_says_what_is_missing(
    cast: Cast, operation: Operation
) -> None:
    contract = make_contract(cast, operation, penalty_clause="", is_framework=False)
    amo = fresh(cast.internal_amo)
    access = contract_access(amo, contract.pk)
    with pytest.raises(OpenAMOError, match="clause de pénalités"):
        quality.compute_penalty(
            access,
            amo,
            PenaltyRequest(
                reason="x", due_on=datetime.date(2026, 1, 1), delivered_on=datetime.date(2026, 1, 5)
            ),
        )
    with pytest.raises(OpenAMOError, match="accord-cadre"):
        payments.save_order(
            access,
            amo,
            OrderEntry(reference="BC", issued_on=datetime.date(2026, 1, 1), amount_ht=Decimal(1)),
        )
    assert (
        not AuditEvent.objects.filter(contract=contract)
        .exclude(object_type__in=["contract", "renewal"])
        .exists()
    )


def test_the_maitre_d_ouvrage_sees_what_awaits_its_decision(cast: Cast, contract: Contract) -> None:
    furnish(cast, contract)
    pending = decisions.pending(fresh(cast.mo))
    whats = sorted(d.what for d in pending)
    assert whats == sorted(
        [
            "Reconduction n° 1 à décider",
            "Ordre de service n° 1 à signer",
            "Réception « Admission du premier trimestre » à prononcer",
            "Pénalité « Livraison du 14/10 en retard » à décider",
        ]
    )
    assert decisions.pending(fresh(cast.internal_amo)) == []
    assert decisions.pending(fresh(cast.outsider_mo)) == []


def test_every_write_is_in_the_contract_s_journal(cast: Cast, contract: Contract) -> None:
    furnish(cast, contract)
    events = AuditEvent.objects.filter(contract=contract)
    kinds = set(events.values_list("object_type", flat=True))
    assert kinds >= {
        "contract", "renewal", "subcontractor", "revisionterm", "indexvalue", "pricerevision",
        "order", "invoice", "serviceorder", "reception", "reserve", "penalty", "evaluation",
    }  # fmt: skip
    assert contract.operation_id is not None
    assert not events.exclude(operation_id=contract.operation_id).exists()
    assert events.filter(action=Action.CREATE, object_type="invoice").count() == 1


def test_only_the_maitre_d_ouvrage_opens_the_contract_to_a_holder_or_changes_its_status(
    cast: Cast, operation: Operation, contract: Contract
) -> None:
    company = make_company(cast)
    for amo in (fresh(cast.internal_amo), fresh(cast.consultant)):
        access = contract_access(amo, contract.pk)
        for change in ({"holder_organisation": company.organisation}, {"status": "resilie"}):
            with pytest.raises(PermissionRefused):
                contract_service.update_contract(access, amo, contract_data(**change))
        with pytest.raises(PermissionRefused):
            contract_service.create_contract(
                amo,
                contract_data(holder_organisation=company.organisation),
                operation_access=operation_access(amo, operation.pk),
            )
    mo = fresh(cast.mo)
    access = contract_access(mo, contract.pk)
    # A company without relation to the buyer (neither bidder, former holder nor the SIRET
    # typed) is refused, even to the maître d'ouvrage.
    with pytest.raises(OpenAMOError):
        contract_service.update_contract(
            access, mo, contract_data(holder_organisation=company.other)
        )
    contract_service.update_contract(
        access, mo, contract_data(holder_organisation=company.organisation, status="resilie")
    )
    contract.refresh_from_db()
    assert (contract.holder_organisation, contract.status) == (company.organisation, "resilie")


def test_a_holder_s_overall_mark_is_the_domain_s_mean_of_its_evaluations(
    cast: Cast, contract: Contract
) -> None:
    mo = fresh(cast.mo)
    access = contract_access(mo, contract.pk)
    for day, marks in [
        (datetime.date(2025, 12, 10), {"qualite": 3, "delais": 4}),
        (datetime.date(2026, 6, 10), {"qualite": 4, "delais": 4, "relation": 4, "reactivite": 3}),
    ]:
        quality.evaluate(access, mo, EvaluationEntry("jalon", "Semestre", marks, day))
    [line] = queries.holder_summary(queries.evaluations(mo))
    # Averages 3,50 and 3,75: their mean 3,625 is rounded half up, as each average is.
    assert (line.name, line.siret, line.count) == (contract.holder_name, contract.holder_siret, 2)
    assert line.mean == Decimal("3.63")
    assert line.last == datetime.date(2026, 6, 10)
