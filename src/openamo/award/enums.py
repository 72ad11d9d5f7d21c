"""Enumerations of the award domain; values are the French terms of the CLI JSON contract."""

from __future__ import annotations

from enum import StrEnum

from openamo.enums import LabelledEnum


class CriterionKind(LabelledEnum):
    PRIX = "prix", "Prix"
    COUT = "cout", "Coût (approche globale, cycle de vie)"
    TECHNIQUE = "technique", "Valeur technique"
    QUALITE = "qualite", "Qualité"
    ENVIRONNEMENT = "environnement", "Performance environnementale"
    SOCIAL = "social", "Performance sociale"
    DELAI = "delai", "Délai"
    INNOVATION = "innovation", "Innovation"
    AUTRE = "autre", "Autre critère"

    @property
    def is_price(self) -> bool:
        return self in {CriterionKind.PRIX, CriterionKind.COUT}


class PriceMethod(StrEnum):
    PROPORTIONNELLE = "proportionnelle"
    LINEAIRE = "lineaire"
    ECART_RELATIF = "ecart_relatif"
    MOYENNE = "moyenne"


class OfferStatus(LabelledEnum):
    REGULIERE = "reguliere", "Offre régulière"
    IRREGULIERE = "irreguliere", "Offre irrégulière"
    INACCEPTABLE = "inacceptable", "Offre inacceptable"
    INAPPROPRIEE = "inappropriee", "Offre inappropriée"


class AbnormalOutcome(StrEnum):
    """Conclusion of the R2152-3 procedure once the bidder's justifications are examined."""

    JUSTIFIEE = "justifiee"
    REJETEE = "rejetee"


class CheckLevel(StrEnum):
    ERREUR = "erreur"
    AVERTISSEMENT = "avertissement"
    INFORMATION = "information"


class CandidacyVerdict(LabelledEnum):
    RECEVABLE = "recevable", "Candidature recevable"
    A_REGULARISER = "a_regulariser", "Candidature à régulariser"
    IRRECEVABLE = "irrecevable", "Candidature irrecevable"


class LotOutcome(LabelledEnum):
    ATTRIBUABLE = "attribuable", "Attribution possible"
    INFRUCTUEUX = "infructueux", "Infructueux : aucune offre ne peut être retenue"
    AUCUNE_OFFRE = "aucune_offre", "Aucune offre reçue"
