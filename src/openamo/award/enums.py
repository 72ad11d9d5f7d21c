"""Enumerations of the award domain; values are the French terms of the CLI JSON contract."""

from __future__ import annotations

from enum import StrEnum


class CriterionKind(StrEnum):
    PRIX = "prix"
    COUT = "cout"
    TECHNIQUE = "technique"
    QUALITE = "qualite"
    ENVIRONNEMENT = "environnement"
    SOCIAL = "social"
    DELAI = "delai"
    INNOVATION = "innovation"
    AUTRE = "autre"

    @property
    def label(self) -> str:
        return {
            "prix": "Prix",
            "cout": "Coût (approche globale, cycle de vie)",
            "technique": "Valeur technique",
            "qualite": "Qualité",
            "environnement": "Performance environnementale",
            "social": "Performance sociale",
            "delai": "Délai",
            "innovation": "Innovation",
            "autre": "Autre critère",
        }[self.value]

    @property
    def is_price(self) -> bool:
        return self in {CriterionKind.PRIX, CriterionKind.COUT}


class PriceMethod(StrEnum):
    PROPORTIONNELLE = "proportionnelle"
    LINEAIRE = "lineaire"
    ECART_RELATIF = "ecart_relatif"
    MOYENNE = "moyenne"


class OfferStatus(StrEnum):
    REGULIERE = "reguliere"
    IRREGULIERE = "irreguliere"
    INACCEPTABLE = "inacceptable"
    INAPPROPRIEE = "inappropriee"

    @property
    def label(self) -> str:
        return {
            "reguliere": "Offre régulière",
            "irreguliere": "Offre irrégulière",
            "inacceptable": "Offre inacceptable",
            "inappropriee": "Offre inappropriée",
        }[self.value]


class AbnormalOutcome(StrEnum):
    """Conclusion of the R2152-3 procedure once the bidder's justifications are examined."""

    JUSTIFIEE = "justifiee"
    REJETEE = "rejetee"


class CheckLevel(StrEnum):
    ERREUR = "erreur"
    AVERTISSEMENT = "avertissement"
    INFORMATION = "information"


class CandidacyVerdict(StrEnum):
    RECEVABLE = "recevable"
    A_REGULARISER = "a_regulariser"
    IRRECEVABLE = "irrecevable"

    @property
    def label(self) -> str:
        return {
            "recevable": "Candidature recevable",
            "a_regulariser": "Candidature à régulariser",
            "irrecevable": "Candidature irrecevable",
        }[self.value]


class LotOutcome(StrEnum):
    ATTRIBUABLE = "attribuable"
    INFRUCTUEUX = "infructueux"
    AUCUNE_OFFRE = "aucune_offre"

    @property
    def label(self) -> str:
        return {
            "attribuable": "Attribution possible",
            "infructueux": "Infructueux : aucune offre ne peut être retenue",
            "aucune_offre": "Aucune offre reçue",
        }[self.value]
