"""Writing and reading the audit trail."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any, TypeAlias

from django.apps import apps
from django.db import models
from django.utils import timezone

from openamo.money import format_amount, format_cents
from openamo.web.audit.models import Action, AuditEvent
from openamo.web.users import AuthenticatedUser

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

JSONValue: TypeAlias = str | int | bool | Sequence["JSONValue"] | Mapping[str, "JSONValue"] | None


def _plain(value: object) -> JSONValue:
    if isinstance(value, Decimal):
        return format_amount(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, str | int | bool | list | dict) or value is None:
        return value
    return str(value)


DERIVED_FIELDS = frozenset({"input", "result", "decided_input", "stale_changes"})
"""What the domain computed from a row (its input and result) and the revalidation bookkeeping
(what a decision was made on, what changed since): not typed by anyone, never in a snapshot
unless named."""


@cache
def audited_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The business fields of ``model``, in declaration order: what a person types or decides.
    Left out: the key, the relations (to the parent row, to the author), the automatic dates,
    the soft-delete date and :data:`DERIVED_FIELDS`. A snapshot that needs another set names it.
    """
    return tuple(
        field.name
        for field in model._meta.concrete_fields
        if not field.primary_key
        and field.editable
        and not field.is_relation
        and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
        and field.name != "deleted_at"
        and field.name not in DERIVED_FIELDS
    )


def entry_fields(entry: type[DataclassInstance]) -> tuple[str, ...]:
    """The columns a typed entry (what a form gives its service) writes, in its declaration
    order: each field of the entry is a column of the row, so what a service sets and audits
    is read from the entry, never from a hand list that would drift from it."""
    return tuple(field.name for field in fields(entry))


AuditText = Mapping[str, Callable[[Any], str]]
"""Fields a model shows in its history as a sentence rather than as stored (a JSON programme,
a questionnaire's answers): declared once on the model as ``audit_text``, field → the text of
the instance (a model without it is snapshotted as stored)."""


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, JSONValue]:
    """The audited state of ``instance`` as JSON values (amounts as strings): the named fields,
    or by default its :func:`audited_fields`; a field of the model's :data:`AuditText`
    (``audit_text``) as its text."""
    texts: AuditText = getattr(type(instance), "audit_text", {})
    state: dict[str, JSONValue] = {}
    for name in audited_fields(type(instance)) if fields is None else fields:
        if name in texts:
            state[name] = texts[name](instance)
            continue
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        state[name] = _plain(getattr(instance, attname))
    return state


