"""The history of a contract: what the audit trail shows, in French."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Model, QuerySet
from django.utils.text import capfirst

from openamo.web.audit.models import Action, AuditEvent
from openamo.web.audit.services import Change, audited_model, model_changes
from openamo.web.contracts import models as m
from openamo.web.contracts.access import ContractAccess
from openamo.web.organisations.models import Membership

_MODELS: dict[str, type[Model]] = {
    "contract": m.Contract,
    "renewal": m.Renewal,
    "subcontractor": m.Subcontractor,
    "revisionterm": m.RevisionTerm,
    "indexvalue": m.IndexValue,
    "pricerevision": m.PriceRevision,
    "order": m.Order,
    "invoice": m.Invoice,
    "serviceorder": m.ServiceOrder,
    "reception": m.Reception,
    "reserve": m.Reserve,
    "penalty": m.Penalty,
    "evaluation": m.Evaluation,
}


def _model(object_type: str) -> type[Model] | None:
    """The model of an audited object: the contract's own, else any app's (avenants, …)."""
    return audited_model(object_type, _MODELS)


def _type_label(object_type: str) -> str:
    model = _model(object_type)
    if model is None:
        return object_type.capitalize()
    return capfirst(str(model._meta.verbose_name))


def history_events(contract: m.Contract, access: ContractAccess) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.filter(contract=contract).order_by("-created_at", "-pk")
    if access.is_holder:
        # The holder sees what concerns its contract, not the buyer's internal file: neither
        # its evaluation of the supplier nor who produced or downloaded which document.
        events = events.exclude(object_type="evaluation").exclude(action=Action.GENERATE)
    return events


@dataclass(frozen=True)
class HistoryEntry:
    """A line of ``partials/_history.html``: the event, who (as the reader may see it), what
    kind of row, and the changes field by field."""

    event: AuditEvent
    actor: str
    type: str
    changes: list[Change]


def history_entries(
    events: Iterable[AuditEvent], access: ContractAccess | None = None
) -> list[HistoryEntry]:
    """Rows of the history; for the holder, the buyer's staff are named by their organisation
    (« Commune de Saint-Exemple »), its own members by their names."""
    own: set[int] = set()
    holder_id = access.contract.holder_organisation_id if access and access.is_holder else None
    if holder_id is not None:
        own = set(
            Membership.objects.filter(organisation_id=holder_id).values_list("user_id", flat=True)
        )
    return [
        HistoryEntry(
            event=event,
            actor=(
                event.actor_label
                if access is None or not access.is_holder or event.actor_id in own
                else access.contract.organisation.name
            ),
            type=_type_label(event.object_type),
            changes=model_changes(event, _model(event.object_type)),
        )
        for event in events
    ]
