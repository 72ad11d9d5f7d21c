"""Read models: the EGAlim year of a buyer (ratios by the domain) and the purchase list, each in
a fixed number of SQL queries whatever the number of purchases."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from openamo.catering import RatiosResult, ratios
from openamo.web.catering.access import BuyerAccess
from openamo.web.catering.mappers import purchase_to_domain, ratios_input, targets_of
from openamo.web.catering.models import (
    FAMILY_LABELS,
    LABEL_NAMES,
    CateringProfile,
    Forecast,
    Purchase,
    PurchaseImport,
)
from openamo.web.catering.requests import Targets


@dataclass(frozen=True)
class MonthRatios:
    month: int
    monthly: RatiosResult
    cumulative: RatiosResult


@dataclass(frozen=True)
class YearRatios:
    year: int
    result: RatiosResult
    months: list[MonthRatios]


def live_purchases(access: BuyerAccess) -> QuerySet[Purchase]:
    return Purchase.objects.alive().filter(organisation=access.organisation)


def purchase_years(access: BuyerAccess) -> list[int]:
    """Years with purchases, newest first (one query)."""
    return [d.year for d in live_purchases(access).dates("date", "year", order="DESC")]


def default_year(years: list[int]) -> int:
    return years[0] if years else timezone.localdate().year


def profile(access: BuyerAccess) -> CateringProfile | None:
    """The buyer's EGAlim profile (who runs the restaurants, where), if set (one query)."""
    return CateringProfile.objects.filter(organisation=access.organisation).first()


def targets(access: BuyerAccess) -> Targets:
    """Whose targets the buyer's purchases are measured against (one query)."""
    return targets_of(access.organisation, profile(access))


def year_ratios(access: BuyerAccess, year: int) -> YearRatios:
    """The domain's ratios for the calendar year, each month, and the year to the end of each
    month (cumulative), from the purchases of the year, against the buyer's targets (three
    queries)."""
    goals = targets(access)
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    purchases = list(
        live_purchases(access)
        .filter(date__gte=start, date__lte=end)
        .only("pk", "date", "family", "amount_ht", "is_meat_or_fish")
        .prefetch_related("label_rows")
        .order_by("date", "pk")
    )
    inputs = [purchase_to_domain(p) for p in purchases]
    result = ratios(ratios_input(start, end, inputs, goals))
    months = []
    present = sorted({p.date.month for p in purchases})
    for month in range(1, (present[-1] if present else 0) + 1):
        first = datetime.date(year, month, 1)
        last = datetime.date(year, month, calendar.monthrange(year, month)[1])
        months.append(
            MonthRatios(
                month=month,
                monthly=ratios(ratios_input(first, last, inputs, goals)),
                cumulative=ratios(ratios_input(start, last, inputs, goals)),
            )
        )
    return YearRatios(year, result, months)


def period_ratios(access: BuyerAccess, start: datetime.date, end: datetime.date) -> RatiosResult:
    """The domain's ratios over any period (a school year, a quarter): a follow-up, the targets
    being assessed over the calendar year (the domain says so in its warnings)."""
    purchases = (
        live_purchases(access)
        .filter(date__gte=start, date__lte=end)
        .only("pk", "date", "family", "amount_ht", "is_meat_or_fish")
        .prefetch_related("label_rows")
    )
    inputs = [purchase_to_domain(p) for p in purchases]
    return ratios(ratios_input(start, end, inputs, targets(access)))


@dataclass(frozen=True)
class PurchaseFilters:
    year: int | None = None
    month: int | None = None
    family: str = ""
    label: str = ""

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> PurchaseFilters:
        def number(name: str, low: int, high: int) -> int | None:
            raw = str(query.get(name, "")).strip()
            return int(raw) if raw.isdigit() and low <= int(raw) <= high else None

        family = str(query.get("famille", ""))
        label = str(query.get("label", ""))
        return cls(
            year=number("annee", 2000, 2100),
            month=number("mois", 1, 12),
            family=family if family in {f.value for f in FAMILY_LABELS} else "",
            label=label if label in {lab.value for lab in LABEL_NAMES} else "",
        )

    def apply(self, purchases: QuerySet[Purchase]) -> QuerySet[Purchase]:
        if self.year:
            purchases = purchases.filter(date__year=self.year)
        if self.month:
            purchases = purchases.filter(date__month=self.month)
        if self.family:
            purchases = purchases.filter(family=self.family)
        if self.label:
            purchases = purchases.filter(label_rows__code=self.label)
        return purchases


@dataclass(frozen=True)
class PurchasePage:
    page: Page[int]
    rows: list[Purchase]
    count: int
    total_ht: Decimal


def purchase_page(
    access: BuyerAccess, filters: PurchaseFilters, number: str | None, size: int
) -> PurchasePage:
    """One page of purchases, newest first, with their contract and labels (fixed queries)."""
    purchases = filters.apply(live_purchases(access))
    totals = purchases.aggregate(n=Count("pk"), total=Sum("amount_ht"))
    ordered = purchases.order_by("-date", "-pk").values_list("pk", flat=True)
    paginator = Paginator(ordered, size)
    paginator.count = totals["n"]  # already counted with the total: no second COUNT query
    page = paginator.get_page(number)
    ids = list(page.object_list)
    by_id = {
        p.pk: p
        for p in Purchase.objects.filter(pk__in=ids)
        .select_related("contract", "source")
        .prefetch_related("label_rows")
    }
    return PurchasePage(
        page=page,
        rows=[by_id[pk] for pk in ids if pk in by_id],
        count=totals["n"],
        total_ht=totals["total"] or Decimal(0),
    )


def recent_imports(access: BuyerAccess, limit: int = 10) -> list[PurchaseImport]:
    return list(
        PurchaseImport.objects.filter(organisation=access.organisation)
        .defer("content")
        .select_related("uploaded_by", "imported_by")
        .order_by("-uploaded_at", "-pk")[:limit]
    )


def year_purchases(access: BuyerAccess, year: int) -> list[Purchase]:
    """Every purchase of the year with its labels, in date order (for the exports)."""
    return list(
        live_purchases(access)
        .filter(date__year=year)
        .prefetch_related("label_rows")
        .order_by("date", "pk")
    )


def buyer_forecasts(access: BuyerAccess) -> list[Forecast]:
    return list(
        Forecast.objects.alive()
        .filter(organisation=access.organisation)
        .defer("input")
        .select_related("operation", "created_by")
        .order_by("-created_at", "-pk")
    )
