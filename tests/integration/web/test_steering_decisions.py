"""The main dashboard lists what the steering of an IT project waits for: the baseline to
validate, then each change request until the buyer's maître d'ouvrage decides it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openamo.web.operations.access import operation_access
from openamo.web.operations.kinds import OperationKind
from openamo.web.operations.models import Operation
from openamo.web.steering.decisions import pending
from openamo.web.steering.services import changes as change_service
from openamo.web.steering.services import framing as framing_service
from openamo.web.users import AuthenticatedUser
from tests.integration.web.conftest import Cast, client_for, fresh, make_operation, text
from tests.integration.web.steering_data import change, decision, steered

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def operation(cast: Cast) -> Operation:
    """Steering is offered to IT projects only (``operations.kinds``)."""
    return make_operation(cast, kind=OperationKind.INFORMATIQUE)


def whats(user: AuthenticatedUser) -> list[str]:
    return [d.what for d in pending(fresh(user))]


def test_the_baseline_then_each_change_request_wait_for_the_maitre_d_ouvrage(
    cast: Cast, operation: Operation
) -> None:
    steered(cast, operation, validated=False)
    assert whats(cast.mo) == ["Base de référence à valider"]
    mo = fresh(cast.mo)
    framing_service.validate_baseline(operation_access(mo, operation.pk), mo)
    assert whats(cast.mo) == []

    consultant = fresh(cast.consultant)
    request = change_service.create_change_request(
        operation_access(consultant, operation.pk), consultant, change()
    )
    expected = "Demande d'évolution DE-01 « Module de gestion des astreintes » à décider"
    assert whats(cast.mo) == [expected]
    # The AMO prepares and readers read: neither decides.
    assert whats(cast.consultant) == whats(cast.internal_amo) == whats(cast.reader) == []
    page = text(client_for(cast.mo).get(reverse("operations:dashboard")))
    assert expected in page
    assert reverse("steering:change_detail", args=[operation.pk, request.pk]) in page

    mo = fresh(cast.mo)
    change_service.decide_change_request(
        operation_access(mo, operation.pk), mo, request, decision()
    )
    assert whats(cast.mo) == []


def test_pending_runs_a_fixed_number_of_queries(cast: Cast, operation: Operation) -> None:
    steered(cast, operation)
    consultant = fresh(cast.consultant)
    for title in ("Astreintes", "Notes de frais", "Télétravail"):
        change_service.create_change_request(
            operation_access(consultant, operation.pk), consultant, change(title=title)
        )
    mo = fresh(cast.mo)
    with CaptureQueriesContext(connection) as captured:
        assert len(pending(mo)) == 3
    assert len(captured) <= 3  # memberships, baselines, change requests
