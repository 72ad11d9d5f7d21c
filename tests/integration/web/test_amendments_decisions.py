"""The dashboard lists the avenants waiting for the user: the buyer's maître d'ouvrage signs and
notifies, the holder's representative accepts or refuses; a fixed number of queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openamo.amendments import Action as Step
from openamo.web.amendments.decisions import pending
from openamo.web.operations.models import Operation
from openamo.web.users import AuthenticatedUser
from tests.integration.web._amendments import act, make_contract, make_holders, propose
from tests.integration.web.conftest import Cast, client_for, fresh, text


def whats(user: AuthenticatedUser) -> list[str]:
    return [decision.what for decision in pending(fresh(user))]


def test_each_side_sees_what_waits_for_it(cast: Cast, operation: Operation) -> None:
    holders = make_holders(cast)
    contract = make_contract(cast, holders, operation)
    amendment = propose(cast, contract)
    assert whats(cast.mo) == [] and whats(holders.signer) == []
    act(cast.consultant, amendment, Step.REDIGER_RAPPORT, "Motifs.")
    assert whats(cast.mo) == ["Avenant n° 1 à signer"]
    assert whats(holders.signer) == ["Avenant n° 1 à accepter ou refuser"]
    assert whats(cast.consultant) == whats(cast.reader) == whats(holders.clerk) == []
    act(holders.signer, amendment, Step.SIGNER)
    assert whats(holders.signer) == []
    act(cast.mo, amendment, Step.SIGNER)
    assert whats(cast.mo) == ["Avenant n° 1 à notifier au titulaire"]
    page = text(client_for(cast.mo).get(reverse("operations:dashboard")))
    assert "Avenant n° 1 à notifier au titulaire" in page


def test_pending_runs_a_fixed_number_of_queries(cast: Cast, operation: Operation) -> None:
    holders = make_holders(cast)
    for reference in ("A", "B", "C"):
        contract = make_contract(cast, holders, operation, reference=reference)
        act(cast.consultant, propose(cast, contract), Step.REDIGER_RAPPORT, "Motifs.")
    for user in (cast.mo, holders.signer):
        user = fresh(user)
        with CaptureQueriesContext(connection) as captured:
            assert len(pending(user)) == 3
        assert len(captured) <= 3
