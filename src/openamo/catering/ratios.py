"""EGAlim ratios: shares in value HT of quality & sustainable products (≥ 50 %), organic (≥ 20 %)
and, among meat and fish, quality & sustainable (≥ 60 %) — CRPM L230-5-1, R230-30-1.

Each purchase counts once, whatever its number of labels: it is "durable et de qualité" if at
least one of its labels counts at its date, organic if it is ``bio``. For the breakdown by
category, ma cantine's order decides (bio, then SIQO, then other EGAlim labels, then
externalities/performance). A label counts only while the law lists it (dated in
``law/parameters/catering/labels``: the certification environnementale de niveau 2 stops on
31 December 2026); a purchase without a date must be covered on the whole period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from openamo import law
from openamo.catering.enums import CATEGORY_ORDER, Category, CateringBuyer, Family, Label, Territory
from openamo.catering.models import (
    Compliance,
    FamilyTotals,
    Period,
    PurchaseInput,
    RatiosInput,
    RatiosResult,
)
from openamo.errors import LawDataError
from openamo.money import CENT, format_euros, format_share
from openamo.validation import parse_input
from openamo.wording import count

TARGETS = {
    "quality_50": "catering.targets.qualite_durable",
    "organic_20": "catering.targets.bio",
    "meat_fish_60": "catering.targets.viandes_poissons",
}
TARGET_LABELS = {
    "quality_50": "de produits durables et de qualité",
    "organic_20": "de produits bio",
    "meat_fish_60": "de viandes et poissons durables et de qualité",
}
"""What each target counts; its figure comes from the law parameter of the period."""


OVERSEAS_TARGETS = {
    "groupe_1": (
        "catering.targets.outre_mer.qualite_durable_groupe_1",
        "catering.targets.outre_mer.bio_groupe_1",
    ),
    "mayotte": (
        "catering.targets.outre_mer.qualite_durable_mayotte",
        "catering.targets.outre_mer.bio_mayotte",
    ),
    "saint_pierre_et_miquelon": (
        "catering.targets.outre_mer.qualite_durable_saint_pierre_et_miquelon",
        "catering.targets.outre_mer.bio_saint_pierre_et_miquelon",
    ),
}
"""The staged overseas targets of décret n° 2021-1235, by group of territories."""


def target_paths(buyer: CateringBuyer, territory: Territory) -> dict[str, str]:
    """The parameters of this restaurant's targets: overseas stages (décret n° 2021-1235) for
    the 50 % and 20 %, the State's 100 % for meat and fish (CRPM L230-5-1)."""
    paths = dict(TARGETS)
    if territory.group is not None:
        paths["quality_50"], paths["organic_20"] = OVERSEAS_TARGETS[territory.group]
    if buyer.is_state:
        paths["meat_fish_60"] = "catering.targets.viandes_poissons_etat"
    return paths


METHOD_REFERENCE = (
    "CRPM R230-30-1 (proportions en valeur HT des achats de l'année civile, décret n° 2019-351)"
)


class LabelCalendar:
    """Whether a label counts on a day, from the dated law data (cached)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[Label, date], bool] = {}

    def counts(self, label: Label, day: date) -> bool:
        key = (label, day)
        if key not in self._cache:
            try:
                self._cache[key] = law.at(day).get(label.parameter).value is True
            except LawDataError:
                self._cache[key] = False
        return self._cache[key]

    def counts_over(self, label: Label, start: date, end: date) -> bool:
        """Validity is one interval: counting at both ends means counting all along."""
        return self.counts(label, start) and self.counts(label, end)


@dataclass(frozen=True)
class Counted:
    """A purchase as counted: the labels that count, and those that do not at its date."""

    family: Family
    amount: Decimal
    labels: frozenset[Label]
    ignored: frozenset[Label]
    meat_or_fish: bool

    @property
    def category(self) -> Category:
        return category_of(self.labels)


@lru_cache(maxsize=1024)
def category_of(labels: frozenset[Label]) -> Category:
    """ma cantine's counting order decides the one category of a multi-label product."""
    categories = {label.category for label in labels}
    return next((c for c in CATEGORY_ORDER if c in categories), Category.NON_EGALIM)


def count_purchase(
    family: Family,
    amount: Decimal,
    labels: Iterable[Label],
    meat_or_fish: bool | None,
    when: date | tuple[date, date],
    calendar: LabelCalendar,
) -> Counted:
    counting: set[Label] = set()
    ignored: set[Label] = set()
    for label in set(labels):
        valid = (
            calendar.counts_over(label, *when)
            if isinstance(when, tuple)
            else calendar.counts(label, when)
        )
        (counting if valid else ignored).add(label)
    fish = family.meat_or_fish if meat_or_fish is None else meat_or_fish
    return Counted(family, amount, frozenset(counting), frozenset(ignored), fish)


