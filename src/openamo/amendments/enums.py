"""Enumerations of the amendment domain; values are the French legal terms of the JSON contract."""

from __future__ import annotations

from enum import StrEnum

from openamo.enums import LabelledEnum


class ContractProcedure(LabelledEnum):
    """How the contract was awarded (what matters for the CAO and the modification notice)."""

    MAPA = "mapa", "procédure adaptée"
    FORMALISEE = "formalisee", "procédure formalisée"


class Basis(LabelledEnum):
    """The article of the CCP that allows a modification (the six cases of L2194-1)."""

    CLAUSE_REEXAMEN = "R2194-1", "clause de réexamen ou option prévue au marché"
    PRESTATIONS_SUPPLEMENTAIRES = (
        "R2194-2",
        "travaux, fournitures ou services supplémentaires devenus nécessaires",
    )
    CIRCONSTANCES_IMPREVUES = "R2194-5", "circonstances imprévues"
    NOUVEAU_TITULAIRE = "R2194-6", "substitution d'un nouveau titulaire"
    NON_SUBSTANTIELLE = "R2194-7", "modification non substantielle"
    FAIBLE_MONTANT = "R2194-8", "modification de faible montant"

    @property
    def article_path(self) -> str:
        """Path of the law parameter that dates and cites this case."""
        return _BASIS_ARTICLES[self.value]


_BASIS_ARTICLES = {
    "R2194-1": "amendments.articles.clause_reexamen",
    "R2194-2": "amendments.articles.prestations_supplementaires",
    "R2194-5": "amendments.articles.circonstances_imprevues",
    "R2194-6": "amendments.articles.nouveau_titulaire",
    "R2194-7": "amendments.articles.non_substantielle",
    "R2194-8": "amendments.articles.faible_montant",
}


class ModificationKind(StrEnum):
    """The case the user invokes; each kind claims one basis."""

    CLAUSE_REEXAMEN = "clause_reexamen"
    PRESTATIONS_SUPPLEMENTAIRES = "prestations_supplementaires"
    CIRCONSTANCES_IMPREVUES = "circonstances_imprevues"
    NOUVEAU_TITULAIRE = "nouveau_titulaire"
    NON_SUBSTANTIELLE = "non_substantielle"
    FAIBLE_MONTANT = "faible_montant"

    @property
    def basis(self) -> Basis:
        return Basis[self.name]


class SubstantialCondition(LabelledEnum):
    """The four tests of R2194-7 (a modification meeting one of them is substantial)."""

    CONDITIONS_INITIALES = (
        "conditions_initiales",
        (
            "1° elle introduit des conditions qui, dans la procédure initiale, auraient "
            "attiré davantage d'opérateurs, permis l'admission d'autres opérateurs ou conduit "
            "à retenir une autre offre"
        ),
    )
    EQUILIBRE_ECONOMIQUE = (
        "equilibre_economique",
        (
            "2° elle modifie l'équilibre économique du marché en faveur du titulaire d'une "
            "manière qui n'était pas prévue"
        ),
    )
    CHAMP_APPLICATION = "champ_application", "3° elle modifie considérablement l'objet du marché"
    TITULAIRE = (
        "titulaire",
        "4° elle a pour effet de remplacer le titulaire hors des cas de R2194-6",
    )


class Verdict(LabelledEnum):
    AUTORISEE = "autorisee", "autorisée"
    INTERDITE = "interdite", "interdite"


class ModificationForm(StrEnum):
    """Agreement of both parties (avenant) or unilateral decision of the buyer (L2194-2)."""

    AVENANT = "avenant"
    DECISION_UNILATERALE = "decision_unilaterale"


class TransferCause(StrEnum):
    """Why a new contractor replaces the initial one (R2194-6)."""

    CLAUSE_REEXAMEN = "clause_reexamen"
    RESTRUCTURATION = "restructuration"
    AUTRE = "autre"


class PriceRoute(LabelledEnum):
    """Which legal route a price drift takes (price variation clause, modification, imprévision)."""

    CLAUSE_VARIATION_PRIX = (
        "clause_variation_prix",
        "application de la clause de variation des prix",
    )
    MODIFICATION_DU_PRIX = "modification_du_prix", "modification du prix par avenant"
    INDEMNITE_IMPREVISION = (
        "indemnite_imprevision",
        "indemnité d'imprévision (sans modification du marché)",
    )
    ALEA_NORMAL = "alea_normal", "aléa économique normal, à la charge du titulaire"
