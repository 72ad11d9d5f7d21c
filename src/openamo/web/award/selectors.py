"""What other apps read from the award: the winners of the lots whose ranking the buyer's
maître d'ouvrage has validated (the contracts app creates a contract from them)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q

from openamo.web.award.models import AnalysisStatus, Candidacy, LotAnalysis, Offer


@dataclass(frozen=True)
class AwardedOffer:
    lot_id: int | None
    lot_name: str
    bidder: str
    siret: str
    price_ht: Decimal
    rank: int


def awarded(operation_id: int) -> list[AwardedOffer]:
    """Rank-1 offers (and the further winners of a multi-attribution) of every validated lot,
    lot by lot; an empty list while nothing is validated. Two SQL queries."""
    analyses = list(
        LotAnalysis.objects.filter(
            operation_id=operation_id,
            operation__deleted_at__isnull=True,
            status=AnalysisStatus.VALIDEE,
        )
        .filter(Q(lot__isnull=True) | Q(lot__deleted_at__isnull=True))
        .select_related("lot", "operation")
    )
    if not analyses:
        return []
    sirets = {
        (offer.lot_id, offer.bidder): offer.siret
        for offer in Offer.objects.filter(operation_id=operation_id, deleted_at__isnull=True).only(
            "lot_id", "bidder", "siret"
        )
    }
    found: list[AwardedOffer] = []
    for analysis in sorted(analyses, key=lambda a: (a.lot.number if a.lot else 0, a.pk)):
        found += _winners(analysis, sirets)
    return found


def _winners(
    analysis: LotAnalysis, sirets: dict[tuple[int | None, str], str]
) -> list[AwardedOffer]:
    lot_result: dict[str, Any] = (analysis.result.get("lots") or [{}])[0]
    chosen = set(lot_result.get("awarded", []))
    prices = {offer["bidder"]: Decimal(offer["price_ht"]) for offer in lot_result.get("offers", [])}
    name = analysis.lot.name if analysis.lot else analysis.operation.title
    return [
        AwardedOffer(
            lot_id=analysis.lot_id,
            lot_name=name,
            bidder=entry["bidder"],
            siret=sirets.get((analysis.lot_id, entry["bidder"]), ""),
            price_ht=prices[entry["bidder"]],
            rank=int(entry["rank"]),
        )
        for entry in lot_result.get("ranking", [])
        if entry["bidder"] in chosen
    ]


def bidder_sirets(operation_id: int) -> set[str]:
    """The SIRETs of the operation's candidates and bidders: the companies the buyer has a
    relation with, among which it may choose the account of a contract's holder."""
    offers = Offer.objects.filter(operation_id=operation_id, deleted_at__isnull=True)
    candidacies = Candidacy.objects.filter(operation_id=operation_id, deleted_at__isnull=True)
    found = set(offers.values_list("siret", flat=True))
    found |= set(candidacies.values_list("siret", flat=True))
    return found - {""}


def refuse_if_stale(operation_id: int, lot_id: int | None, step: str) -> None:
    """Refuse ``step`` (« créer le marché ») while the procedure choice or the ranking of the
    lot is to be validated again by the maître d'ouvrage (``openamo.web.revalidation``)."""
    from openamo.web.award import decisions
    from openamo.web.operations import decisions as operation_decisions

    operation_decisions.refuse_if_stale(operation_id, step)
    analyses = LotAnalysis.objects.filter(operation_id=operation_id)
    if lot_id is None:
        analysis = analyses.filter(lot__isnull=True).first()
    else:
        analysis = analyses.filter(lot__pk=lot_id).first()
    if analysis is not None:
        decisions.refuse_if_ranking_stale(analysis, step)
