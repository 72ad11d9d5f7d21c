"""Read models of the dashboard and lists: a fixed number of SQL queries whatever the volume."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from openamo.web.operations.access import visible_operations
from openamo.web.operations.models import (
    Consultation,
    ConsultationStatus,
    Lot,
    Operation,
    Share,
    Stage,
)
from openamo.web.organisations.access import (
    deciding_organisation_ids,
    memberships,
    organisation_ids,
)
from openamo.web.organisations.models import Organisation, Role
from openamo.web.search import clean, text_contains
from openamo.web.users import AuthenticatedUser

DASHBOARD_ITEMS = 8


def operation_list(
    user: AuthenticatedUser, search: str = "", stage: str = ""
) -> QuerySet[Operation]:
    """Visible operations, newest first, without joins (so PostgreSQL walks the index)."""
    operations = visible_operations(user)
    search = clean(search)
    if search:
        operations = operations.filter(text_contains(search, "title"))
    if stage in Stage.values:
        operations = operations.filter(stage=stage)
    return operations.order_by("-updated_at", "-pk")


def paginate(
    operations: QuerySet[Operation], number: int | str | None, size: int
) -> tuple[Page[int], list[Operation]]:
    """One page: the identifiers come from the lean ordered query, the rows with their
    buyer, consultation and lot totals are then loaded for these identifiers only."""
    page = Paginator(operations.values_list("pk", flat=True), size).get_page(number)
    ids = list(page.object_list)
    rows = Operation.objects.filter(pk__in=ids).select_related("organisation", "consultation")
    by_id = {op.pk: op for op in rows}
    return page, with_lot_totals(by_id[pk] for pk in ids if pk in by_id)


def with_lot_totals(operations: Iterable[Operation]) -> list[Operation]:
    """Attach ``lot_count`` and ``lots_amount`` to one page of operations (one query)."""
    page = list(operations)
    totals: dict[int, tuple[int, Decimal]] = {
        row["operation_id"]: (row["n"], row["amount"] or Decimal(0))
        for row in Lot.objects.alive()
        .filter(operation_id__in=[op.pk for op in page])
        .values("operation_id")
        .annotate(n=Count("pk"), amount=Sum("estimated_amount_ht"))
    }
    for op in page:
        count, amount = totals.get(op.pk, (0, Decimal(0)))
        op.__dict__.update(lot_count=count, lots_amount=amount)
    return page


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
    awaiting_validation: list[Operation]
    awaiting_validation_total: int
    to_prepare: list[Operation]
    recent: list[Operation]


def dashboard(user: AuthenticatedUser) -> Dashboard:
    visible = visible_operations(user)
    deciding = deciding_organisation_ids(user)
    preparing = [m.organisation_id for m in memberships(user) if m.role != Role.LECTEUR]
    awaiting = visible.filter(
        organisation_id__in=deciding, consultation__status=ConsultationStatus.A_VALIDER
    )
    return Dashboard(
        stage_counts=_stage_counts(visible),
        awaiting_validation=list(
            awaiting.select_related("organisation").order_by("-updated_at")[:DASHBOARD_ITEMS]
        ),
        awaiting_validation_total=awaiting.count() if deciding else 0,
        to_prepare=list(_to_prepare(user, visible, preparing)[:DASHBOARD_ITEMS])
        if preparing
        else [],
        recent=list(
            visible.select_related("organisation").order_by("-updated_at", "-pk")[:DASHBOARD_ITEMS]
        ),
    )


def _to_prepare(
    user: AuthenticatedUser, visible: QuerySet[Operation], org_ids: list[int]
) -> QuerySet[Operation]:
    """Operations in the upstream stage whose procedure has not been analysed yet."""
    # An anti-join rather than ``consultation IS NULL OR status = brouillon``: PostgreSQL
    # misestimates that OR across the outer join and sorts every upstream operation.
    analysed = Consultation.objects.filter(operation=OuterRef("pk")).exclude(
        status=ConsultationStatus.BROUILLON
    )
    pending = visible.filter(stage=Stage.AMONT).exclude(Exists(analysed))
    if set(org_ids) != set(organisation_ids(user)):
        # Only where the user's role lets them prepare (not where they are a lecteur).
        shared = Share.objects.filter(organisation_id__in=org_ids, revoked_at__isnull=True)
        pending = pending.filter(
            Q(organisation_id__in=org_ids) | Q(pk__in=shared.values("operation_id"))
        )
    return pending.select_related("organisation").order_by("-updated_at", "-pk")


def _stage_counts(visible: QuerySet[Operation]) -> list[StageCount]:
    # Grouped by identifier, not by name: PostgreSQL counts from the (organisation, stage)
    # index alone instead of joining every operation to its organisation.
    rows = list(visible.values("organisation_id", "stage").annotate(n=Count("pk")).order_by())
    names = dict(
        Organisation.objects.filter(pk__in={row["organisation_id"] for row in rows}).values_list(
            "pk", "name"
        )
    )
    by_org: dict[str, dict[str, int]] = {}
    for row in sorted(rows, key=lambda row: names[row["organisation_id"]]):
        counts = by_org.setdefault(names[row["organisation_id"]], dict.fromkeys(Stage.values, 0))
        counts[row["stage"]] = row["n"]
    return [StageCount(name, counts) for name, counts in by_org.items()]
