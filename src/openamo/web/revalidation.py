"""Decisions that go stale when what they were made on changes.

Every validated decision (procedure choice, award criteria, ranking of a lot, IT baseline,
verdict of an avenant) keeps the input it was made on. Each app that has such decisions has a
``decisions`` module with:

- ``STALE_TRIGGERS``: the audited object types whose change may make one of them stale;
- ``refresh_stale(operation_id, contract_id)``: recompute the input of each validated decision
  of that operation or contract and store on it, in ``stale_changes``, what differs (empty when
  nothing does).

Every write of the product is audited (``openamo.web.audit``), so a receiver on the audit
journal refreshes the decisions after any change, whatever the page, API call or command that
made it. The decision then shows « à revalider » with what changed, appears on the dashboard
of whoever decides, and the steps that depend on it refuse to run (:func:`refuse_if_stale`)
until it is validated again.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db.models.signals import post_save

from openamo.errors import OpenAMOError
from openamo.money import format_euros, format_percent
from openamo.wording import count

if TYPE_CHECKING:
    from openamo.web.audit.models import AuditEvent

STALE_LABEL = "à revalider"


@dataclass(frozen=True)
class Change:
    """One difference between what a decision was made on and what the file now holds."""

    what: str
    before: str
    after: str

    def sentence(self) -> str:
        return f"{self.what} : {self.before} → {self.after}"

    def as_json(self) -> dict[str, str]:
        return {"what": self.what, "before": self.before, "after": self.after}


def diff(recorded: Mapping[str, str], current: Mapping[str, str]) -> list[dict[str, str]]:
    """What differs between two French descriptions (label → shown value) of a decision's
    input, in the order of the labels; a missing label reads « — »."""
    labels = list(recorded) + [label for label in current if label not in recorded]
    return [
        Change(label, recorded.get(label, "—"), current.get(label, "—")).as_json()
        for label in labels
        if recorded.get(label, "—") != current.get(label, "—")
    ]


def changes_of(stored: Iterable[Mapping[str, str]] | None) -> list[Change]:
    return [Change(c["what"], c["before"], c["after"]) for c in stored or []]


def refuse_if_stale(decision: str, stored: Iterable[Mapping[str, str]] | None, step: str) -> None:
    """Refuse ``step`` (« produire le DCE »…) while ``decision`` is to be validated again."""
    changes = changes_of(stored)
    if changes:
        raise OpenAMOError(
            f"À revalider : {decision[:1].lower()}{decision[1:]} ({changes[0].sentence()}"
            + (f", et {count(len(changes) - 1, 'autre changement')}" if len(changes) > 1 else "")
            + "). Cette décision doit être validée à nouveau par le maître d'ouvrage avant de "
            + f"{step}.",
            code="decision_a_revalider",
        )


# --- French values ----------------------------------------------------------------------------


def euros(value: object) -> str:
    try:
        return format_euros(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return "—"


def format_rate(value: object) -> str:
    """A fraction (``0.10``) as a French percentage (``10,00 %``)."""
    try:
        return format_percent(Decimal(str(value)) * 100)
    except (InvalidOperation, ValueError):
        return "—"


def day(value: object) -> str:
    try:
        return f"{datetime.date.fromisoformat(str(value)):%d/%m/%Y}"
    except ValueError:
        return "—"


def yes_no(value: object) -> str:
    if value is None:
        return "non renseigné"
    return "oui" if value else "non"


def plain(value: object) -> str:
    return "—" if value in (None, "") else str(value)


# --- The journal hook -------------------------------------------------------------------------


StaleRefresh = Callable[[int | None, int | None], None]


def _stale_sources() -> list[tuple[frozenset[str], StaleRefresh]]:
    """Each app whose decisions may go stale: the audited object types that may make them
    stale, and how to mark them. Named here so that the type checker sees each call; imported
    in the function because each app's module imports this one."""
    from openamo.web.amendments import decisions as amendments
    from openamo.web.award import decisions as award
    from openamo.web.construction import decisions as construction
    from openamo.web.operations import decisions as operations
    from openamo.web.steering import decisions as steering

    return [
        (module.STALE_TRIGGERS, module.refresh_stale)
        for module in (operations, award, steering, amendments, construction)
    ]


def refresh(operation_id: int | None, contract_id: int | None, object_type: str) -> None:
    for triggers, refresh_stale in _stale_sources():
        if object_type in triggers:
            refresh_stale(operation_id, contract_id)


def _on_audit(
    sender: type[AuditEvent], instance: AuditEvent, created: bool, raw: bool = False, **_: object
) -> None:
    if created and not raw and (instance.operation_id or instance.contract_id):
        refresh(instance.operation_id, instance.contract_id, instance.object_type)


def connect() -> None:
    from openamo.web.audit.models import AuditEvent

    post_save.connect(_on_audit, sender=AuditEvent, dispatch_uid="openamo-revalidation")