@dataclass
class Totals:
    count: int = 0
    total: Decimal = Decimal(0)
    quality: Decimal = Decimal(0)
    organic: Decimal = Decimal(0)
    meat_fish: Decimal = Decimal(0)
    meat_fish_quality: Decimal = Decimal(0)
    by_category: dict[Category, Decimal] = field(default_factory=dict)
    by_family: dict[Family, list[Decimal]] = field(default_factory=dict)
    ignored: dict[Label, Decimal] = field(default_factory=dict)

    def add(self, item: Counted) -> None:
        quality = bool(item.labels)
        organic = Label.BIO in item.labels
        self.count += 1
        self.total += item.amount
        self.quality += item.amount if quality else 0
        self.organic += item.amount if organic else 0
        if item.meat_or_fish:
            self.meat_fish += item.amount
            self.meat_fish_quality += item.amount if quality else 0
        category = item.category
        self.by_category[category] = self.by_category.get(category, Decimal(0)) + item.amount
        family = self.by_family.setdefault(item.family, [Decimal(0)] * 3)
        family[0] += item.amount
        family[1] += item.amount if quality else 0
        family[2] += item.amount if organic else 0
        for label in item.ignored:
            self.ignored[label] = self.ignored.get(label, Decimal(0)) + item.amount


def totals(items: Iterable[Counted]) -> Totals:
    result = Totals()
    for item in items:
        result.add(item)
    return result


def share(part: Decimal, whole: Decimal) -> Decimal:
    return part / whole if whole else Decimal(0)


def target(path: str, day: date) -> tuple[Decimal, str, bool]:
    """(target, reference, in force on ``day``); before entry into force, the first value."""
    try:
        found = law.at(day).get(path)
        return Decimal(str(found.value)), found.reference, True
    except LawDataError:
        first = law.parameter(path).values[0]
        if day >= first.start:
            raise
        return Decimal(str(first.value)), first.reference, False


def _needed(rate: Decimal, whole: Decimal, part: Decimal) -> Decimal:
    return max(rate * whole - part, Decimal(0)).quantize(CENT, rounding=ROUND_CEILING)


def build_result(
    counted: list[Counted],
    period: Period,
    warnings: list[str],
    extra_references: list[str],
    buyer: CateringBuyer = CateringBuyer.AUTRE,
    territory: Territory = Territory.METROPOLE,
) -> RatiosResult:
    t = totals(counted)
    paths = target_paths(buyer, territory)
    shares = {
        "quality_50": share(t.quality, t.total),
        "organic_20": share(t.organic, t.total),
        "meat_fish_60": share(t.meat_fish_quality, t.meat_fish),
    }
    goals: dict[str, Decimal] = {}
    references = [METHOD_REFERENCE]
    for key, path in paths.items():
        goals[key], reference, in_force = target(path, period.end)
        if reference not in references:
            references.append(reference)
        if not in_force:
            warnings.append(
                f"L'objectif de {format_share(goals[key])} {TARGET_LABELS[key]} n'était pas "
                "encore en vigueur le "
                f"{period.end:%d/%m/%Y} : la comparaison est indicative."
            )
    warnings += _data_warnings(t, period)
    compliant = {key: t.count > 0 and shares[key] >= goals[key] for key in TARGETS}
    if t.meat_fish == 0:
        compliant["meat_fish_60"] = False
    return RatiosResult(
        period=period,
        purchases=t.count,
        total_ht=t.total,
        quality_sustainable_ht=t.quality,
        organic_ht=t.organic,
        meat_fish_ht=t.meat_fish,
        meat_fish_quality_ht=t.meat_fish_quality,
        quality_sustainable_share=_fixed(shares["quality_50"], 4),
        organic_share=_fixed(shares["organic_20"], 4),
        meat_fish_quality_share=_fixed(shares["meat_fish_60"], 4),
        quality_sustainable_percent=_fixed(shares["quality_50"] * 100, 2),
        organic_percent=_fixed(shares["organic_20"] * 100, 2),
        meat_fish_quality_percent=_fixed(shares["meat_fish_60"] * 100, 2),
        targets={
            "quality": _fixed(goals["quality_50"], 2),
            "organic": _fixed(goals["organic_20"], 2),
            "meat_fish": _fixed(goals["meat_fish_60"], 2),
        },
        buyer=buyer,
        territory=territory,
        compliant=Compliance(**compliant),
        missing_ht={
            "quality_50": _needed(goals["quality_50"], t.total, t.quality),
            "organic_20": _needed(goals["organic_20"], t.total, t.organic),
            "meat_fish_60": _needed(goals["meat_fish_60"], t.meat_fish, t.meat_fish_quality),
        },
        by_category={c.value: t.by_category.get(c, Decimal(0)) for c in Category},
        by_family={
            f.value: FamilyTotals(total_ht=v[0], quality_sustainable_ht=v[1], organic_ht=v[2])
            for f, v in sorted(t.by_family.items())
        },
        warnings=warnings,
        references=references + extra_references,
        explanation=_explain(t, period, shares, goals, compliant) + _scope(buyer, territory),
    )


