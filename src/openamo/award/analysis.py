"""Analysis of the offers of a consultation, lot by lot (CLI contract ``amo offres score``).

Order of the analysis, as a buyer's report follows it: candidacies → offers that cannot be
compared → detection of abnormally low offers among the others → offers that cannot be ranked
→ scoring and ranking of the regular, acceptable and appropriate offers (R2152-6) → proposal of
award (one or several winners per lot).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from openamo import law as law_data
from openamo.award import abnormal
from openamo.award._findings import Findings
from openamo.award.candidacies import check_candidacies
from openamo.award.criteria import check_criteria
from openamo.award.enums import AbnormalOutcome, CandidacyVerdict, CheckLevel, OfferStatus
from openamo.award.models import (
    AbnormalEntry,
    CandidacyResult,
    CriterionInput,
    EliminatedEntry,
    LotResult,
    OfferInput,
    ScoreInput,
    ScoreResult,
)
from openamo.award.offers import eliminated, excluded_before_comparison
from openamo.award.outcome import LotAnalysis, assemble, lot_result
from openamo.award.scoring import MarkProblems, ScoredOffer, rank, score_offer, winners
from openamo.award.sensitivity import undisclosed_weights_change_winner
from openamo.errors import OpenAMOError
from openamo.law import LawSnapshot
from openamo.money import format_euros, to_cents
from openamo.validation import parse_input

PARIS = ZoneInfo("Europe/Paris")


@dataclass
class Lot:
    """One lot to analyse (a consultation without lots is one lot)."""

    name: str
    criteria: list[CriterionInput]
    offers: list[OfferInput]
    estimate: Decimal | None
    budget: Decimal | None
    winners: int
    tie_break: str | None
    findings: Findings = field(default_factory=Findings)


def score_offers_from_dict(data: Any) -> ScoreResult:
    """Validate a JSON-like dict (CLI/API contract) and analyse the offers."""
    return score_offers(parse_input(ScoreInput, data))


def score_offers(data: ScoreInput, require_justifications: bool = False) -> ScoreResult:
    day = data.date or dt.datetime.now(PARIS).date()
    law = law_data.at(day)
    findings = Findings()
    if data.date is None:
        findings.warn(
            f"Date de lancement de la consultation non fournie : règles appréciées au "
            f"{day:%d/%m/%Y}. Indiquez « date » pour une consultation passée."
        )
    check_criteria(
        law, data.criteria, findings, data.procedure, data.nature, data.standardised_purchase
    )
    candidacies = check_candidacies(data.candidacies)
    lots = _lots(data)
    results = [_analyse(law, lot, candidacies, data, require_justifications) for lot in lots]
    return assemble(day, data, findings, candidacies, results, [lot.findings for lot in lots])


def _lots(data: ScoreInput) -> list[Lot]:
    if data.lots is None:
        return [
            Lot(
                name="Consultation",
                criteria=data.criteria,
                offers=data.offers or [],
                estimate=data.estimate_ht,
                budget=data.budget_ht,
                winners=data.winners,
                tie_break=data.tie_break,
            )
        ]
    return [
        Lot(
            name=lot.name,
            criteria=lot.criteria or data.criteria,
            offers=lot.offers,
            estimate=lot.estimate_ht,
            budget=lot.budget_ht,
            winners=lot.winners,
            tie_break=lot.tie_break,
        )
        for lot in data.lots
    ]


def _analyse(
    law: LawSnapshot,
    lot: Lot,
    candidacies: Sequence[CandidacyResult],
    data: ScoreInput,
    require_justifications: bool,
) -> LotResult:
    if lot.tie_break is not None and lot.tie_break not in {c.name for c in lot.criteria}:
        raise OpenAMOError(f"{lot.name} : critère de départage « {lot.tie_break} » inconnu.")
    if lot.criteria is not data.criteria:
        check_criteria(
            law, lot.criteria, lot.findings, data.procedure, data.nature, data.standardised_purchase
        )
    by_bidder = {candidacy.bidder: candidacy for candidacy in candidacies}
    prices = {offer.bidder: _price(offer, lot.findings) for offer in lot.offers}
    excluded, pool = _first_exclusions(lot, by_bidder, candidacies)
    signals = abnormal.detect(
        law, [abnormal.PricedOffer(o.bidder, prices[o.bidder]) for o in pool], lot.estimate
    )
    out, ranked = _second_exclusions(lot, pool, prices, signals)
    ordered = rank(_score(lot, ranked, prices, require_justifications), lot.tie_break)
    chosen = winners(ordered, lot.winners)
    _warn(lot, ordered, chosen, signals, prices, by_bidder)
    _check_hidden_weights(lot, ordered, prices)
    analysis = LotAnalysis(
        name=lot.name,
        criteria=lot.criteria,
        received=len(lot.offers),
        ordered=ordered,
        chosen=chosen,
        suspicions=_suspicions(pool, prices, signals),
        eliminated=excluded + out,
        signals=signals,
        findings=lot.findings,
    )
    return lot_result(analysis)


def _price(offer: OfferInput, findings: Findings) -> Decimal:
    if not offer.dqe:
        return offer.price_ht
    total = sum((to_cents(line.quantity * line.unit_price_ht) for line in offer.dqe), Decimal(0))
    if total != offer.price_ht:
        findings.warn(
            f"Offre de « {offer.bidder} » : le DQE recalculé ({format_euros(total)} HT) diffère "
            f"du prix déclaré ({format_euros(offer.price_ht)} HT). Erreur matérielle rectifiée : "
            "les prix unitaires prévalent et le montant rectifié est celui qui est jugé (clause "
            "usuelle du RC, à vérifier dans le vôtre).",
        )
    return total


def _first_exclusions(
    lot: Lot,
    by_bidder: dict[str, CandidacyResult],
    candidacies: Sequence[CandidacyResult],
) -> tuple[list[EliminatedEntry], list[OfferInput]]:
    excluded: list[EliminatedEntry] = []
    pool: list[OfferInput] = []
    for offer in lot.offers:
        entry = excluded_before_comparison(offer, by_bidder.get(offer.bidder))
        if entry is None:
            pool.append(offer)
        else:
            excluded.append(entry)
            lot.findings.cite(*entry.references)
    if candidacies:
        missing = [o.bidder for o in lot.offers if o.bidder not in by_bidder]
        if missing:
            lot.findings.warn(f"{lot.name} : candidature non examinée pour {', '.join(missing)}.")
    return excluded, pool


def _is_suspected(offer: OfferInput, signals: dict[str, list[str]]) -> bool:
    return offer.bidder in signals and offer.abnormally_low_outcome is not (
        AbnormalOutcome.JUSTIFIEE
    )


def _second_exclusions(
    lot: Lot,
    pool: Sequence[OfferInput],
    prices: dict[str, Decimal],
    signals: dict[str, list[str]],
) -> tuple[list[EliminatedEntry], list[OfferInput]]:
    out: list[EliminatedEntry] = []
    ranked: list[OfferInput] = []
    for offer in pool:
        entry = eliminated(offer, prices[offer.bidder], lot.budget, _is_suspected(offer, signals))
        if entry is None:
            ranked.append(offer)
            if offer.status is OfferStatus.IRREGULIERE:
                lot.findings.explain(
                    f"Offre régularisée — {offer.bidder}"
                    + (f" ({offer.status_reason})" if offer.status_reason else "")
                    + " : irrégularité corrigée dans le délai accordé à tous les soumissionnaires "
                    "concernés, sans modification des caractéristiques substantielles de l'offre.",
                    "CCP R2152-2",
                )
        else:
            out.append(entry)
            lot.findings.cite(*entry.references)
    return out, ranked


def _score(
    lot: Lot,
    ranked: Sequence[OfferInput],
    prices: dict[str, Decimal],
    require_justifications: bool,
) -> list[ScoredOffer]:
    problems = MarkProblems()
    compared = [prices[offer.bidder] for offer in ranked]
    scored = [
        score_offer(lot.criteria, offer, prices[offer.bidder], compared, problems)
        for offer in ranked
    ]
    problems.raise_if_any()
    if problems.unjustified:
        message = (
            f"{lot.name} : notes sans justification écrite — "
            + " ; ".join(problems.unjustified)
            + ". Chaque note doit être motivée pour que l'analyse résiste à un recours."
        )
        if require_justifications:
            raise OpenAMOError(
                "Justifications manquantes : le rapport d'analyse exige une justification écrite "
                "pour chaque note.",
                code="missing_justification",
                extra={"missing": problems.unjustified},
            )
        lot.findings.warn(message)
    return scored


def _suspicions(
    pool: Sequence[OfferInput], prices: dict[str, Decimal], signals: dict[str, list[str]]
) -> list[AbnormalEntry]:
    entries: list[AbnormalEntry] = []
    for offer in pool:
        found = signals.get(offer.bidder)
        outcome = offer.abnormally_low_outcome
        if found is None and outcome is None:
            continue
        text = (
            abnormal.reason(prices[offer.bidder], found, decided=outcome is not None)
            if found
            else "Offre examinée comme anormalement basse par d'autres moyens que les méthodes "
            "de détection (analyse des prix unitaires, connaissance du secteur)."
        )
        if outcome is AbnormalOutcome.JUSTIFIEE:
            text += " Justifications examinées et admises : l'offre est maintenue."
        elif outcome is AbnormalOutcome.REJETEE:
            text += " Justifications insuffisantes : offre rejetée par décision motivée."
        if offer.abnormally_low_note:
            text += f" Analyse : {offer.abnormally_low_note}"
        entries.append(AbnormalEntry(bidder=offer.bidder, reason=text))
    return entries


def _warn(
    lot: Lot,
    ordered: Sequence[ScoredOffer],
    chosen: Sequence[ScoredOffer],
    signals: dict[str, list[str]],
    prices: dict[str, Decimal],
    candidacies: dict[str, CandidacyResult],
) -> None:
    findings = lot.findings
    if len(chosen) > lot.winners:
        findings.warn(
            f"{lot.name} : égalité au rang {lot.winners} ; départagez selon la règle "
            "annoncée dans le RC (« tie_break ») avant de proposer l'attribution."
        )
    for offer in chosen:
        if _is_suspected(offer.offer, signals):
            findings.warn(
                f"{lot.name} : l'offre proposée de « {offer.offer.bidder} » semble "
                "anormalement basse ; l'attribution ne peut intervenir qu'après la demande de "
                "justification et son examen.",
                "CCP R2152-3",
            )
        verdict = candidacies.get(offer.offer.bidder)
        if verdict is not None and verdict.verdict is CandidacyVerdict.A_REGULARISER:
            findings.warn(
                f"{lot.name} : la candidature de « {offer.offer.bidder} » est à "
                "régulariser ; le classement reste provisoire.",
                "CCP R2144-2",
            )
    if len(ordered) == 1:
        findings.warn(
            f"{lot.name} : une seule offre classée. Vérifiez que la publicité a permis "
            "une concurrence suffisante et comparez le prix à l'estimation avant d'attribuer."
        )
    if ordered and lot.estimate:
        lowest = min(prices[o.offer.bidder] for o in ordered)
        if lowest > lot.estimate:
            findings.warn(
                f"{lot.name} : toutes les offres classées dépassent l'estimation "
                f"({format_euros(lot.estimate)} HT ; la moins chère : {format_euros(lowest)} HT). "
                "Si l'estimation correspond aux crédits budgétaires fixés avant le lancement, "
                "ces offres sont inacceptables (indiquez « budget_ht ») ; sinon justifiez "
                "l'écart avant d'attribuer.",
                "CCP L2152-3",
            )


def _check_hidden_weights(
    lot: Lot, ordered: Sequence[ScoredOffer], prices: dict[str, Decimal]
) -> None:
    changed = undisclosed_weights_change_winner(lot.criteria, ordered, prices, lot.winners)
    if changed:
        lot.findings.check(
            CheckLevel.ERREUR,
            "sous_criteres_non_publies_determinants",
            f"{lot.name} : avec une répartition égale du poids des sous-critères non "
            f"publiés (ce qu'un candidat pouvait supposer), l'attribution changerait "
            f"({changed}). Cette pondération a exercé une influence sur la sélection : elle "
            "devait être portée à la connaissance des candidats.",
            "CCP R2152-12 (CE 18 juin 2010, Commune de Saint-Pal-de-Mons, n° 337377)",
        )