def record(
    actor: AuthenticatedUser | None,
    action: Action,
    instance: models.Model,
    *,
    operation_id: int | None,
    contract_id: int | None = None,
    before: dict[str, JSONValue] | None = None,
    after: dict[str, JSONValue] | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Append one event; an update that changes nothing is not recorded.

    ``contract_id`` files the event under a contract too (its history page), in addition to the
    operation the contract comes from, if any. No ``actor``: nobody signed in acts (the platform
    operator at the command line); ``actor_label`` then names them.
    """
    if action == Action.UPDATE and before == after:
        return AuditEvent(action=action)
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=actor_label or _actor_label(actor),
        operation_id=operation_id,
        contract_id=contract_id,
        action=action,
        object_type=instance._meta.model_name or "",
        object_id=str(instance.pk),
        object_label=str(instance)[:300],
        before=before,
        after=after,
    )


def audited_update(
    actor: AuthenticatedUser | None,
    instance: models.Model,
    values: Mapping[str, object],
    *,
    operation_id: int | None,
    contract_id: int | None = None,
    action: Action = Action.UPDATE,
    fields: Iterable[str] | None = None,
    check: Callable[[], object] | None = None,
    after_save: Callable[[], object] | None = None,
) -> bool:
    """The service step every app writes: snapshot, set ``values``, check, save, record.

    The caller has loaded the row (locked with ``select_for_update`` where two people may edit
    it) and checked the rights; the form has checked the version. A row not saved yet is
    recorded as its creation: no state before, and ``Action.UPDATE`` becomes ``Action.CREATE``
    (another action, a decision, stays). ``check`` runs once the values are set, before the
    save: the domain's verdict on the row as it will be stored; what it raises saves and
    records nothing. ``after_save`` stores what the row keeps in rows of its own (a purchase's
    labels): it runs once the row is saved (a new row has its key), before its state after is
    read. Returns whether anything audited changed (always, for a creation; an update that
    changes nothing is not recorded)."""
    audited = None if fields is None else list(fields)
    created = instance._state.adding
    before = None if created else snapshot(instance, audited)
    for name, value in values.items():
        setattr(instance, name, value)
    if check is not None:
        check()
    instance.save()
    if after_save is not None:
        after_save()
    after = snapshot(instance, audited)
    record(
        actor,
        Action.CREATE if created and action == Action.UPDATE else action,
        instance,
        operation_id=operation_id,
        contract_id=contract_id,
        before=before,
        after=after,
    )
    return created or before != after


def _actor_label(actor: AuthenticatedUser | None) -> str:
    if actor is None:
        return "système"
    full_name = actor.get_full_name()
    return f"{full_name} ({actor.username})" if full_name else str(actor.username)


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    """One row of the shared history table (``partials/_history.html``): the event, who did
    it as shown, what kind of object in French, and its field-by-field changes."""

    event: AuditEvent
    actor: str
    type: str
    changes: list[Change]


def changes(
    event: AuditEvent, labels: dict[str, str], choices: dict[str, dict[str, str]] | None = None
) -> list[Change]:
    """Field-by-field differences of an event, with French field labels and choice labels."""
    choices = choices or {}
    before = event.before or {}
    after = event.after or {}
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    result = []
    for key in keys:
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        names = choices.get(key, {})
        shown_old = _display(names.get(str(old), old))
        shown_new = _display(names.get(str(new), new))
        # An empty value stored two ways (None, "", []) is no change to the reader.
        if shown_old != shown_new:
            result.append(Change(labels.get(key, key), shown_old, shown_new))
    return result


def audited_model(
    object_type: str, own: Mapping[str, type[models.Model]]
) -> type[models.Model] | None:
    """The model of an audited object: the app's ``own``, else any app's (avenants, …)."""
    model = own.get(object_type)
    if model is None:
        model = next((m for m in apps.get_models() if m._meta.model_name == object_type), None)
    return model


def model_changes(
    event: AuditEvent, model: type[models.Model] | None, extra_labels: Mapping[str, str] = {}
) -> list[Change]:
    """:func:`changes` of an event on a row of ``model``, each field named by its
    ``verbose_name`` (or ``extra_labels``, for what the row stores under another name) and each
    choice by its label; the stored names when the model is unknown."""
    if model is None:
        return changes(event, {})
    fields = model._meta.get_fields()
    labels = {f.name: str(getattr(f, "verbose_name", f.name)) for f in fields}
    choices = {
        f.name: {str(value): str(label) for value, label in choices}
        for f in fields
        if (choices := getattr(f, "choices", None))
    }
    return changes(event, {**labels, **extra_labels}, choices)


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?")
STORED_AMOUNT = re.compile(r"-?\d+\.\d{2}")


def _display(value: object) -> str:
    """A stored value as a reader expects it: « 15/02/2027 » for a date, the local time for
    a moment, « 10 000,00 » for an amount (stored « 10000.00 », ``_plain``), oui/non."""
    if value is None or value == "":
        return "—"
    if value is True:
        return "oui"
    if value is False:
        return "non"
    if isinstance(value, dict):
        # Nested data (a programme, answers): its values, never its internal keys.
        return ", ".join(_display(item) for item in value.values()) or "—"
    if isinstance(value, list):
        return " ; ".join(_display(item) for item in value) or "—"
    if isinstance(value, str):
        try:
            return _display_text(value)
        except ValueError:
            # Text that only looks like a date (« 2026-02-30 » typed in a description).
            return value
    return str(value)


def _display_text(value: str) -> str:
    if ISO_DATE.fullmatch(value):
        return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
    if ISO_DATETIME.fullmatch(value):
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.strftime("%d/%m/%Y à %H:%M")
    if STORED_AMOUNT.fullmatch(value):
        return format_cents(Decimal(value))
    return value
