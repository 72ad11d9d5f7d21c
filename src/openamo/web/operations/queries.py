"""Read models of the dashboard and lists: a fixed number of SQL queries whatever the volume."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from openamo.web.operations.access import visible_operations
from openamo.web.operations.models import (
    Consultation,
    ConsultationStatus,
    Lot,
    Operation,
    Share,
    Stage,
)
from openamo.web.organisations.access import memberships
from openamo.web.organisations.models import Role

DASHBOARD_ITEMS = 8


def _live_lots() -> Any:
    return Lot.objects.filter(operation=OuterRef("pk"), deleted_at__isnull=True).values("operation")


def with_lot_totals(operations: QuerySet[Operation]) -> QuerySet[Operation]:
    """Number and amount of live lots, as correlated subqueries (computed for the page only)."""
    count = _live_lots().annotate(n=Count("pk")).values("n")
    total = _live_lots().annotate(s=Sum("estimated_amount_ht")).values("s")
    money = DecimalField(max_digits=15, decimal_places=2)
    return operations.annotate(
        lot_count=Coalesce(Subquery(count), Value(0)),
        lots_amount=Coalesce(Subquery(total, output_field=money), Value(0), output_field=money),
    )


def operation_list(user: Any, search: str = "", stage: str = "") -> QuerySet[Operation]:
    operations = visible_operations(user).select_related("organisation", "consultation")
    if search:
        operations = operations.filter(title__icontains=search)
    if stage in Stage.values:
        operations = operations.filter(stage=stage)
    return with_lot_totals(operations).order_by("-updated_at", "-pk")


@dataclass(frozen=True)
class StageCount:
    organisation: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Dashboard:
    stage_counts: list[StageCount]
    deadlines: list[Consultation]
    awaiting_validation: list[Operation]
    awaiting_validation_total: int
    to_prepare: list[Operation]
    recent: list[Operation]


def dashboard(user: Any) -> Dashboard:
    visible = visible_operations(user)
    deciding = [m.organisation_id for m in memberships(user) if m.role == Role.MAITRE_OUVRAGE]
    preparing = [m.organisation_id for m in memberships(user) if m.role != Role.LECTEUR]
    awaiting = visible.filter(
        organisation_id__in=deciding, consultation__status=ConsultationStatus.A_VALIDER
    )
    return Dashboard(
        stage_counts=_stage_counts(visible),
        deadlines=list(
            Consultation.objects.filter(
                operation__in=visible, response_deadline__gte=timezone.localdate()
            )
            .select_related("operation", "operation__organisation")
            .order_by("response_deadline", "pk")[:DASHBOARD_ITEMS]
        ),
        awaiting_validation=list(
            awaiting.select_related("organisation").order_by("-updated_at")[:DASHBOARD_ITEMS]
        ),
        awaiting_validation_total=awaiting.count() if deciding else 0,
        to_prepare=list(_to_prepare(visible, preparing)[:DASHBOARD_ITEMS]) if preparing else [],
        recent=list(
            visible.select_related("organisation", "consultation").order_by("-updated_at")[
                :DASHBOARD_ITEMS
            ]
        ),
    )


def _to_prepare(visible: QuerySet[Operation], org_ids: list[int]) -> QuerySet[Operation]:
    """Operations in the upstream stage whose procedure has not been analysed yet."""
    shared = Share.objects.filter(organisation_id__in=org_ids, revoked_at__isnull=True)
    return (
        visible.filter(stage=Stage.AMONT)
        .filter(Q(organisation_id__in=org_ids) | Q(pk__in=shared.values("operation_id")))
        .filter(Q(consultation__isnull=True) | Q(consultation__status=ConsultationStatus.BROUILLON))
        .select_related("organisation")
        .order_by("-updated_at")
    )


def _stage_counts(visible: QuerySet[Operation]) -> list[StageCount]:
    rows = (
        visible.values("organisation__name", "stage")
        .annotate(n=Count("pk"))
        .order_by("organisation__name")
    )
    by_org: dict[str, dict[str, int]] = {}
    for row in rows:
        by_org.setdefault(row["organisation__name"], dict.fromkeys(Stage.values, 0))
        by_org[row["organisation__name"]][row["stage"]] = row["n"]
    return [StageCount(name, counts) for name, counts in by_org.items()]
