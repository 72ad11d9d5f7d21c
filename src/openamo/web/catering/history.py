"""The audit trail of a buyer's catering data: purchases, imports and forecasts."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from openamo.web.audit.models import AuditEvent
from openamo.web.audit.services import HistoryEntry, model_changes
from openamo.web.catering.access import BuyerAccess
from openamo.web.catering.models import CateringProfile, Forecast, Purchase, PurchaseImport

_MODELS: dict[str, type[models.Model]] = {
    "purchase": Purchase,
    "purchaseimport": PurchaseImport,
    "forecast": Forecast,
    "cateringprofile": CateringProfile,
}
_TYPE_LABELS = {
    "purchase": "Achat",
    "purchaseimport": "Import d'achats",
    "forecast": "Prévision",
    "cateringprofile": "Profil EGAlim",
}
_EXTRA_LABELS = {
    "labels": "labels",
    "imported_count": "achats importés",
    "rejected_lines": "lignes écartées",
    "total_ht": "total HT importé",
    "digest": "empreinte du fichier",
}


def _ids(model: type[models.Model], access: BuyerAccess) -> QuerySet[models.Model, str]:
    # object_id is text in the shared audit table: compare it with the ids cast to text.
    ids: QuerySet[models.Model, str] = (
        model._default_manager.filter(organisation=access.organisation)
        .annotate(text_id=Cast("pk", output_field=CharField()))
        .values_list("text_id", flat=True)
    )
    return ids


def history_events(access: BuyerAccess) -> QuerySet[AuditEvent]:
    condition = Q()
    for object_type, model in _MODELS.items():
        condition |= Q(object_type=object_type, object_id__in=_ids(model, access))
    return AuditEvent.objects.filter(condition).order_by("-created_at", "-pk")


def history_entries(events: Iterable[AuditEvent]) -> list[HistoryEntry]:
    return [
        HistoryEntry(
            event=event,
            actor=event.actor_label,
            type=_TYPE_LABELS.get(event.object_type, event.object_type),
            changes=model_changes(event, _MODELS[event.object_type], _EXTRA_LABELS),
        )
        for event in events
    ]
