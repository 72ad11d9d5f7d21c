"""Which offers leave the competition, and why: candidacy, irregular / unacceptable /
inappropriate offers (L2152-2 to L2152-4, R2152-1, R2152-2), abnormally low after R2152-4."""

from __future__ import annotations

from decimal import Decimal

from openamo.award.enums import AbnormalOutcome, CandidacyVerdict, OfferStatus
from openamo.award.models import CandidacyResult, EliminatedEntry, OfferInput
from openamo.money import format_euros


def _entry(offer: OfferInput, status: str, reason: str, *references: str) -> EliminatedEntry:
    detail = f" ({offer.status_reason})" if offer.status_reason else ""
    return EliminatedEntry(
        bidder=offer.bidder, status=status, reason=reason + detail, references=list(references)
    )


def excluded_before_comparison(
    offer: OfferInput, candidacy: CandidacyResult | None
) -> EliminatedEntry | None:
    """Offers that are not even compared: irrecevable candidacy, inappropriate offer."""
    if candidacy is not None and candidacy.verdict is CandidacyVerdict.IRRECEVABLE:
        return EliminatedEntry(
            bidder=offer.bidder,
            status="candidature_irrecevable",
            reason="Candidature irrecevable : l'offre n'est pas examinée ("
            + "; ".join(candidacy.reasons)
            + ").",
            references=["CCP R2144-7"],
        )
    if offer.status is OfferStatus.INAPPROPRIEE:
        return _entry(
            offer,
            offer.status.value,
            "Offre inappropriée : sans rapport avec le marché, elle ne peut répondre au besoin "
            "sans modification substantielle ; elle est éliminée.",
            "CCP L2152-4",
            "CCP R2152-1",
        )
    return None


def eliminated(
    offer: OfferInput, price: Decimal, budget: Decimal | None, suspected: bool
) -> EliminatedEntry | None:
    """Offers compared for detection but not ranked."""
    if offer.status is OfferStatus.INACCEPTABLE:
        return _entry(
            offer,
            offer.status.value,
            "Offre inacceptable : elle est éliminée.",
            "CCP L2152-3",
            "CCP R2152-1",
        )
    if budget is not None and price > budget:
        return EliminatedEntry(
            bidder=offer.bidder,
            status=OfferStatus.INACCEPTABLE.value,
            reason=f"Offre inacceptable : son prix ({format_euros(price)} HT) excède les crédits "
            f"budgétaires alloués au marché ({format_euros(budget)} HT), déterminés avant le "
            "lancement de la procédure.",
            references=["CCP L2152-3", "CCP R2152-1"],
        )
    if offer.status is OfferStatus.IRREGULIERE and not (offer.regularised and not suspected):
        why = (
            "la régularisation n'est pas possible tant que l'offre semble anormalement basse"
            if offer.regularised
            else "elle n'a pas été régularisée"
        )
        return _entry(
            offer,
            offer.status.value,
            f"Offre irrégulière : {why} ; elle est éliminée. L'acheteur peut autoriser tous les "
            "soumissionnaires concernés à régulariser leur offre irrégulière dans un délai "
            "approprié, sans en modifier les caractéristiques substantielles, si elle n'est pas "
            "anormalement basse.",
            "CCP L2152-2",
            "CCP R2152-1",
            "CCP R2152-2",
        )
    if offer.abnormally_low_outcome is AbnormalOutcome.REJETEE:
        return _entry(
            offer,
            "anormalement_basse",
            "Offre rejetée comme anormalement basse par décision motivée, après examen des "
            "justifications demandées au soumissionnaire.",
            "CCP L2152-6",
            "CCP R2152-3",
            "CCP R2152-4",
        )
    return None
