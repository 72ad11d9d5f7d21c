"""Would the award change if the undisclosed sub-criteria weights were equal?

Candidates who were not told the weights of sub-criteria can only assume they are equal. When
that assumption changes the winners, the hidden weighting influenced the selection and had to be
published (CE 18 juin 2010, Commune de Saint-Pal-de-Mons, n° 337377).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from openamo.award.models import CriterionInput
from openamo.award.scoring import MarkProblems, ScoredOffer, rank, score_offer, winners


def equal_hidden_weights(criterion: CriterionInput) -> CriterionInput:
    hidden = [sub for sub in criterion.sub_criteria if not sub.disclosed]
    if not hidden:
        return criterion
    shown = sum((sub.weight for sub in criterion.sub_criteria if sub.disclosed), Decimal(0))
    share = (criterion.weight - shown) / len(hidden)
    subs = [
        sub if sub.disclosed else sub.model_copy(update={"weight": share})
        for sub in criterion.sub_criteria
    ]
    return criterion.model_copy(update={"sub_criteria": subs})


def undisclosed_weights_change_winner(
    criteria: Sequence[CriterionInput],
    ordered: Sequence[ScoredOffer],
    prices: dict[str, Decimal],
    count: int,
) -> str | None:
    """A French description of the change of winners, or ``None`` when nothing changes."""
    if not any(not sub.disclosed for c in criteria for sub in c.sub_criteria) or not ordered:
        return None
    alternative = [equal_hidden_weights(criterion) for criterion in criteria]
    compared = [offer.price for offer in ordered]
    rescored = [
        score_offer(alternative, offer.offer, prices[offer.offer.bidder], compared, MarkProblems())
        for offer in ordered
    ]
    actual = sorted(offer.offer.bidder for offer in winners(ordered, count))
    assumed = sorted(offer.offer.bidder for offer in winners(rank(rescored), count))
    if actual == assumed:
        return None
    return f"{', '.join(assumed)} au lieu de {', '.join(actual)}"
