"""The audited update shared by the services, and snapshots read from the model's fields."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import models

from openamo.errors import OpenAMOError
from openamo.web.audit.models import Action, AuditEvent
from openamo.web.audit.services import audited_fields, audited_update, entry_fields, snapshot
from openamo.web.catering.models import Purchase
from openamo.web.catering.services import PURCHASE_FIELDS
from openamo.web.contracts import payments, prices
from openamo.web.contracts.models import Contract, Invoice
from openamo.web.contracts.requests import ContractEntry
from openamo.web.contracts.services.contract import FRAME_FIELDS
from openamo.web.operations.models import Lot, Operation
from openamo.web.steering.models import ChangeRequest, MilestoneProgress, Risk
from openamo.web.steering.services.changes import CHANGE_FIELDS
from openamo.web.steering.services.follow_up import MILESTONE_FIELDS, RISK_FIELDS
from tests.integration.web.conftest import Cast

pytestmark = pytest.mark.django_db


def test_audited_fields_are_the_business_fields_in_declaration_order() -> None:
    # No key, no relation (operation, author), no automatic date, no soft-delete date.
    assert audited_fields(Lot) == ("number", "name", "description", "estimated_amount_ht")
    assert audited_fields(Operation) == ("title", "description", "kind", "stage")


def test_entry_fields_are_the_entry_s_fields_in_declaration_order() -> None:
    assert entry_fields(ContractEntry) == FRAME_FIELDS
    assert FRAME_FIELDS[:6] == (
        "title",
        "nature",
        "procedure",
        "holder_name",
        "initial_amount_ht",
        "notified_on",
    )


@pytest.mark.parametrize(
    ("written", "model"),
    [
        (FRAME_FIELDS, Contract),
        (PURCHASE_FIELDS, Purchase),
        (MILESTONE_FIELDS, MilestoneProgress),
        (RISK_FIELDS, Risk),
        (CHANGE_FIELDS, ChangeRequest),
        (payments.INVOICE_FIELDS, Invoice),
        (prices.FORMULA_FIELDS, Contract),
    ],
)
def test_each_field_an_entry_writes_is_a_column_of_its_row(
    written: tuple[str, ...], model: type[models.Model]
) -> None:
    # A field added to an entry without its column would be set on the object and never saved
    # (the labels of a purchase are rows of their own, audited through its ``audit_text``).
    columns = {field.name for field in model._meta.concrete_fields}
    columns |= set(getattr(model, "audit_text", {}))
    assert set(written) <= columns, sorted(set(written) - columns)


def test_audited_update_saves_and_records_before_and_after(cast: Cast, lot: Lot) -> None:
    before = snapshot(lot)

    changed = audited_update(cast.mo, lot, {"name": "Bio et local"}, operation_id=lot.operation_id)

    assert changed
    lot.refresh_from_db()
    assert lot.name == "Bio et local"
    event = AuditEvent.objects.filter(object_type="lot", object_id=str(lot.pk)).first()
    assert event is not None and event.action == Action.UPDATE
    assert event.before == before
    assert event.after == {**before, "name": "Bio et local"}


def test_audited_update_that_changes_nothing_records_nothing(cast: Cast, lot: Lot) -> None:
    count = AuditEvent.objects.count()

    changed = audited_update(cast.mo, lot, {"name": lot.name}, operation_id=lot.operation_id)

    assert not changed
    assert AuditEvent.objects.count() == count


def test_audited_update_of_an_unsaved_row_records_its_creation(cast: Cast, lot: Lot) -> None:
    new = Lot(operation=lot.operation, number=9, estimated_amount_ht=Decimal("1000.00"))

    changed = audited_update(cast.mo, new, {"name": "Pain"}, operation_id=lot.operation_id)

    assert changed and new.pk is not None
    event = AuditEvent.objects.get(object_type="lot", object_id=str(new.pk))
    assert (event.action, event.before) == (Action.CREATE, None)
    assert event.after == {"number": 9, "name": "Pain", "description": "",
                           "estimated_amount_ht": "1000.00"}  # fmt: skip


def test_a_decision_on_an_unsaved_row_stays_a_decision(cast: Cast, lot: Lot) -> None:
    new = Lot(operation=lot.operation, number=9, estimated_amount_ht=Decimal("1.00"))

    audited_update(
        cast.mo, new, {"name": "Pain"}, operation_id=lot.operation_id, action=Action.DECIDE
    )

    event = AuditEvent.objects.get(object_type="lot", object_id=str(new.pk))
    assert (event.action, event.before) == (Action.DECIDE, None)


def test_the_check_sees_the_new_values_and_what_it_refuses_is_neither_saved_nor_recorded(
    cast: Cast, lot: Lot
) -> None:
    seen: list[str] = []

    def refuse() -> None:
        seen.append(lot.name)
        raise OpenAMOError("Refusé par le domaine.")

    count = AuditEvent.objects.count()
    with pytest.raises(OpenAMOError, match="Refusé"):
        audited_update(cast.mo, lot, {"name": "Autre"}, operation_id=lot.operation_id, check=refuse)

    assert seen == ["Autre"]
    lot.refresh_from_db()
    assert lot.name != "Autre"
    assert AuditEvent.objects.count() == count


def test_what_is_saved_after_the_row_is_in_the_state_after(cast: Cast, lot: Lot) -> None:
    new = Lot(operation=lot.operation, number=9, estimated_amount_ht=Decimal("1.00"))
    keys: list[int | None] = []

    def children() -> None:
        # A new row has its key here (its own rows can point at it), and the state after
        # is read once they are stored.
        keys.append(new.pk)
        Lot.objects.filter(pk=new.pk).update(description="Lignes à part")
        new.description = "Lignes à part"

    audited_update(cast.mo, new, {"name": "Pain"}, operation_id=lot.operation_id,
                   after_save=children)  # fmt: skip

    assert keys == [new.pk] and new.pk is not None
    event = AuditEvent.objects.get(object_type="lot", object_id=str(new.pk))
    assert event.after is not None and event.after["description"] == "Lignes à part"


def test_the_history_names_what_was_analysed_and_keeps_the_acronyms() -> None:
    """A DQE forecast was listed « Analyse de la procédure — Prévision egalim — … »."""
    from openamo.web.operations.presenters import history_entries

    def event(object_type: str) -> AuditEvent:
        return AuditEvent(action=Action.ANALYSE, object_type=object_type, object_label="x")

    assert event("consultation").action_label == "Analyse de la procédure"
    assert event("lotanalysis").action_label == "Analyse des offres"
    assert event("forecast").action_label == "Prévision EGAlim"
    (entry,) = history_entries([event("forecast")])
    assert entry.type == "Prévision EGAlim"


def test_text_that_only_looks_like_a_date_is_shown_as_typed() -> None:
    """« 2026-02-30 » typed in a description is no date: the history and the conflict message
    show it as typed instead of failing (a 500 on the lot's form, found by the property test)."""
    from openamo.web.audit.services import _display

    assert _display("2026-02-30") == "2026-02-30"
    assert _display("2026-02-28") == "28/02/2026"
    assert _display("2026-13-01T10:00:00Z") == "2026-13-01T10:00:00Z"


def test_an_empty_value_stored_two_ways_is_no_change_in_the_history() -> None:
    """« motifs : — → — » read as noise: None, "" and [] are all « — » to the reader."""
    from openamo.web.audit.services import changes

    event = AuditEvent(
        before={"reasons": None, "notes": "", "amount": "10.00"},
        after={"reasons": [], "notes": None, "amount": "12.00"},
    )
    shown = changes(event, {"reasons": "motifs", "notes": "notes", "amount": "montant"})
    assert [(c.field, c.before, c.after) for c in shown] == [("montant", "10,00", "12,00")]
