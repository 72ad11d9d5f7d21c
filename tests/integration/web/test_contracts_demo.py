"""The demonstration contracts: loaded once through the services, meaningful (a late invoice
with its interest, a drifting invoiced price, orders, reserves), readable by the holder."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from openamo.pricing import late_payment_from_dict
from openamo.web.audit.models import AuditEvent
from openamo.web.contracts.demo import CATERING_AMOUNT_HT, CATERING_REFERENCE, SOFTWARE_REFERENCE
from openamo.web.contracts.models import (
    Contract,
    IndexValue,
    Invoice,
    Order,
    PriceRevision,
    Reserve,
    ServiceOrder,
)
from openamo.web.contracts.services.contract import awarded_offers
from openamo.web.demo import CONTRACTOR, PREVIOUS_CATERING, load_demo
from openamo.web.operations.models import Operation
from tests import clock
from tests.integration.web.conftest import client_for, text

pytestmark = pytest.mark.usefixtures("frozen_today")


def counts() -> list[int]:
    models = (Contract, Invoice, Order, IndexValue, PriceRevision, ServiceOrder, Reserve)
    found = [model.objects.count() for model in models]
    return [*found, AuditEvent.objects.filter(contract__isnull=False).count()]


def test_the_demo_contracts_load_once_and_tell_a_story(db: None, tmp_path: Path) -> None:
    credentials = tmp_path / "demo-credentials.json"
    load_demo(credentials)
    before = counts()
    load_demo(credentials)
    assert counts() == before

    catering = Contract.objects.get(reference=CATERING_REFERENCE)
    assert catering.holder_organisation is not None
    assert catering.holder_organisation.name == CONTRACTOR
    assert catering.lot is not None and catering.lot.number == 1
    assert catering.is_framework and catering.price_form == "revisable"
    # The contract of 2025 lives in its own consultation's operation, not in the renewal's,
    # whose award is still under way (its lot 1 won again by the same contractor).
    assert catering.operation is not None and catering.operation.title == PREVIOUS_CATERING
    assert catering.initial_amount_ht == CATERING_AMOUNT_HT
    renewal = Operation.objects.get(title="Renouvellement de la restauration scolaire 2027")
    won = [o for o in awarded_offers(renewal.pk) if o.lot_number == 1]
    assert won and won[0].bidder == CONTRACTOR
    assert Contract.objects.get(reference=SOFTWARE_REFERENCE).operation is not None

    late = Invoice.objects.get(contract=catering, reference="F-2025-118")
    expected = late_payment_from_dict(late.input)
    assert expected.interest is not None
    assert late.days_late == 15 and late.interest == expected.interest > 0
    assert late.indemnity == Decimal("40.00")
    assert PriceRevision.objects.get(contract=catering).drift_alert
    assert IndexValue.objects.filter(contract=catering, series="IPAG").count() == 13
    due_soon = Invoice.objects.get(contract=catering, reference="F-2026-187")
    assert due_soon.paid_on is None and due_soon.due_on is not None
    assert due_soon.due_on > clock.TODAY
    assert Reserve.objects.filter(reception__contract=catering, lifted_on__isnull=True).count() == 1

    users = get_user_model().objects
    marie, emma = users.get(username="marie.dupont"), users.get(username="emma.roux")
    invoice_page = text(
        client_for(marie).get(reverse("contracts:invoice_detail", args=[catering.pk, late.pk]))
    )
    assert "Intérêts moratoires" in invoice_page and "10,15" in invoice_page
    dashboard = text(client_for(marie).get(reverse("contracts:invoices_dashboard")))
    assert "F-2026-187" in dashboard
    holder = client_for(emma)
    assert holder.get(reverse("contracts:detail", args=[catering.pk])).status_code == 200
    software = Contract.objects.get(reference=SOFTWARE_REFERENCE)
    assert holder.get(reverse("contracts:detail", args=[software.pk])).status_code == 404
