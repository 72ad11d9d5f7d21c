"""The baseline a framing produces and steering measures against: scope, budget, milestones, KPIs.

The same :class:`Baseline` is an output of ``amo projet cadrage`` and an input of
``amo projet pilotage``: what the framing prints can be saved and fed back unchanged.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal

from pydantic import Field, StrictBool, model_validator

from openamo.errors import OpenAMOError
from openamo.money import to_cents
from openamo.steering import _data
from openamo.steering._types import DecimalText, Fraction, Measure, bounded_amount, quantize
from openamo.steering.enums import KpiDirection, MilestoneKind, Priority
from openamo.validation import MAX_AMOUNT, Amount, InputModel, OutputModel

Identifier = str


class Feature(InputModel):
    """One feature of the scope, with its MoSCoW priority and, if known, its estimated cost."""

    id: Identifier | None = Field(default=None, min_length=1, max_length=60)
    name: str = Field(min_length=1, max_length=200)
    priority: Priority
    estimated_cost_ht: Amount | None = None
    description: str | None = Field(default=None, max_length=2000)


class KpiTarget(InputModel):
    """A success indicator with its target (``direction``: is a higher or a lower value better)."""

    id: Identifier | None = Field(default=None, min_length=1, max_length=60)
    name: str = Field(min_length=1, max_length=200)
    unit: str = Field(default="", max_length=40)
    baseline_value: Measure | None = None
    target_value: Measure
    direction: KpiDirection = KpiDirection.HAUSSE
    is_adoption: StrictBool = False
    due_on: date | None = None
    due_months_after_go_live: int | None = Field(default=None, ge=0, le=120)

    @property
    def key(self) -> str:
        return self.id or self.name


class Milestone(InputModel):
    id: Identifier = Field(min_length=1, max_length=60)
    name: str = Field(min_length=1, max_length=200)
    kind: MilestoneKind = MilestoneKind.AUTRE
    planned_on: date


class Baseline(InputModel):
    """Scope, budget and margin, milestones and success KPIs as signed off after the framing."""

    budget_ht: Amount
    margin_rate: Fraction = Field(default_factory=lambda: _default_margin(), ge=0, le=1)
    features: list[Feature] = Field(default_factory=list, max_length=500)
    milestones: list[Milestone] = Field(default_factory=list, max_length=100)
    kpis: list[KpiTarget] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def _consistent(self) -> Baseline:
        if self.budget_ht <= 0:
            raise ValueError("le budget de référence doit être strictement positif")
        if self.budget_ht * (1 + self.margin_rate) >= MAX_AMOUNT:
            raise ValueError("budget avec marge hors limites")
        _unique([m.id for m in self.milestones], "jalon")
        _unique([k.key for k in self.kpis], "indicateur")
        _unique([f.id or f.name for f in self.features], "fonctionnalité")
        for kind in (MilestoneKind.LANCEMENT, MilestoneKind.MISE_EN_SERVICE):
            if sum(1 for m in self.milestones if m.kind is kind) > 1:
                raise ValueError(f"un seul jalon de type « {kind.value} » est possible")
        return self

    @property
    def margin_ht(self) -> Decimal:
        return to_cents(self.budget_ht * self.margin_rate)

    @property
    def budget_with_margin_ht(self) -> Decimal:
        return to_cents(self.budget_ht) + self.margin_ht

    def milestone(self, kind: MilestoneKind) -> Milestone | None:
        return next((m for m in self.milestones if m.kind is kind), None)

    @property
    def in_scope(self) -> list[Feature]:
        return [f for f in self.features if f.priority is not Priority.EXCLUE]


class BaselineSummary(OutputModel):
    budget_ht: Amount
    margin_rate: DecimalText
    margin_ht: Amount
    budget_with_margin_ht: Amount
    features_in_scope: int
    features_cost_ht: Amount | None
    indispensable_share: DecimalText | None
    go_live_on: date | None
    planned_duration_days: int | None


def summarise(baseline: Baseline) -> BaselineSummary:
    kickoff = baseline.milestone(MilestoneKind.LANCEMENT)
    go_live = baseline.milestone(MilestoneKind.MISE_EN_SERVICE)
    costs = [f.estimated_cost_ht for f in baseline.in_scope]
    return BaselineSummary(
        budget_ht=baseline.budget_ht,
        margin_rate=baseline.margin_rate,
        margin_ht=baseline.margin_ht,
        budget_with_margin_ht=baseline.budget_with_margin_ht,
        features_in_scope=len(baseline.in_scope),
        features_cost_ht=bounded_amount(sum((c for c in costs if c is not None), Decimal(0)))
        if costs and all(c is not None for c in costs)
        else None,
        indispensable_share=indispensable_share(baseline.in_scope),
        go_live_on=go_live.planned_on if go_live else None,
        planned_duration_days=(go_live.planned_on - kickoff.planned_on).days
        if go_live and kickoff
        else None,
    )


def indispensable_share(features: list[Feature]) -> Decimal | None:
    """Share of the scope that is indispensable: by estimated cost when every feature has one
    (DSDM measures it on effort), otherwise by number of features."""
    if not features:
        return None
    indispensable = [f for f in features if f.priority is Priority.INDISPENSABLE]
    costs = [f.estimated_cost_ht for f in features]
    if all(c is not None for c in costs):
        total = sum((c for c in costs if c is not None), Decimal(0))
        if total > 0:
            part = sum((f.estimated_cost_ht or Decimal(0) for f in indispensable), Decimal(0))
            return quantize(part / total, 4)
    return quantize(Decimal(len(indispensable)) / Decimal(len(features)), 4)


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, clamped to the end of a shorter month (31/01 + 1 → 28/02)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if not 1 <= year <= 9999:
        raise OpenAMOError(f"Date hors limites : {day.isoformat()} + {months} mois.")
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def shift(day: date, days: int) -> date:
    """``day`` moved by ``days`` (negative: earlier), with a French error outside the calendar."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        raise OpenAMOError(
            f"Date hors limites : {day.isoformat()} décalée de {days} jours."
        ) from None


def _default_margin() -> Decimal:
    return _data.thresholds().default_margin_rate.value


def _unique(keys: list[str], what: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise ValueError(f"{what} « {key} » en double")
        seen.add(key)
