"""Allotissement of the works (CCP L2113-10 and L2113-11): separate lots by trade, unless the
buyer justifies a single contract. The rule has no figure; what it asks is a written reason."""

from __future__ import annotations

from dataclasses import dataclass, field

from openamo.wording import count

SEPARATE_LOTS = (
    "CCP L2113-10 (marchés passés en lots séparés, sauf si leur objet ne permet pas "
    "l'identification de prestations distinctes)"
)
SINGLE_CONTRACT = (
    "CCP L2113-11 (marché global motivé : dévolution en lots séparés restreignant la "
    "concurrence, ou rendant l'exécution techniquement difficile ou financièrement plus coûteuse, "
    "ou l'acheteur n'étant pas en mesure d'assurer l'organisation, le pilotage et la coordination)"
)


@dataclass
class AllotmentReview:
    lots: int
    contracts: int
    unassigned_lots: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    explanation: str = ""


def review_allotment(lots: dict[str, int]) -> AllotmentReview:
    """``lots`` maps each works lot's name to the number of live contracts awarded for it."""
    review = AllotmentReview(lots=len(lots), contracts=sum(lots.values()))
    review.references = [SEPARATE_LOTS]
    review.unassigned_lots = [name for name, count in lots.items() if count == 0]
    if len(lots) <= 1:
        review.references.append(SINGLE_CONTRACT)
        review.warnings.append(
            "Un seul lot de travaux : la dévolution en lots séparés est la règle ; motivez le "
            "marché unique dans les documents de la consultation (L2113-11), ou découpez les "
            "travaux par corps d'état."
        )
    for name in review.unassigned_lots:
        review.warnings.append(f"Lot « {name} » : aucun marché de travaux n'y est encore rattaché.")
    review.explanation = (
        f"{count(len(lots), 'lot', 'lots')} de travaux, {count(review.contracts, 'marché rattaché')}. Les travaux "
        "se dévolvent en lots séparés par corps d'état, un marché par lot (L2113-10) ; "
        "l'acheteur choisit le nombre, la taille et l'objet des lots et peut limiter le nombre "
        "de lots attribués à un même titulaire."
    )
    return review
