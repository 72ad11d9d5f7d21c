"""The typed border of the amendments app: the proposal form gives a typed proposal, stored as
JSON and read back unchanged; the mappers build the domain's typed inputs from the rows."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from openamo.amendments import (
    Action as Step,
)
from openamo.amendments import (
    Basis,
    ContractProcedure,
    ModificationKind,
    Role,
    SubstantialCondition,
)
from openamo.errors import OpenAMOError
from openamo.web.amendments import mappers
from openamo.web.amendments.forms import ProposalForm, proposal_initial
from openamo.web.amendments.mappers import Proposal
from openamo.web.amendments.models import AmendmentEvent
from openamo.web.contracts.models import Contract
from tests.integration.web._amendments import (
    MODIFICATION_DATE,
    Holders,
    answers,
    form_data,
    make_contract,
    propose,
)
from tests.integration.web.conftest import Cast


@pytest.fixture
def contract(cast: Cast, holders: Holders) -> Contract:
    return make_contract(cast, holders)


def test_the_form_gives_a_typed_proposal_that_its_initial_values_give_back(db: None) -> None:
    form = ProposalForm(
        form_data(separable="non", substantial_examined="on", cited_references="Loi 95-127\n")
    )
    assert form.is_valid(), form.errors
    proposal = form.proposal()
    assert proposal.amount_ht == Decimal("3100.00")
    assert proposal.modification_date == MODIFICATION_DATE
    assert proposal.kind is ModificationKind.FAIBLE_MONTANT
    assert (proposal.separable, proposal.foreseeable) == (False, None)
    assert proposal.substantial_conditions == []
    assert proposal.cited_references == ["Loi 95-127"]
    initial = proposal_initial(proposal)
    assert (initial["separable"], initial["foreseeable"]) == ("non", "")
    assert initial["substantial_examined"] is True
    assert initial["cited_references"] == "Loi 95-127"


def test_a_proposal_is_stored_as_json_and_read_back_unchanged() -> None:
    proposal = answers(
        separable=True, substantial_conditions=[SubstantialCondition.CONDITIONS_INITIALES.value]
    )
    stored = proposal.stored()
    assert stored["amount_ht"] == "3100.00"
    assert stored["modification_date"] == MODIFICATION_DATE.isoformat()
    assert stored["substantial_conditions"] == [SubstantialCondition.CONDITIONS_INITIALES.value]
    assert Proposal.from_stored(stored) == proposal


def test_a_stored_proposal_with_an_unknown_answer_is_refused_in_french() -> None:
    with pytest.raises(OpenAMOError) as refused:
        Proposal.from_stored({**answers().stored(), "colour": "bleu"})
    assert [d.location for d in refused.value.details] == ["colour"]


def test_the_check_input_is_the_domain_s_typed_input_with_the_concluded_amendments(
    cast: Cast, contract: Contract
) -> None:
    first = propose(cast, contract)
    data = mappers.check_input(contract, [first], answers(amount_ht="-500.00"))
    assert data.contract.initial_amount_ht == Decimal("62000.00")
    assert data.contract.procedure is ContractProcedure.MAPA
    assert [(p.amount_ht, p.basis) for p in data.previous_modifications] == [
        (Decimal("3100.00"), Basis.FAIBLE_MONTANT)
    ]
    assert data.modification.amount_ht == Decimal("-500.00")
    assert data.modification.object == answers().object


def test_a_contract_value_the_domain_refuses_is_located_under_contract(
    cast: Cast, contract: Contract
) -> None:
    late = answers(consultation_launched_on=datetime.date(2026, 2, 1).isoformat())
    with pytest.raises(OpenAMOError) as refused:
        mappers.check_input(contract, [], late)
    assert [d.location for d in refused.value.details] == ["contract"]
    assert "postérieure à la date de notification" in refused.value.details[0].message


def test_a_stored_event_replays_as_the_domain_s_event(cast: Cast, contract: Contract) -> None:
    amendment = propose(cast, contract)
    row = AmendmentEvent(
        amendment=amendment,
        action=Step.SIGNER.value,
        role=Role.TITULAIRE.value,
        actor_label="Emma Martin",
        at=datetime.datetime(2026, 11, 24, 9, tzinfo=datetime.UTC),
        note="Bon pour accord.",
        details={"qualite": "Présidente"},
    )
    event = row.to_domain()
    assert (event.action, event.role, event.actor) == (Step.SIGNER, Role.TITULAIRE, "Emma Martin")
    assert event.details == {"qualite": "Présidente"}
