"""Reception dates in order, for the page and for every caller of the service (issue 16.5):
inspection ≤ reception decision ≤ lifting of reserves, none in the future; the error is
shown next to the field and nothing is saved."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from openamo.errors import OpenAMOError
from openamo.web.contracts import quality
from openamo.web.contracts.access import contract_access
from openamo.web.contracts.models import Reception, Reserve
from openamo.web.contracts.requests import DecisionOnReception
from openamo.web.operations.models import Operation
from tests.integration.web.conftest import Cast, client_for, fresh, text
from tests.integration.web.contracts_factories import furnish, make_contract


def test_a_reception_is_decided_after_its_inspection_and_lifted_after_it(
    cast: Cast, operation: Operation
) -> None:
    contract = make_contract(cast, operation)
    f = furnish(cast, contract)
    client = client_for(cast.mo)
    decide = reverse("contracts:reception_decide", args=[contract.pk, f.reception.pk])
    # Inspection on 05/12/2025: a decision on 01/12/2025 precedes it.
    page = text(client.post(decide, {"decision": "avec_reserves", "decided_on": "01/12/2025"}))
    assert "La décision ne peut précéder les opérations de vérification du 05/12/2025" in page
    assert "fr-input-group--error" in page or "fr-error-text" in page
    assert Reception.objects.get(pk=f.reception.pk).decision == "a_decider"

    response = client.post(decide, {"decision": "avec_reserves", "decided_on": "10/12/2025"})
    assert response.status_code == 302
    lift = reverse("contracts:reserve_lift", args=[contract.pk, f.reserve.pk])
    page = text(client.post(lift, {"lifted_on": "08/12/2025"}))
    assert "La levée ne peut précéder la réception du 10/12/2025" in page
    assert Reserve.objects.get(pk=f.reserve.pk).lifted_on is None
    assert client.post(lift, {"lifted_on": "18/12/2025"}).status_code == 302


def test_the_service_refuses_the_same_dates_without_the_form(
    cast: Cast, operation: Operation
) -> None:
    contract = make_contract(cast, operation)
    f = furnish(cast, contract)
    access = contract_access(fresh(cast.mo), contract.pk)
    future = datetime.date.today() + datetime.timedelta(days=30)
    with pytest.raises(OpenAMOError, match="futur") as refused:
        quality.decide_reception(
            access,
            fresh(cast.mo),
            f.reception,
            DecisionOnReception(decision="avec_reserves", decided_on=future),
        )
    assert refused.value.details[0].location == "decided_on"
    with pytest.raises(OpenAMOError, match="Date invraisemblable"):
        quality.decide_reception(
            access,
            fresh(cast.mo),
            f.reception,
            DecisionOnReception(decision="avec_reserves", decided_on=datetime.date(1900, 1, 1)),
        )
