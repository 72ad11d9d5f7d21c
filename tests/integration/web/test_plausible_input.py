"""Plausible input, declared once (issue 16, item 5): the forms, the API and the domain inputs
refuse the same absurd values with the same French sentences, next to the field, and save
nothing — a change request costing −999 999 999 €, an order dated before its contract, a
purchase outside its contract, a decision dated of next month."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from openamo.errors import OpenAMOError
from openamo.steering.changes import ChangeRequest as DomainChangeRequest
from openamo.validation import parse_input
from openamo.web.catering.models import Purchase
from openamo.web.contracts.models import Order
from openamo.web.operations.kinds import OperationKind
from openamo.web.operations.models import Operation
from openamo.web.steering.models import ChangeRequest
from tests.clock import TODAY
from tests.integration.web.conftest import Cast, client_for, make_operation, text
from tests.integration.web.contracts_factories import make_contract
from tests.integration.web.steering_data import steered
from tests.integration.web.test_api import api_client, send

# « Tomorrow » is judged in France (openamo.dates.paris_today): the clock is frozen on a Paris
# morning so that a run between 23:00 and 24:00 UTC does not make tomorrow today.
pytestmark = pytest.mark.usefixtures("frozen_today")
TOMORROW = TODAY + datetime.timedelta(days=1)


@pytest.fixture
def it_project(cast: Cast) -> Operation:
    return make_operation(cast, kind=OperationKind.INFORMATIQUE)


def change_request(**changes: str) -> dict[str, str]:
    data = {
        "title": "Export des factures",
        "kind": "ajout",
        "requested_on": TODAY.strftime("%d/%m/%Y"),
        "cost_ht": "2 400,00",
        "delay_days": "5",
        "value": "forte",
        "justification": "Demandé par le service financier.",
    }
    data.update(changes)
    return data


def test_a_change_request_costs_less_than_nothing_only_when_it_saves(
    cast: Cast, it_project: Operation
) -> None:
    steered(cast, it_project)
    client = client_for(cast.mo)
    url = reverse("steering:change_create", args=[it_project.pk])
    absurd = change_request(requested_on="01/01/1900", cost_ht="-999 999 999", delay_days="-5")
    page = text(client.post(url, absurd))
    assert "Date invraisemblable" in page
    assert "Un coût négatif est une économie" in page
    assert "Un délai négatif avance la mise en service" in page
    assert "-999 999 999" in page  # what was typed is shown back
    # A removal may save, but not more than the whole budget.
    page = text(client.post(url, change_request(kind="suppression", cost_ht="-999 999 999")))
    assert "dépasse le budget du projet" in page
    page = text(client.post(url, change_request(requested_on=TOMORROW.strftime("%d/%m/%Y"))))
    assert "Cette date est dans le futur" in page
    assert not ChangeRequest.objects.exists()
    response = client.post(url, change_request(kind="suppression", cost_ht="-5 000"))
    assert response.status_code == 302
    assert ChangeRequest.objects.get().cost_ht == Decimal("-5000.00")


def test_the_domain_refuses_the_same_change_requests() -> None:
    request = {
        "id": "E1",
        "title": "Export",
        "requested_on": "1900-01-01",
        "kind": "ajout",
        "cost_ht": "-10",
        "delay_days": -5,
        "value": "forte",
    }
    with pytest.raises(OpenAMOError) as refused:
        parse_input(DomainChangeRequest, request)
    messages = {d.location: d.message for d in refused.value.details}
    assert "Date invraisemblable" in messages["requested_on"]
    request.update(requested_on="2026-01-05")
    with pytest.raises(OpenAMOError, match="Un coût négatif est une économie"):
        parse_input(DomainChangeRequest, request)
    with pytest.raises(OpenAMOError, match="Un délai négatif avance la mise en service"):
        parse_input(DomainChangeRequest, {**request, "cost_ht": "10"})
    # A removal may save money and bring the go-live forward.
    removal = parse_input(DomainChangeRequest, {**request, "kind": "suppression"})
    assert removal.cost_ht < 0
    assert removal.delay_days == -5


def test_domain_inputs_refuse_implausible_and_future_dates() -> None:
    from openamo.catering.models import PurchaseInput

    purchase = {"family": "autres", "amount_ht": "10.00", "date": "2100-06-01"}
    with pytest.raises(OpenAMOError, match="Entrée invalide") as refused:
        parse_input(PurchaseInput, purchase)
    assert refused.value.details[0].location == "date"
    assert "Date invraisemblable" in refused.value.details[0].message
    purchase["date"] = TOMORROW.isoformat()
    with pytest.raises(OpenAMOError) as refused:
        parse_input(PurchaseInput, purchase)
    assert "dans le futur" in refused.value.details[0].message
    purchase["date"] = TODAY.isoformat()
    assert parse_input(PurchaseInput, purchase).date == TODAY


def test_an_order_lies_inside_its_contract_and_not_in_the_future(
    cast: Cast, operation: Operation
) -> None:
    contract = make_contract(cast, operation)  # notified 25/08/2025, 12 months + 3 renewals
    client = client_for(cast.mo)
    url = reverse("contracts:order_create", args=[contract.pk])
    order = {"reference": "BC-1", "amount_ht": "1 000", "description": "Denrées"}
    page = text(client.post(url, {**order, "issued_on": "01/08/2025"}))
    assert "avant la notification du marché (25/08/2025)" in page
    page = text(client.post(url, {**order, "issued_on": TOMORROW.strftime("%d/%m/%Y")}))
    assert "Cette date est dans le futur" in page
    assert not Order.objects.exists()
    assert client.post(url, {**order, "issued_on": "15/09/2025"}).status_code == 302


def test_an_order_beyond_the_framework_maximum_needs_the_legal_confirmation(
    cast: Cast, operation: Operation
) -> None:
    contract = make_contract(cast, operation)  # maximum 80 000 € HT
    client = client_for(cast.mo)
    url = reverse("contracts:order_create", args=[contract.pk])
    order = {"reference": "BC-9", "amount_ht": "84 000", "issued_on": "15/09/2025"}
    page = text(client.post(url, order))
    assert "au-delà du maximum" in page
    assert "R2194-1" in page
    assert not Order.objects.exists()
    assert client.post(url, {**order, "beyond_maximum": "on"}).status_code == 302


def test_a_purchase_lies_inside_the_contract_it_is_bought_under(
    cast: Cast, operation: Operation
) -> None:
    contract = make_contract(cast, operation)
    client = client_for(cast.mo)
    url = reverse("catering:purchase_create", args=[cast.commune.pk])
    purchase = {
        "family": "autres",
        "description": "Yaourt nature bio",
        "amount_ht": "12,50",
        "contract": str(contract.pk),
    }
    page = text(client.post(url, {**purchase, "date": "01/06/2025"}))
    assert "avant la notification du marché" in page
    page = text(client.post(url, {**purchase, "date": "01/06/2100"}))
    assert "Date invraisemblable" in page
    assert not Purchase.objects.exists()
    assert client.post(url, {**purchase, "date": "02/10/2025"}).status_code == 302


def test_the_api_refuses_an_invoice_received_tomorrow(cast: Cast, operation: Operation) -> None:
    contract = make_contract(cast, operation)
    invoice = {"reference": "F-1", "received_on": TOMORROW.isoformat(), "amount_ttc": "100.00"}
    response = send(
        api_client(cast.consultant), "post", f"/api/marches/{contract.pk}/factures", invoice
    )
    assert response.status_code == 422, response.content
    assert "dans le futur" in response.content.decode()
