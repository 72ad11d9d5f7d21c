"""Detection of offers that SEEM abnormally low — a suspicion, never a rejection.

L2152-6 obliges the buyer to use every means to detect abnormally low offers and, when an offer
seems abnormally low, to require the bidder to justify its price (R2152-3). Rejection is only
possible afterwards, by a reasoned decision, when the justifications do not account for the
low price (R2152-4). No threshold is fixed by law: the methods below are those used in practice,
with their thresholds read from ``law/parameters/award/offres_anormalement_basses`` (practice
settings, not law).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from statistics import median

from openamo.award import _law
from openamo.award._format import fr_percent, fr_plain
from openamo.law import LawSnapshot
from openamo.money import format_euros

ONE = Decimal(1)
REFERENCES = ("CCP L2152-5", "CCP L2152-6", "CCP R2152-3", "CCP R2152-4")


@dataclass(frozen=True)
class PricedOffer:
    bidder: str
    price: Decimal


@dataclass(frozen=True)
class Settings:
    mean_gap: Decimal
    median_gap: Decimal
    estimate_gap: Decimal
    ffb_high: Decimal
    ffb_suspect: Decimal
    sigma: Decimal
    min_statistical: int
    eu_mean_gap: Decimal
    eu_second_gap: Decimal
    eu_min_offers: int

    @classmethod
    def at(cls, law: LawSnapshot) -> Settings:
        return cls(
            mean_gap=_law.rate(law, "award.offres_anormalement_basses.ecart_moyenne_autres_offres"),
            median_gap=_law.rate(
                law, "award.offres_anormalement_basses.ecart_mediane_autres_offres"
            ),
            estimate_gap=_law.rate(law, "award.offres_anormalement_basses.ecart_estimation"),
            ffb_high=_law.rate(law, "award.offres_anormalement_basses.ffb_exclusion_offres_hautes"),
            ffb_suspect=_law.rate(law, "award.offres_anormalement_basses.ffb_seuil_suspicion"),
            sigma=_law.rate(law, "award.offres_anormalement_basses.ecart_type_multiplicateur"),
            min_statistical=_law.count(
                law, "award.offres_anormalement_basses.nombre_minimal_offres_statistiques"
            ),
            eu_mean_gap=_law.rate(
                law, "award.offres_anormalement_basses.proposition_2011_ecart_moyenne"
            ),
            eu_second_gap=_law.rate(
                law, "award.offres_anormalement_basses.proposition_2011_ecart_deuxieme"
            ),
            eu_min_offers=_law.count(
                law, "award.offres_anormalement_basses.proposition_2011_nombre_offres"
            ),
        )


def _mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def _gap(price: Decimal, reference: Decimal) -> Decimal:
    return (reference - price) / reference


def detect(
    law: LawSnapshot, offers: Sequence[PricedOffer], estimate: Decimal | None
) -> dict[str, list[str]]:
    """Signals per bidder (only bidders with at least one signal are returned)."""
    settings = Settings.at(law)
    prices = [offer.price for offer in offers]
    signals: dict[str, list[str]] = {}
    for index, offer in enumerate(offers):
        others = prices[:index] + prices[index + 1 :]
        found = _against_others(offer.price, others, settings)
        found += _against_estimate(offer.price, estimate, settings)
        found += _ffb(offer.price, prices, settings)
        found += _proposal_2011(offer.price, others, settings)
        if found:
            # The "mean minus one standard deviation" test flags the lowest offer of almost any
            # set of three or more: it only corroborates a gap found by another method.
            signals[offer.bidder] = found + _below_deviation(offer.price, prices, settings)
    return signals


def _against_others(price: Decimal, others: Sequence[Decimal], s: Settings) -> list[str]:
    found: list[str] = []
    if not others:
        return found
    mean = _mean(others)
    gap = _gap(price, mean)
    if gap >= s.mean_gap:
        where = "l'autre offre" if len(others) == 1 else "la moyenne des autres offres"
        found.append(
            f"prix inférieur de {fr_percent(gap)} à {where} ({format_euros(mean)} HT), "
            f"seuil d'alerte {fr_percent(s.mean_gap, 0)}"
        )
    if len(others) + 1 >= s.min_statistical:
        middle = Decimal(median(others))
        gap = _gap(price, middle)
        if gap >= s.median_gap:
            found.append(
                f"prix inférieur de {fr_percent(gap)} à la médiane des autres offres "
                f"({format_euros(middle)} HT), seuil d'alerte {fr_percent(s.median_gap, 0)}"
            )
    return found


def _against_estimate(price: Decimal, estimate: Decimal | None, s: Settings) -> list[str]:
    if not estimate:
        return []
    gap = _gap(price, estimate)
    if gap < s.estimate_gap:
        return []
    return [
        f"prix inférieur de {fr_percent(gap)} à l'estimation de l'acheteur "
        f"({format_euros(estimate)} HT), seuil d'alerte {fr_percent(s.estimate_gap, 0)}"
    ]


def _ffb(price: Decimal, prices: Sequence[Decimal], s: Settings) -> list[str]:
    if len(prices) < s.min_statistical:
        return []
    first = _mean(prices)
    kept = [p for p in prices if p <= s.ffb_high * first]
    second = _mean(kept)
    if price > s.ffb_suspect * second:
        return []
    return [
        f"méthode dite FFB : prix au plus égal à {fr_plain(s.ffb_suspect)} × la moyenne M2 "
        f"({format_euros(second)} HT, calculée sans les offres supérieures à "
        f"{fr_plain(s.ffb_high)} × M1 = {format_euros(s.ffb_high * first)} HT)"
    ]


def _below_deviation(price: Decimal, prices: Sequence[Decimal], s: Settings) -> list[str]:
    if len(prices) < s.min_statistical:
        return []
    mean = _mean(prices)
    deviation = (sum(((p - mean) ** 2 for p in prices), Decimal(0)) / len(prices)).sqrt()
    floor = mean - s.sigma * deviation
    if deviation == 0 or price >= floor:
        return []
    return [
        f"prix inférieur à la moyenne des offres diminuée de {fr_plain(s.sigma)} écart-type "
        f"({format_euros(floor)} HT ; méthode FFB / APVF 2015)"
    ]


def _proposal_2011(price: Decimal, others: Sequence[Decimal], s: Settings) -> list[str]:
    if len(others) + 1 < s.eu_min_offers:
        return []
    mean_gap = _gap(price, _mean(others))
    second = min(others)
    second_gap = _gap(price, second)
    if mean_gap > s.eu_mean_gap and second_gap > s.eu_second_gap:
        return [
            f"repère de la proposition de directive de 2011 : plus de "
            f"{fr_percent(s.eu_mean_gap, 0)} sous la moyenne des autres offres et plus de "
            f"{fr_percent(s.eu_second_gap, 0)} sous la deuxième offre ({format_euros(second)} HT)"
        ]
    return []


def reason(price: Decimal, signals: Sequence[str], *, decided: bool = False) -> str:
    """The French reason of a suspicion, with the procedure it opens — or, once the buyer has
    examined the justifications (``decided``), the signals alone: the decision follows them."""
    found = f"Offre de {format_euros(price)} HT qui semble anormalement basse : " + " ; ".join(
        signals
    )
    if decided:
        return found + "."
    return (
        found
        + ". Il s'agit d'une suspicion, pas d'un rejet : l'acheteur doit demander par écrit au "
        "soumissionnaire de justifier son prix ou ses coûts (CCP R2152-3 : mode de fabrication, "
        "solutions techniques, conditions exceptionnellement favorables, originalité, respect des "
        "obligations sociales et environnementales, aide d'État) ; il ne peut rejeter l'offre "
        "qu'après examen de ces justifications, par une décision motivée (CCP R2152-4)."
    )
