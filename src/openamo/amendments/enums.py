"""Enumerations of the amendment domain; values are the French legal terms of the JSON contract."""

from __future__ import annotations

from enum import StrEnum


class ContractProcedure(StrEnum):
    """How the contract was awarded (what matters for the CAO and the modification notice)."""

    MAPA = "mapa"
    FORMALISEE = "formalisee"

    @property
    def label(self) -> str:
        return {"mapa": "procédure adaptée", "formalisee": "procédure formalisée"}[self.value]


class Basis(StrEnum):
    """The article of the CCP that allows a modification (the six cases of L2194-1)."""

    CLAUSE_REEXAMEN = "R2194-1"
    PRESTATIONS_SUPPLEMENTAIRES = "R2194-2"
    CIRCONSTANCES_IMPREVUES = "R2194-5"
    NOUVEAU_TITULAIRE = "R2194-6"
    NON_SUBSTANTIELLE = "R2194-7"
    FAIBLE_MONTANT = "R2194-8"

    @property
    def label(self) -> str:
        return _BASIS_LABELS[self.value]

    @property
    def article_path(self) -> str:
        """Path of the law parameter that dates and cites this case."""
        return _BASIS_ARTICLES[self.value]


_BASIS_LABELS = {
    "R2194-1": "clause de réexamen ou option prévue au marché",
    "R2194-2": "travaux, fournitures ou services supplémentaires devenus nécessaires",
    "R2194-5": "circonstances imprévues",
    "R2194-6": "substitution d'un nouveau titulaire",
    "R2194-7": "modification non substantielle",
    "R2194-8": "modification de faible montant",
}
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


class SubstantialCondition(StrEnum):
    """The four tests of R2194-7 (a modification meeting one of them is substantial)."""

    CONDITIONS_INITIALES = "conditions_initiales"
    EQUILIBRE_ECONOMIQUE = "equilibre_economique"
    CHAMP_APPLICATION = "champ_application"
    TITULAIRE = "titulaire"

    @property
    def label(self) -> str:
        return {
            "conditions_initiales": (
                "1° elle introduit des conditions qui, dans la procédure initiale, auraient "
                "attiré davantage d'opérateurs, permis l'admission d'autres opérateurs ou conduit "
                "à retenir une autre offre"
            ),
            "equilibre_economique": (
                "2° elle modifie l'équilibre économique du marché en faveur du titulaire d'une "
                "manière qui n'était pas prévue"
            ),
            "champ_application": "3° elle modifie considérablement l'objet du marché",
            "titulaire": "4° elle a pour effet de remplacer le titulaire hors des cas de R2194-6",
        }[self.value]


class Verdict(StrEnum):
    AUTORISEE = "autorisee"
    INTERDITE = "interdite"

    @property
    def label(self) -> str:
        return {"autorisee": "autorisée", "interdite": "interdite"}[self.value]


class ModificationForm(StrEnum):
    """Agreement of both parties (avenant) or unilateral decision of the buyer (L2194-2)."""

    AVENANT = "avenant"
    DECISION_UNILATERALE = "decision_unilaterale"


class TransferCause(StrEnum):
    """Why a new contractor replaces the initial one (R2194-6)."""

    CLAUSE_REEXAMEN = "clause_reexamen"
    RESTRUCTURATION = "restructuration"
    AUTRE = "autre"


class PriceRoute(StrEnum):
    """Which legal route a price drift takes (price variation clause, modification, imprévision)."""

    CLAUSE_VARIATION_PRIX = "clause_variation_prix"
    MODIFICATION_DU_PRIX = "modification_du_prix"
    INDEMNITE_IMPREVISION = "indemnite_imprevision"
    ALEA_NORMAL = "alea_normal"

    @property
    def label(self) -> str:
        return {
            "clause_variation_prix": "application de la clause de variation des prix",
            "modification_du_prix": "modification du prix par avenant",
            "indemnite_imprevision": "indemnité d'imprévision (sans modification du marché)",
            "alea_normal": "aléa économique normal, à la charge du titulaire",
        }[self.value]
