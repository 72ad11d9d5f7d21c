"""Explicit mapping between stored rows and the award domain's input (JSON contract form)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openamo.award.models import CriterionInput
from openamo.money import format_amount
from openamo.validation import parse_input
from openamo.web.award.access import Scope
from openamo.web.award.models import Candidacy, CriteriaSet, LotAnalysis, Offer
from openamo.web.operations.models import Consultation, Need

CANDIDACY_FIELDS = (
    "application_form",
    "declaration_form",
    "sworn_statement",
    "powers_of_signatory",
    "economic_capacity",
    "technical_capacity",
    "capacities_sufficient",
    "exclusion_ground",
    "regularisation_requested",
    "regularised",
)


@dataclass(frozen=True)
class Context:
    """What an analysis or a document of the operation reads besides the offers."""

    need: Need | None
    consultation: Consultation | None
    criteria_set: CriteriaSet | None
    candidacies: list[Candidacy]

    @property
    def criteria(self) -> list[dict[str, Any]]:
        return list(self.criteria_set.criteria) if self.criteria_set else []

    def criteria_models(self) -> list[CriterionInput]:
        return [parse_input(CriterionInput, c) for c in self.criteria]

    @property
    def standardised(self) -> bool | None:
        return self.criteria_set.standardised_purchase if self.criteria_set else None

    def rules_input(self, standardised: bool | None) -> dict[str, Any]:
        """Date, procedure and nature at which the criteria rules are evaluated."""
        data: dict[str, Any] = {}
        consultation = self.consultation
        if consultation is not None and consultation.launch_date:
            data["date"] = consultation.launch_date.isoformat()
        if consultation is not None and consultation.procedure:
            data["procedure"] = consultation.procedure
        if self.need is not None:
            data["nature"] = self.need.nature
        if standardised is not None:
            data["standardised_purchase"] = standardised
        return data


def candidacy_input(candidacy: Candidacy) -> dict[str, Any]:
    data: dict[str, Any] = {"bidder": candidacy.bidder}
    for name in CANDIDACY_FIELDS:
        value = getattr(candidacy, name)
        if value is not None:
            data[name] = value
    if candidacy.comment:
        data["comment"] = candidacy.comment
    return data


def offer_input(offer: Offer) -> dict[str, Any]:
    data: dict[str, Any] = {
        "bidder": offer.bidder,
        "price_ht": format_amount(offer.price_ht),
        "scores": offer.marks,
        "status": offer.status,
        "regularised": offer.regularised,
    }
    optional = {
        "status_reason": offer.status_reason,
        "abnormally_low_outcome": offer.abnormally_low_outcome,
        "abnormally_low_note": offer.abnormally_low_note,
        "dqe": offer.dqe,
    }
    data.update({key: value for key, value in optional.items() if value})
    return data


def estimate(scope: Scope, need: Need | None) -> Decimal | None:
    if scope.lot is not None:
        return scope.lot.estimated_amount_ht
    return need.estimated_amount_ht if need else None


def score_input(
    context: Context, scope: Scope, offers: Iterable[Offer], analysis: LotAnalysis
) -> dict[str, Any]:
    """The ``amo offres score`` input of one lot (candidacies of its bidders only)."""
    offers = list(offers)
    bidders = {offer.bidder for offer in offers}
    lot: dict[str, Any] = {
        "name": scope.domain_name,
        "offers": [offer_input(offer) for offer in offers],
        "winners": analysis.winners,
    }
    amount = estimate(scope, context.need)
    if amount:
        lot["estimate_ht"] = format_amount(amount)
    if analysis.budget_ht is not None:
        lot["budget_ht"] = format_amount(analysis.budget_ht)
    if analysis.tie_break:
        lot["tie_break"] = analysis.tie_break
    return {
        **context.rules_input(context.standardised),
        "criteria": context.criteria,
        "lots": [lot],
        "candidacies": [candidacy_input(c) for c in context.candidacies if c.bidder in bidders],
    }


def rules_only_input(
    context: Context, criteria: list[dict[str, Any]], standardised: bool | None
) -> dict[str, Any]:
    """An input without offers: the domain then only checks the criteria."""
    return {**context.rules_input(standardised), "criteria": criteria, "offers": []}
