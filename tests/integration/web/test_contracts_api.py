"""The contracts API: the pages' access rules and services, the domain's payment figures, French
JSON errors."""

from __future__ import annotations

import pytest

from openamo.pricing import late_payment_from_dict
from openamo.web.contracts.models import Contract, Invoice
from openamo.web.operations.models import Operation
from tests.integration.web.conftest import Cast
from tests.integration.web.contracts_factories import make_contract
from tests.integration.web.test_api import api_client, send

INVOICE = {
    "reference": "F-2025-118",
    "received_on": "2025-10-06",
    "amount_ttc": "16036.00",
    "paid_on": "2025-11-20",
}


@pytest.fixture
def contract(cast: Cast, operation: Operation) -> Contract:
    return make_contract(cast, operation)


def test_an_invoice_through_the_api_carries_the_domain_s_interest(
    cast: Cast, contract: Contract
) -> None:
    client = api_client(cast.consultant)
    response = send(client, "post", f"/api/marches/{contract.pk}/factures", INVOICE)
    assert response.status_code == 201, response.content
    body = response.json()
    expected = late_payment_from_dict(Invoice.objects.get().input)
    assert body["interest"] == f"{expected.interest:.2f}" == "66.89"
    assert body["indemnity"] == "40.00"
    assert body["due_on"] == "2025-11-05" and body["days_late"] == 15
    assert "R2192-31" in " ".join(body["payment"]["references"])
    # The domain's typed answer, written as the command line writes it.
    assert body["payment"] == expected.model_dump(mode="json")
    listed = send(client, "get", f"/api/marches/{contract.pk}/factures").json()
    assert [i["reference"] for i in listed] == ["F-2025-118"]
    detail = send(client, "get", f"/api/marches/{contract.pk}").json()
    assert detail["initial_amount_ht"] == "62000.00"
    assert [r["decision_deadline"] for r in detail["renewal_periods"]][:1] == ["2026-06-01"]


def test_an_unknown_rate_is_said_not_guessed(cast: Cast, contract: Contract) -> None:
    client = api_client(cast.mo)
    late = {**INVOICE, "received_on": "2026-07-15", "paid_on": "2026-09-30"}
    body = send(client, "post", f"/api/marches/{contract.pk}/factures", late).json()
    assert body["interest"] is None and "01/07/2026 inconnu" in body["missing_rate"]


def test_bad_input_and_forbidden_writes_are_french_json_errors(
    cast: Cast, contract: Contract
) -> None:
    url = f"/api/marches/{contract.pk}/factures"
    wrong = send(api_client(cast.mo), "post", url, {**INVOICE, "paid_on": "2025-09-01"})
    assert wrong.status_code == 422
    assert "précède" in wrong.json()["error"]["details"][0]["message"]
    refused = send(api_client(cast.reader), "post", url, INVOICE)
    assert refused.status_code == 403
    assert "pas de le modifier" in refused.json()["error"]["message"]
    assert not Invoice.objects.exists()


def test_outsiders_see_nothing(cast: Cast, contract: Contract) -> None:
    for user in (cast.outsider_mo, cast.other_consultant):
        client = api_client(user)
        assert send(client, "get", "/api/marches").json()["count"] == 0
        assert send(client, "get", f"/api/marches/{contract.pk}").status_code == 404
        posted = send(client, "post", f"/api/marches/{contract.pk}/factures", INVOICE)
        assert posted.status_code == 404
        assert send(client, "get", "/api/marches/factures-a-surveiller").json()["late"] == []
    assert send(api_client(cast.consultant), "get", "/api/marches").json()["count"] == 1
