"""The demonstration tells one believable story around the day it is loaded (issue 16): every
dated object of the demo is walked, and nothing that has happened lies in the future, no
contract is notified before its consultation closed or its award was validated, nothing is
ordered, invoiced or amended before its contract, no reception decided before its inspection.
The contract of 2025 in execution lives in the operation of its own consultation, not in the
one renewing it."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.urls import reverse
from pytest_django import DjangoDbBlocker

from openamo.errors import OpenAMOError
from openamo.web.amendments.models import Amendment
from openamo.web.award.models import Candidacy, LotAnalysis, Offer
from openamo.web.catering.models import Purchase
from openamo.web.construction.models import PhaseReview
from openamo.web.contracts.demo import CATERING_REFERENCE
from openamo.web.contracts.models import (
    Contract,
    Evaluation,
    Invoice,
    Order,
    Penalty,
    PriceRevision,
    Reception,
    Renewal,
    Reserve,
    ServiceOrder,
    Subcontractor,
)
from openamo.web.decisions import pending_decisions
from openamo.web.demo import PREVIOUS_CATERING, load_demo
from openamo.web.operations import decisions as operation_decisions
from openamo.web.operations.models import Consultation, Operation, Stage
from openamo.web.revalidation import STALE_LABEL
from tests import clock
from tests.integration.web.conftest import client_for, fresh, text
from tests.integration.web.test_plain_french import readable
from tests.integration.web.test_property_forms import absurd_rows
from tests.plain_french import faults

TODAY = clock.TODAY
MAY_BE_AHEAD = {
    "due_on",
    "ends_on",
    "starts_on",
    "decision_deadline",
    "review_on",
    "forecast_on",
    "interest_due_by",
    "regularisation_due_on",
    "abnormally_low_due_on",
    "response_deadline",
    "launch_date",
    "start_on",
    "announced_completion_on",
    "month",
}
"""Date fields that may lie after the reference day: deadlines, periods and forecasts. Every
other date is something that happened (a notification, a payment, a decision)."""


@pytest.fixture(scope="module")
def demo(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    """The demonstration loaded once, on the tests' day, and rolled back after the module."""
    with (
        time_machine.travel(datetime.datetime(2026, 11, 23, 9, 30), tick=True),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        load_demo(Path(tmp_path_factory.mktemp("story")) / "demo-credentials.json")
        yield
        transaction.set_rollback(True)


def test_nothing_that_happened_lies_in_the_future(demo: None, db: None) -> None:
    ahead = []
    for model in apps.get_models():
        if not model.__module__.startswith("openamo."):
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.DateField) or isinstance(field, models.DateTimeField):
                continue
            if field.name in MAY_BE_AHEAD:
                continue
            rows = model._default_manager.filter(**{f"{field.name}__gt": TODAY})
            ahead += [(model.__name__, field.name, v) for v in rows.values_list(field.name)[:3]]
    assert ahead == []
    assert absurd_rows() == []


def before(label: str, first: datetime.date | None, then: datetime.date | None) -> list[str]:
    if first is None or then is None or first <= then:
        return []
    return [f"{label} : {first:%d/%m/%Y} après {then:%d/%m/%Y}"]


def test_every_contract_follows_its_consultation_and_precedes_its_execution(
    demo: None, db: None
) -> None:
    faults: list[str] = []
    contracts = list(Contract.objects.alive().select_related("operation"))
    assert len(contracts) >= 3
    for c in contracts:
        name = c.reference
        faults += before(f"{name} consultation → notification", c.consultation_on, c.notified_on)
        faults += before(f"{name} notification → début", c.notified_on, c.start_on)
        # A lot's contract follows the operation's consultation (the works', not the earlier one
        # of the maître d'œuvre, whose contract bears its own date).
        consultation = Consultation.objects.filter(operation=c.operation).first()
        if consultation is not None and c.lot_id is not None:
            faults += before(
                f"{name} lancement → notification", consultation.launch_date, c.notified_on
            )
            faults += before(
                f"{name} remise des offres → notification",
                consultation.response_deadline,
                c.notified_on,
            )
        for analysis in LotAnalysis.objects.filter(lot=c.lot, validated_at__isnull=False):
            assert analysis.validated_at is not None
            faults += before(
                f"{name} attribution → notification",
                analysis.validated_at.date(),
                c.notified_on,
            )
        dated: list[tuple[str, models.QuerySet[Any], str]] = [
            ("bon de commande", Order.objects.filter(contract=c), "issued_on"),
            ("facture", Invoice.objects.filter(contract=c), "received_on"),
            ("ordre de service", ServiceOrder.objects.filter(contract=c), "issued_on"),
            ("révision", PriceRevision.objects.filter(contract=c), "revised_on"),
            ("évaluation", Evaluation.objects.filter(contract=c), "evaluated_on"),
            ("vérification", Reception.objects.filter(contract=c), "inspected_on"),
            ("pénalité", Penalty.objects.filter(contract=c), "due_on"),
            ("sous-traitant", Subcontractor.objects.filter(contract=c), "accepted_on"),
            ("reconduction", Renewal.objects.filter(contract=c), "decided_on"),
            ("avenant", Amendment.objects.filter(contract=c), "modification_date"),
            ("achat", Purchase.objects.filter(contract=c), "date"),
        ]
        for label, rows, field in dated:
            for day in rows.values_list(field, flat=True):
                faults += before(f"{name} notification → {label}", c.notified_on, day)
        for invoice in Invoice.objects.filter(contract=c):
            faults += before(f"{name} facture {invoice.reference}", invoice.received_on,
                             invoice.paid_on)  # fmt: skip
        for order in ServiceOrder.objects.filter(contract=c):
            faults += before(f"{name} OS émis → reçu", order.issued_on, order.acknowledged_on)
        for reception in Reception.objects.filter(contract=c):
            faults += before(f"{name} réception", reception.inspected_on, reception.decided_on)
            for reserve in Reserve.objects.filter(reception=reception):
                faults += before(f"{name} levée", reception.inspected_on, reserve.lifted_on)
    assert faults == []


