"""Explicit mapping between stored rows and the award domain's typed input.

One row maps itself (``Candidacy.to_domain()``, ``Offer.to_domain()``, ``CriteriaSet.to_domain()``);
what several rows make together (the analysis of a lot, the rules the criteria are checked
against) is built here, as the domain's input models.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from openamo.award.models import CriterionInput, LotInput, ScoreInput
from openamo.procurement.enums import Nature, ProcedureKind
from openamo.validation import french_errors
from openamo.web.award.access import Scope
from openamo.web.award.models import Candidacy, CriteriaSet, LotAnalysis, Offer
from openamo.web.operations.models import Consultation, Need


@dataclass(frozen=True)
class Rules:
    """Date, procedure and nature at which the criteria rules are evaluated."""

    date: datetime.date | None
    procedure: ProcedureKind | None
    nature: Nature | None
    standardised_purchase: bool | None


@dataclass(frozen=True)
class RankingSettings:
    """How the lot is awarded, as the RC announced it."""

    winners: int = 1
    tie_break: str = ""
    budget_ht: Decimal | None = None


@dataclass(frozen=True)
class Context:
    """What an analysis or a document of the operation reads besides the offers."""

    need: Need | None
    consultation: Consultation | None
    criteria_set: CriteriaSet | None
    candidacies: list[Candidacy]

    @cached_property
    def criteria(self) -> list[CriterionInput]:
        return self.criteria_set.to_domain() if self.criteria_set else []

    @property
    def standardised(self) -> bool | None:
        return self.criteria_set.standardised_purchase if self.criteria_set else None

    def rules(self, standardised: bool | None) -> Rules:
        consultation = self.consultation
        return Rules(
            date=consultation.launch_date if consultation is not None else None,
            procedure=ProcedureKind(consultation.procedure)
            if consultation is not None and consultation.procedure
            else None,
            nature=Nature(self.need.nature) if self.need is not None else None,
            standardised_purchase=standardised,
        )


def estimate(scope: Scope, need: Need | None) -> Decimal | None:
    if scope.lot is not None:
        return scope.lot.estimated_amount_ht
    return need.estimated_amount_ht if need else None


def score_input(
    context: Context, scope: Scope, offers: Iterable[Offer], analysis: LotAnalysis
) -> ScoreInput:
    """The ``amo offres score`` input of one lot (candidacies of its bidders only)."""
    offers = list(offers)
    bidders = {offer.bidder for offer in offers}
    rules = context.rules(context.standardised)
    with french_errors():
        lot = LotInput(
            name=scope.domain_name,
            offers=[offer.to_domain() for offer in offers],
            winners=analysis.winners,
            estimate_ht=estimate(scope, context.need) or None,
            budget_ht=analysis.budget_ht,
            tie_break=analysis.tie_break or None,
        )
        return ScoreInput(
            date=rules.date,
            procedure=rules.procedure,
            nature=rules.nature,
            standardised_purchase=rules.standardised_purchase,
            criteria=context.criteria,
            lots=[lot],
            candidacies=[c.to_domain() for c in context.candidacies if c.bidder in bidders],
        )


def rules_only_input(
    context: Context, criteria: list[CriterionInput], standardised: bool | None
) -> ScoreInput:
    """An input without offers: the domain then only checks the criteria."""
    rules = context.rules(standardised)
    with french_errors():
        return ScoreInput(
            date=rules.date,
            procedure=rules.procedure,
            nature=rules.nature,
            standardised_purchase=rules.standardised_purchase,
            criteria=criteria,
            offers=[],
        )