def _scope(buyer: CateringBuyer, territory: Territory) -> str:
    parts = []
    if territory is not Territory.METROPOLE:
        parts.append(
            f"Restaurant situé {territory.located} : objectifs de produits durables et de bio "
            "adaptés à l'outre-mer, par paliers (décret n° 2021-1235)."
        )
    if buyer.is_state:
        parts.append(
            f"{buyer.label[0].upper()}{buyer.label[1:]} : la totalité des viandes et produits de "
            "la pêche doit être durable et de qualité (CRPM L230-5-1)."
        )
    return "".join(" " + part for part in parts)


def _data_warnings(t: Totals, period: Period) -> list[str]:
    warnings = []
    if t.count == 0 or t.total == 0:
        warnings.append("Aucun achat (ou montant total nul) : ratios non significatifs.")
    if t.meat_fish == 0 and t.count:
        warnings.append(
            "Aucun achat de viande ou de poisson : le ratio des 60 % ne peut être calculé "
            "(la charcuterie n'en fait pas partie par défaut, comme sur ma cantine)."
        )
    calendar_year = period.start == date(period.start.year, 1, 1) and period.end == date(
        period.start.year, 12, 31
    )
    if not calendar_year:
        warnings.append(
            "Les objectifs s'apprécient sur une année civile (R230-30-1) : sur cette période, les "
            "ratios sont un suivi intermédiaire."
        )
    for label, amount in sorted(t.ignored.items()):
        warnings.append(
            f"Label « {label.label} » non compté à la date des achats ({format_euros(amount)} HT) : "
            "la catégorie ne figure pas (ou plus) dans la liste légale à cette date, ou l'achat "
            "n'est pas daté et la période dépasse sa validité."
        )
    return warnings


def _fixed(value: Decimal, places: int) -> str:
    """Half-up rounding, written with exactly ``places`` decimals."""
    return f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):.{places}f}"


def _pct(value: Decimal) -> str:
    return _fixed(value * 100, 2).replace(".", ",") + " %"


def _explain(
    t: Totals,
    period: Period,
    shares: dict[str, Decimal],
    goals: dict[str, Decimal],
    compliant: dict[str, bool],
) -> str:
    def verdict(key: str) -> str:
        return f"objectif {_pct(goals[key])} : {'atteint' if compliant[key] else 'non atteint'}"

    return (
        f"Du {period.start:%d/%m/%Y} au {period.end:%d/%m/%Y}, {count(t.count, 'achat')} pour "
        f"{format_euros(t.total)} HT : produits durables et de qualité {_pct(shares['quality_50'])} "
        f"({verdict('quality_50')}), dont bio {_pct(shares['organic_20'])} "
        f"({verdict('organic_20')}) ; viandes et poissons durables et de qualité "
        f"{_pct(shares['meat_fish_60'])} des {format_euros(t.meat_fish)} HT de viandes et poissons "
        f"({verdict('meat_fish_60')}). Chaque achat n'est compté qu'une fois, quels que soient ses "
        "labels ; un produit bio compte aussi dans les produits durables et de qualité."
    )


def ratios(data: RatiosInput) -> RatiosResult:
    calendar = LabelCalendar()
    counted: list[Counted] = []
    outside = Decimal(0)
    outside_count = 0
    for purchase in data.purchases:
        if purchase.date is not None and not data.period.start <= purchase.date <= data.period.end:
            outside += purchase.amount_ht
            outside_count += 1
            continue
        counted.append(_count(purchase, data.period, calendar))
    warnings = []
    if outside_count:
        warnings.append(
            f"{count(outside_count, 'achat daté')} hors de la période ({format_euros(outside)} HT) "
            + ("écarté" if outside_count < 2 else "écartés")
            + " du calcul."
        )
    return build_result(counted, data.period, warnings, [], data.buyer, data.territory)


def _count(purchase: PurchaseInput, period: Period, calendar: LabelCalendar) -> Counted:
    when: date | tuple[date, date] = purchase.date or (period.start, period.end)
    return count_purchase(
        purchase.family,
        purchase.amount_ht,
        purchase.labels,
        purchase.is_meat_or_fish,
        when,
        calendar,
    )


def ratios_from_dict(data: Any) -> RatiosResult:
    return ratios(parse_input(RatiosInput, data))
