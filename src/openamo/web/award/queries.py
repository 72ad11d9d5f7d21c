"""What other apps read from the award: the winners of the lots whose ranking the buyer's
maître d'ouvrage has validated (the contracts app creates a contract from them)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from openamo.web.award.models import AnalysisStatus, Candidacy, LotAnalysis, Offer
from openamo.web.softdelete import alive_through


@dataclass(frozen=True)
class AwardedOffer:
    lot_id: int | None
    lot_name: str
    bidder: str
    siret: str
    price_ht: Decimal
    rank: int
    lot_number: int | None = None
    postal_address: str = ""


def awarded(operation_id: int) -> list[AwardedOffer]:
    """Rank-1 offers (and the further winners of a multi-attribution) of every validated lot,
    lot by lot; an empty list while nothing is validated. Two SQL queries."""
    analyses = list(
        LotAnalysis.objects.filter(
            alive_through("operation"),
            alive_through("lot"),
            operation_id=operation_id,
            status=AnalysisStatus.VALIDEE,
        ).select_related("lot", "operation")
    )
    if not analyses:
        return []
    offers = {
        (offer.lot_id, offer.bidder): offer
        for offer in Offer.objects.alive()
        .filter(operation_id=operation_id)
        .only("lot_id", "bidder", "siret", "postal_address")
    }
    found: list[AwardedOffer] = []
    for analysis in sorted(analyses, key=lambda a: (a.lot.number if a.lot else 0, a.pk)):
        found += _winners(analysis, offers)
    return found


def _winners(
    analysis: LotAnalysis, offers: dict[tuple[int | None, str], Offer]
) -> list[AwardedOffer]:
    lot_result = analysis.lot_outcome()
    if lot_result is None:
        return []
    chosen = set(lot_result.awarded)
    prices = {detail.bidder: detail.price_ht for detail in lot_result.offers}
    name = analysis.lot.name if analysis.lot else analysis.operation.title
    winners = []
    for entry in lot_result.ranking:
        if entry.bidder not in chosen:
            continue
        offer = offers.get((analysis.lot_id, entry.bidder))
        winners.append(
            AwardedOffer(
                lot_id=analysis.lot_id,
                lot_name=name,
                bidder=entry.bidder,
                siret=offer.siret if offer else "",
                price_ht=prices[entry.bidder],
                rank=entry.rank,
                lot_number=analysis.lot.number if analysis.lot else None,
                postal_address=offer.postal_address if offer else "",
            )
        )
    return winners


def bidder_sirets(operation_id: int) -> set[str]:
    """The SIRETs of the operation's candidates and bidders: the companies the buyer has a
    relation with, among which it may choose the account of a contract's holder."""
    offers = Offer.objects.alive().filter(operation_id=operation_id)
    candidacies = Candidacy.objects.alive().filter(operation_id=operation_id)
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


@dataclass(frozen=True)
class ContractTerms:
    """What the consultation file (DCE) fixed for the contract of a lot: the contract created
    from the award takes it over instead of having it typed again."""

    reference: str
    price_form: str
    fixed_part: Decimal | None
    revision_terms: list[dict[str, str]]
    revision_base_month: str
    revision_periodicity_months: int | None
    is_framework: bool
    maximum_amount_ht: Decimal | None
    ccag: str
    advance_percent: Decimal | None
    retention_percent: Decimal | None
    daily_penalty_ht: Decimal | None


DCE_PRICE_FORMS = {"ferme": "ferme", "ferme_actualisable": "actualisable", "revisable": "revisable"}
"""The DCE's price forms (``openamo.award.consultation.PriceForm``) as the contract names them."""


def contract_terms(operation_id: int, lot_id: int | None) -> ContractTerms | None:
    """The clauses of the operation's DCE for the lot (``None``: the whole contract), or
    ``None`` while the DCE settings were never saved. One SQL query."""
    from openamo.web.award import lines
    from openamo.web.award.access import GLOBAL
    from openamo.web.award.models import DceSettings

    settings = DceSettings.objects.filter(operation_id=operation_id).first()
    if settings is None:
        return None
    typed = settings.request()
    price_form = DCE_PRICE_FORMS[typed.price_form.value]
    revisable = price_form == "revisable"
    try:
        terms = lines.revision_terms(typed.revision_terms) if revisable else []
        penalties = lines.penalties(typed.penalties)
    except ValueError:
        terms, penalties = [], []
    daily = [p.amount_ht for p in penalties if "jour" in p.per.lower()]
    framework = typed.contract_form.is_framework
    maximum = typed.lot(lot_id if lot_id is not None else GLOBAL).max_amount_ht
    return ContractTerms(
        reference=typed.reference,
        price_form=price_form,
        fixed_part=typed.revision_fixed_part if revisable else None,
        revision_terms=[
            {"weight": str(t.weight), "index_name": t.index_name[:80], "label": t.index_name}
            for t in terms
        ],
        revision_base_month=typed.revision_base_month if revisable else "",
        revision_periodicity_months=_months(typed.revision_periodicity),
        is_framework=framework,
        maximum_amount_ht=maximum if framework else None,
        ccag=typed.ccag,
        advance_percent=typed.advance_percent,
        retention_percent=typed.retention_percent,
        daily_penalty_ht=daily[0] if daily else None,
    )


PERIODICITIES = {"mensuel": 1, "trimestriel": 3, "semestriel": 6, "annuel": 12}


def _months(text: str) -> int | None:
    """« annuelle, à chaque date anniversaire » → 12; ``None`` when the text says no period."""
    lowered = text.lower()
    for word, months in PERIODICITIES.items():
        if word in lowered:
            return months
    return None
