"""Marks → normalised scores → weighted points → totals, ranking with ties, winners.

Every criterion contributes ``weight × normalised score`` (0–1) points; the total is on 100.
Totals are compared once rounded to the cent of a point (what the report publishes), so two
offers that the rounding makes equal share the same rank ("1, 1, 3").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from openamo.award.methods import price_score
from openamo.award.models import (
    CriterionInput,
    CriterionScore,
    GridLevel,
    OfferInput,
    ScoreEntry,
    SubMarkDetail,
)
from openamo.errors import ErrorDetail, OpenAMOError

CENT = Decimal("0.01")
ZERO = Decimal(0)


@dataclass
class ScoredOffer:
    offer: OfferInput
    price: Decimal
    criteria: list[CriterionScore]
    total: Decimal = ZERO
    rank: int = 0

    @property
    def rounded_total(self) -> Decimal:
        return self.total.quantize(CENT, rounding=ROUND_HALF_UP)

    def points(self, criterion: str) -> Decimal:
        for score in self.criteria:
            if score.criterion == criterion:
                return score.points
        raise KeyError(criterion)


@dataclass
class MarkProblems:
    """Bad or missing marks, collected for one French error listing them all."""

    details: list[ErrorDetail] = field(default_factory=list)
    unjustified: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.details.append(ErrorDetail(where, message))

    def raise_if_any(self) -> None:
        if self.details:
            raise OpenAMOError("Notes invalides ou manquantes.", details=self.details)


def score_offer(
    criteria: Sequence[CriterionInput],
    offer: OfferInput,
    price: Decimal,
    prices: Sequence[Decimal],
    problems: MarkProblems,
) -> ScoredOffer:
    where = f"offre de « {offer.bidder} »"
    known = {criterion.name for criterion in criteria}
    for name in offer.scores:
        if name not in known:
            problems.add(f"{where}.scores.{name}", "critère inconnu")
    scores = [_criterion(criterion, offer, price, prices, problems) for criterion in criteria]
    total = sum((score.points for score in scores), ZERO)
    return ScoredOffer(offer=offer, price=price, criteria=scores, total=total)


def _criterion(
    criterion: CriterionInput,
    offer: OfferInput,
    price: Decimal,
    prices: Sequence[Decimal],
    problems: MarkProblems,
) -> CriterionScore:
    where = f"offre de « {offer.bidder} »"
    entry = offer.scores.get(criterion.name)
    if criterion.kind.is_price:
        if entry is not None:
            problems.add(
                f"{where}.scores.{criterion.name}",
                "la note du critère prix est calculée à partir du prix : ne la saisissez pas",
            )
        normalised = price_score(criterion.price_method, price, prices)
        return _result(criterion, normalised, None, None, [])
    if entry is None:
        problems.add(f"{where}.scores.{criterion.name}", "note manquante")
        return _result(criterion, ZERO, None, None, [])
    if criterion.sub_criteria:
        return _with_sub_criteria(criterion, entry, offer.bidder, problems)
    if entry.mark is None:
        problems.add(f"{where}.scores.{criterion.name}", "ce critère n'a pas de sous-critères")
        return _result(criterion, ZERO, None, None, [])
    mark = _checked_mark(
        entry.mark, criterion.scale, criterion.grid, f"{where}.scores.{criterion.name}", problems
    )
    if not entry.justification:
        problems.unjustified.append(f"{offer.bidder} — {criterion.name}")
    return _result(criterion, mark / criterion.scale, mark, entry.justification, [])


def _with_sub_criteria(
    criterion: CriterionInput, entry: ScoreEntry, bidder: str, problems: MarkProblems
) -> CriterionScore:
    where = f"offre de « {bidder} ».scores.{criterion.name}"
    marks = entry.sub_marks
    if marks is None:
        problems.add(where, "une note par sous-critère est attendue")
        return _result(criterion, ZERO, None, None, [])
    expected = {sub.name for sub in criterion.sub_criteria}
    for name in marks:
        if name not in expected:
            problems.add(f"{where}.{name}", "sous-critère inconnu")
    details: list[SubMarkDetail] = []
    points = ZERO
    for sub in criterion.sub_criteria:
        given = marks.get(sub.name)
        scale = criterion.sub_scale(sub)
        if given is None:
            problems.add(f"{where}.{sub.name}", "note manquante")
            continue
        mark = _checked_mark(given.mark, scale, sub.grid, f"{where}.{sub.name}", problems)
        if not given.justification:
            problems.unjustified.append(f"{bidder} — {criterion.name} / {sub.name}")
        sub_points = sub.weight * mark / scale
        points += sub_points
        details.append(
            SubMarkDetail(
                sub_criterion=sub.name,
                mark=mark,
                max_score=scale,
                points=sub_points,
                justification=given.justification,
            )
        )
    return _result(criterion, points / criterion.weight, None, entry.justification, details)


def _checked_mark(
    mark: Decimal,
    scale: Decimal,
    grid: Sequence[GridLevel] | None,
    where: str,
    problems: MarkProblems,
) -> Decimal:
    if mark > scale:
        problems.add(where, f"note {mark} supérieure au barème ({scale})")
        return scale
    if grid and mark not in {level.mark for level in grid}:
        allowed = ", ".join(str(level.mark) for level in grid)
        problems.add(where, f"note {mark} absente de la grille de notation ({allowed})")
    return mark


def _result(
    criterion: CriterionInput,
    normalised: Decimal,
    mark: Decimal | None,
    justification: str | None,
    sub_marks: list[SubMarkDetail],
) -> CriterionScore:
    return CriterionScore(
        criterion=criterion.name,
        kind=criterion.kind,
        weight=criterion.weight,
        mark=mark,
        max_score=None if criterion.kind.is_price else criterion.scale,
        normalised=normalised,
        points=criterion.weight * normalised,
        justification=justification,
        sub_marks=sub_marks,
    )


def rank(offers: list[ScoredOffer], tie_break: str | None = None) -> list[ScoredOffer]:
    """Sort by rounded total (then by the tie-break criterion's points) and number the ranks."""

    def key(offer: ScoredOffer) -> tuple[Decimal, Decimal]:
        second = offer.points(tie_break) if tie_break else ZERO
        return (-offer.rounded_total, -second)

    ordered = sorted(offers, key=lambda offer: (key(offer), offer.offer.bidder))
    previous: tuple[Decimal, Decimal] | None = None
    for position, offer in enumerate(ordered, start=1):
        current = key(offer)
        offer.rank = ordered[position - 2].rank if current == previous else position
        previous = current
    return ordered


def winners(ordered: Sequence[ScoredOffer], count: int) -> list[ScoredOffer]:
    """The offers ranked within the first ``count`` places (more than ``count`` on a tie)."""
    return [offer for offer in ordered if offer.rank <= count]