def test_offers_are_analysed_after_the_bid_deadline(demo: None, db: None) -> None:
    faults: list[str] = []
    for operation in Operation.objects.filter(award_offers__isnull=False).distinct():
        consultation = Consultation.objects.get(operation=operation)
        assert consultation.launch_date is not None and consultation.response_deadline is not None
        faults += before(operation.title, consultation.launch_date, consultation.response_deadline)
        faults += before(f"{operation.title} offres ouvertes", consultation.response_deadline,
                         TODAY - datetime.timedelta(days=1))  # fmt: skip
        for candidacy in Candidacy.objects.filter(operation=operation):
            faults += before(f"{candidacy.bidder} compléments", consultation.response_deadline,
                             candidacy.regularisation_requested_on)  # fmt: skip
            faults += before(f"{candidacy.bidder} délai", candidacy.regularisation_requested_on,
                             candidacy.regularisation_due_on)  # fmt: skip
        assert Offer.objects.filter(operation=operation).exists()
    assert faults == []


def test_the_contract_in_execution_lives_in_its_own_consultation(demo: None, db: None) -> None:
    contract = Contract.objects.select_related("operation").get(reference=CATERING_REFERENCE)
    assert contract.operation is not None and contract.operation.title == PREVIOUS_CATERING
    assert contract.operation.stage == Stage.EXECUTION
    assert contract.lot is not None and contract.lot.operation_id == contract.operation_id
    renewal = Operation.objects.get(title="Renouvellement de la restauration scolaire 2027")
    assert renewal.stage != Stage.EXECUTION
    assert not Contract.objects.filter(operation=renewal).exists()
    previous = Consultation.objects.get(operation=contract.operation)
    assert previous.status == "validee" and previous.procedure == contract.procedure


def test_the_deciding_user_sees_the_demo_s_stale_decisions_with_what_changed(
    demo: None, db: None
) -> None:
    """The demo holds validated decisions made on what has changed since: the renewal's
    procedure choice and lot 1's ranking (lot 1 re-estimated after the offers), the canteen's
    last approved phase (the envelope raised again). Marie Dupont's dashboard lists each, with
    what changed, and the steps depending on them refuse to run."""
    renewal = Operation.objects.get(title="Renouvellement de la restauration scolaire 2027")
    consultation = Consultation.objects.get(operation=renewal)
    assert consultation.status == "validee" and consultation.stale_changes
    lot_1 = LotAnalysis.objects.get(operation=renewal, lot__number=1)
    assert lot_1.status == "validee" and lot_1.stale_changes
    assert PhaseReview.objects.exclude(stale_changes=[]).count() == 1

    marie = fresh(get_user_model().objects.get(username="marie.dupont"))
    stale = [d for d in pending_decisions(marie) if STALE_LABEL in d.what]
    assert len(stale) >= 3, [d.what for d in pending_decisions(marie)]
    assert all("→" in d.what and d.url for d in stale)
    assert any("Lot 1" in d.what and "66" in d.what for d in stale)
    page = readable(text(client_for(marie).get(reverse("operations:dashboard"))))
    assert page.count(STALE_LABEL) >= 3
    assert not faults(page)

    with pytest.raises(OpenAMOError, match="À revalider"):
        operation_decisions.refuse_if_stale(renewal.pk, "produire le DCE")
    # Nobody else is asked to decide: the AMO firm's consultant prepares, the commune decides.
    alice = fresh(get_user_model().objects.get(username="alice.bernard"))
    assert not [d for d in pending_decisions(alice) if STALE_LABEL in d.what]
