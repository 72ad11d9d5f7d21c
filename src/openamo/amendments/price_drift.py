"""A price drift is not an amendment by default: which route applies to a change of price only.

- the price variation clause of the contract (R2194-1): applied as written, no avenant;
- a « modification sèche » of the price (CE, avis n° 405540 du 15 septembre 2022): possible on
  the basis of R2194-5 (or R2194-8, R2194-7), limited to what unforeseeable circumstances make
  necessary, the foreseeable part staying with the contractor;
- the indemnité d'imprévision (CCP L6 3°): the contract continues unchanged and the buyer
  bears part of the extra-contractual, unforeseeable and temporary burden;
- a foreseeable drift is the contractor's normal economic risk.
"""

from __future__ import annotations

from openamo.amendments._context import Situation
from openamo.amendments.enums import Basis, ModificationKind, PriceRoute
from openamo.amendments.models import PriceDriftAdvice

CE_AVIS = "CE, avis n° 405540 du 15 septembre 2022"
IMPREVISION = f"CCP L6 3° — indemnité d'imprévision ({CE_AVIS})"
REVISION = "CCP R2112-13 — prix révisable : la formule s'applique telle qu'elle est stipulée"


def price_drift(situation: Situation, basis: Basis | None) -> PriceDriftAdvice | None:
    modification = situation.data.modification
    if not modification.price_only:
        return None
    rules = situation.rules
    if modification.kind is ModificationKind.CLAUSE_REEXAMEN:
        return PriceDriftAdvice(
            route=PriceRoute.CLAUSE_VARIATION_PRIX,
            explanation=(
                "La variation résulte de la clause de variation des prix du marché : elle "
                "s'applique par le jeu de la formule, sans avenant ni avis de la CAO. Une clause "
                "qui ne couvre pas la hausse ne peut être ni modifiée ni ajoutée par avenant "
                "(intangibilité du prix), sauf clause de réexamen qui le prévoit ; au-delà, "
                "voyez la modification pour circonstances imprévues ou l'indemnité d'imprévision."
            ),
            references=[rules.basis_reference(Basis.CLAUSE_REEXAMEN), REVISION],
        )
    if modification.foreseeable is True:
        return PriceDriftAdvice(
            route=PriceRoute.ALEA_NORMAL,
            explanation=(
                "Une hausse que les parties pouvaient raisonnablement prévoir relève de l'aléa "
                "économique normal du contrat : elle reste à la charge du titulaire, sans "
                f"modification du prix ni indemnité d'imprévision ({CE_AVIS})."
            ),
            references=[IMPREVISION],
        )
    if basis is not None:
        return PriceDriftAdvice(
            route=PriceRoute.MODIFICATION_DU_PRIX,
            explanation=(
                f"Modification « sèche » du prix possible au titre de {basis.value} ({CE_AVIS}) : "
                "elle se limite à ce qui est nécessaire pour faire face aux circonstances "
                "imprévisibles, la part de hausse que les parties pouvaient prévoir restant à la "
                "charge du titulaire. À défaut d'avenant, le titulaire peut demander une "
                "indemnité d'imprévision, qui ne modifie pas le marché."
            ),
            references=[f"{rules.basis_reference(basis)} ({CE_AVIS})", IMPREVISION],
        )
    return PriceDriftAdvice(
        route=PriceRoute.INDEMNITE_IMPREVISION,
        explanation=(
            "Le prix ne peut pas être modifié sur ces bases. Si un événement extérieur et "
            "imprévisible bouleverse temporairement l'équilibre du contrat et que le titulaire "
            "en poursuit l'exécution, il a droit à une indemnité d'imprévision couvrant une "
            "partie de la charge extracontractuelle : ce n'est pas une modification du marché."
        ),
        references=[IMPREVISION],
    )
