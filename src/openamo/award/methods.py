"""Price (or cost) scoring methods: each turns prices into a normalised score between 0 and 1.

Case law requires that the lowest price always receives the best price score (CE 29 octobre
2013, n° 370789) and that the method does not neutralise the weighting of the criteria. The
DAJ fiche « Les méthodes de notation du critère prix » (2 janvier 2024) presents three classic
methods judged lawful: proportional (« classique »), linear and relative to the average of the
offers. Every method below gives 1 to the lowest price and never increases with the price.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from openamo.award.enums import PriceMethod

ZERO = Decimal(0)
ONE = Decimal(1)
TWO = Decimal(2)


@dataclass(frozen=True)
class MethodInfo:
    label: str
    formula: str
    explanation: str


def _clamp(value: Decimal) -> Decimal:
    return max(ZERO, min(ONE, value))


def proportional(price: Decimal, prices: Sequence[Decimal]) -> Decimal:
    return min(prices) / price


def linear(price: Decimal, prices: Sequence[Decimal]) -> Decimal:
    low, high = min(prices), max(prices)
    if high == low:
        return ONE
    return (high - price) / (high - low)


def relative_gap(price: Decimal, prices: Sequence[Decimal]) -> Decimal:
    low = min(prices)
    return _clamp(ONE - (price - low) / low)


def average(price: Decimal, prices: Sequence[Decimal]) -> Decimal:
    low = min(prices)
    mean = sum(prices, ZERO) / len(prices)
    if mean == low:
        return ONE
    return _clamp(ONE - (price - low) / (TWO * (mean - low)))


_FUNCTIONS: dict[PriceMethod, Callable[[Decimal, Sequence[Decimal]], Decimal]] = {
    PriceMethod.PROPORTIONNELLE: proportional,
    PriceMethod.LINEAIRE: linear,
    PriceMethod.ECART_RELATIF: relative_gap,
    PriceMethod.MOYENNE: average,
}

METHODS: dict[PriceMethod, MethodInfo] = {
    PriceMethod.PROPORTIONNELLE: MethodInfo(
        label="Méthode proportionnelle (dite « classique »)",
        formula="Note = Note maximale × Pmin / P",
        explanation=(
            "Le prix le plus bas (Pmin) reçoit la note maximale ; chaque autre offre reçoit une "
            "note inversement proportionnelle à son prix. Méthode neutre et répandue, adaptée "
            "lorsque les prix sont homogènes ; elle resserre les notes et n'atteint jamais zéro, "
            "ce qui peut avantager les offres chères lorsque les prix sont très dispersés "
            "(fiche DAJ du 2 janvier 2024)."
        ),
    ),
    PriceMethod.LINEAIRE: MethodInfo(
        label="Méthode linéaire",
        formula="Note = Note maximale × (Pmax − P) / (Pmax − Pmin)",
        explanation=(
            "Les offres sont notées sur une droite entre le prix le plus bas (note maximale) et le "
            "prix le plus élevé (note nulle). Elle restitue les écarts de prix lorsque les offres "
            "sont nombreuses et hétérogènes ; elle est sensible au nombre d'offres et aux valeurs "
            "extrêmes, et à éviter lorsque peu d'offres sont attendues (fiche DAJ du 2 janvier "
            "2024). Si toutes les offres ont le même prix, chacune reçoit la note maximale."
        ),
    ),
    PriceMethod.ECART_RELATIF: MethodInfo(
        label="Méthode de l'écart relatif au prix le plus bas",
        formula="Note = Note maximale × max(0 ; 1 − (P − Pmin) / Pmin)",
        explanation=(
            "Chaque offre perd, en proportion de la note maximale, l'écart relatif qui la sépare "
            "du prix le plus bas : une offre 10 % plus chère perd 10 % des points, une offre deux "
            "fois plus chère n'en reçoit aucun. Les écarts de prix sont restitués à l'identique, "
            "sans dépendre du prix le plus élevé ; la note est bornée à zéro."
        ),
    ),
    PriceMethod.MOYENNE: MethodInfo(
        label="Méthode fondée sur la moyenne des offres",
        formula=(
            "Note = Note maximale × max(0 ; 1 − (P − Pmin) / (2 × (Pmoy − Pmin))), "
            "Pmoy = moyenne des offres classées"
        ),
        explanation=(
            "Les offres sont comparées au prix moyen des offres analysées : le prix le plus bas "
            "reçoit la note maximale, une offre au prix moyen la moitié, une offre deux fois plus "
            "éloignée du prix le plus bas que la moyenne ne reçoit rien. La fiche DAJ du "
            "2 janvier 2024 cite une méthode « moyenne des offres » sans que sa formule exacte ait "
            "pu être lue : celle-ci est la variante retenue par OpenAMO, à annoncer telle quelle "
            "si elle est utilisée."
        ),
    ),
}


def price_score(method: PriceMethod, price: Decimal, prices: Sequence[Decimal]) -> Decimal:
    """Normalised score (0 to 1) of ``price`` among ``prices`` (which include it)."""
    if not prices or price not in prices:
        raise ValueError("le prix noté doit figurer parmi les prix comparés")
    return _FUNCTIONS[method](price, prices)
