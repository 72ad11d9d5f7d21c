"""Read models across contracts (list, invoices at risk, evaluations by holder): a fixed
number of SQL queries whatever the volume."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, Sum

from openamo.evaluation import overall_mark
from openamo.web.contracts.access import visible_contracts
from openamo.web.contracts.models import Contract, Evaluation, Invoice
from openamo.web.contracts.payments import PaymentStatus, payment_status
from openamo.web.contracts.presenters.payments import DUE_SOON_DAYS
from openamo.web.operations.models import Operation
from openamo.web.organisations.access import organisation_ids
from openamo.web.search import clean, text_contains
from openamo.web.softdelete import alive_through
from openamo.web.users import AuthenticatedUser

DASHBOARD_ROWS = 50


def contract_list(user: AuthenticatedUser, search: str = "") -> QuerySet[Contract]:
    contracts = visible_contracts(user)
    search = clean(search)
    if search:
        contracts = contracts.filter(
            text_contains(search, "title", "reference", "holder_name")
            | Q(holder_siret__startswith=search.replace(" ", ""))
        )
    return contracts.order_by("-updated_at", "-pk")


def paginate(
    contracts: QuerySet[Contract], number: int | str | None, size: int, today: datetime.date
) -> tuple[Page[int], list[Contract]]:
    """One page: identifiers from the lean ordered query, then the rows with their buyer and
    their count of late unpaid invoices (one query)."""
    page = Paginator(contracts.values_list("pk", flat=True), size).get_page(number)
    ids = list(page.object_list)
    late = alive_through("invoices") & Q(invoices__paid_on__isnull=True, invoices__due_on__lt=today)
    rows = (
        Contract.objects.filter(pk__in=ids)
        .select_related("organisation")
        .annotate(late_invoices=Count("invoices", filter=late))
    )
    by_id = {contract.pk: contract for contract in rows}
    return page, [by_id[pk] for pk in ids if pk in by_id]


def operation_contracts(operation: Operation) -> list[Contract]:
    """The live contracts of an operation (its viewers see them all), one query."""
    return list(
        Contract.objects.alive()
        .filter(operation=operation)
        .select_related("lot")
        .order_by("lot__number", "pk")
    )


@dataclass(frozen=True)
class AtRisk:
    late: list[tuple[Invoice, PaymentStatus]]
    due_soon: list[tuple[Invoice, PaymentStatus]]
    paid_late: list[tuple[Invoice, PaymentStatus]]
    late_count: int
    late_total_ttc: Decimal
    due_soon_count: int


def _with_status(
    invoices: QuerySet[Invoice], today: datetime.date
) -> list[tuple[Invoice, PaymentStatus]]:
    rows = invoices.select_related("contract", "contract__organisation")[:DASHBOARD_ROWS]
    return [(invoice, payment_status(invoice.contract, invoice, today)) for invoice in rows]


def invoices_at_risk(user: AuthenticatedUser, today: datetime.date) -> AtRisk:
    """Unpaid invoices past their deadline or due within ``DUE_SOON_DAYS``, and the invoices
    paid late whose interest and indemnity are still to be paid (R2192-36)."""
    base = (
        Invoice.objects.alive()
        .filter(contract__in=visible_contracts(user))
        .order_by("due_on", "pk")
    )
    unpaid = base.filter(paid_on__isnull=True)
    late = unpaid.filter(due_on__lt=today)
    soon = unpaid.filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(DUE_SOON_DAYS))
    paid_late = base.filter(paid_on__isnull=False, days_late__gt=0, interest_due_by__gte=today)
    totals = late.aggregate(n=Count("pk"), ttc=Sum("amount_ttc"))
    return AtRisk(
        late=_with_status(late, today),
        due_soon=_with_status(soon, today),
        paid_late=_with_status(paid_late, today),
        late_count=totals["n"] or 0,
        late_total_ttc=totals["ttc"] or Decimal(0),
        due_soon_count=soon.count(),
    )


def buyer_side_contracts(user: AuthenticatedUser) -> QuerySet[Contract]:
    """The contracts the user follows for a buyer (not those its company holds)."""
    return visible_contracts(user).exclude(holder_organisation_id__in=organisation_ids(user))


def evaluations(user: AuthenticatedUser, search: str = "") -> QuerySet[Evaluation]:
    """The evaluations of the holders of the buyer's contracts, by holder then newest first."""
    found = Evaluation.objects.alive().filter(contract__in=buyer_side_contracts(user))
    search = clean(search)
    if search:
        found = found.filter(
            text_contains(search, "contract__holder_name")
            | Q(contract__holder_siret__startswith=search.replace(" ", ""))
        )
    return found.select_related("contract").order_by(
        "contract__holder_name", "-evaluated_on", "-pk"
    )


@dataclass(frozen=True)
class HolderSummary:
    """A holder's evaluations on the buyer's contracts: how many, its overall mark (the
    domain's), the last one."""

    name: str
    siret: str
    count: int
    mean: Decimal
    last: datetime.date


def holder_summary(evaluations: QuerySet[Evaluation]) -> list[HolderSummary]:
    """One line per holder, by name: its evaluations read in one query, their averages
    combined by ``openamo.evaluation.overall_mark``."""
    rows = evaluations.order_by(
        "contract__holder_name", "contract__holder_siret", "evaluated_on"
    ).values_list("contract__holder_name", "contract__holder_siret", "average", "evaluated_on")
    by_holder: dict[tuple[str, str], list[tuple[Decimal, datetime.date]]] = {}
    for name, siret, average, evaluated_on in rows:
        by_holder.setdefault((name, siret), []).append((average, evaluated_on))
    return [
        HolderSummary(
            name=name,
            siret=siret,
            count=len(marks),
            mean=overall_mark(average for average, _ in marks),
            last=max(day for _, day in marks),
        )
        for (name, siret), marks in by_holder.items()
    ]
