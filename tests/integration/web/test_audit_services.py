"""The audited update shared by the services, and snapshots read from the model's fields."""

from __future__ import annotations

from typing import Any

import pytest

from openamo.web.audit.models import Action, AuditEvent
from openamo.web.audit.services import audited_fields, audited_update, snapshot
from openamo.web.operations.models import Lot, Operation

pytestmark = pytest.mark.django_db


def test_audited_fields_are_the_business_fields_in_declaration_order() -> None:
    # No key, no relation (operation, author), no automatic date, no soft-delete date.
    assert audited_fields(Lot) == ("number", "name", "description", "estimated_amount_ht")
    assert audited_fields(Operation) == ("title", "description", "kind", "stage")


def test_audited_update_saves_and_records_before_and_after(cast: Any, lot: Lot) -> None:
    before = snapshot(lot)

    changed = audited_update(cast.mo, lot, {"name": "Bio et local"}, operation_id=lot.operation_id)

    assert changed
    lot.refresh_from_db()
    assert lot.name == "Bio et local"
    event = AuditEvent.objects.filter(object_type="lot", object_id=str(lot.pk)).first()
    assert event is not None and event.action == Action.UPDATE
    assert event.before == before
    assert event.after == {**before, "name": "Bio et local"}


def test_audited_update_that_changes_nothing_records_nothing(cast: Any, lot: Lot) -> None:
    count = AuditEvent.objects.count()

    changed = audited_update(cast.mo, lot, {"name": lot.name}, operation_id=lot.operation_id)

    assert not changed
    assert AuditEvent.objects.count() == count
