"""Enumerations of IT project steering; values are the French terms of the JSON contract."""

from __future__ import annotations

from enum import StrEnum


class Priority(StrEnum):
    """MoSCoW priority of a feature, in the buyer's words (DSDM: Must / Should / Could / Won't)."""

    INDISPENSABLE = "indispensable"
    IMPORTANTE = "importante"
    SOUHAITABLE = "souhaitable"
    EXCLUE = "exclue"

    @property
    def label(self) -> str:
        return {
            "indispensable": "Indispensable (sans elle, pas de mise en service)",
            "importante": "Importante (pénible à retirer, mais contournable)",
            "souhaitable": "Souhaitable (réserve de marge si le projet dérape)",
            "exclue": "Exclue de cette version",
        }[self.value]


class AnswerStatus(StrEnum):
    COMPLETE = "complete"
    PARTIELLE = "partielle"
    MANQUANTE = "manquante"

    @property
    def label(self) -> str:
        return {"complete": "complète", "partielle": "partielle", "manquante": "manquante"}[
            self.value
        ]


class RiskLevel(StrEnum):
    FAIBLE = "faible"
    MODERE = "modere"
    ELEVE = "eleve"
    CRITIQUE = "critique"

    @property
    def label(self) -> str:
        return {"faible": "faible", "modere": "modéré", "eleve": "élevé", "critique": "critique"}[
            self.value
        ]

    @property
    def rank(self) -> int:
        return ["faible", "modere", "eleve", "critique"].index(self.value)


class AlertLevel(StrEnum):
    """How much of the budget margin (or of the schedule tolerance) is already consumed."""

    NORMAL = "normal"
    VIGILANCE = "vigilance"
    ALERTE = "alerte"
    DEPASSEMENT = "depassement"

    @property
    def label(self) -> str:
        return {
            "normal": "normal",
            "vigilance": "vigilance",
            "alerte": "alerte",
            "depassement": "dépassement",
        }[self.value]

    @property
    def rank(self) -> int:
        return ["normal", "vigilance", "alerte", "depassement"].index(self.value)


class ChangeKind(StrEnum):
    AJOUT = "ajout"
    MODIFICATION = "modification"
    SUPPRESSION = "suppression"


class ChangeValue(StrEnum):
    """Business value of a change request, as the sponsor judges it."""

    FORTE = "forte"
    MOYENNE = "moyenne"
    FAIBLE = "faible"
    NULLE = "nulle"


class Decision(StrEnum):
    """Decision of the maître d'ouvrage (the AMO advises, it never decides)."""

    EN_ATTENTE = "en_attente"
    ACCEPTEE = "acceptee"
    REFUSEE = "refusee"
    REPORTEE = "reportee"

    @property
    def label(self) -> str:
        return {
            "en_attente": "en attente de décision",
            "acceptee": "acceptée",
            "refusee": "refusée",
            "reportee": "reportée à une version ultérieure",
        }[self.value]


class MilestoneKind(StrEnum):
    LANCEMENT = "lancement"
    RECETTE = "recette"
    MISE_EN_SERVICE = "mise_en_service"
    REVUE_M3 = "revue_m3"
    AUTRE = "autre"


class MilestoneStatus(StrEnum):
    ATTEINT = "atteint"
    EN_RETARD = "en_retard"
    A_VENIR = "a_venir"


class KpiDirection(StrEnum):
    """Whether a higher (``hausse``) or a lower (``baisse``) value is better."""

    HAUSSE = "hausse"
    BAISSE = "baisse"


class KpiStatus(StrEnum):
    ATTEINT = "atteint"
    EN_BONNE_VOIE = "en_bonne_voie"
    EN_RETARD = "en_retard"
    NON_MESURE = "non_mesure"

    @property
    def label(self) -> str:
        return {
            "atteint": "cible atteinte",
            "en_bonne_voie": "en bonne voie",
            "en_retard": "en retard sur la cible",
            "non_mesure": "pas encore mesuré",
        }[self.value]


class IrritantSource(StrEnum):
    """How a user irritant was collected: only the first four come from end users themselves."""

    ENTRETIEN = "entretien"
    ATELIER = "atelier"
    ENQUETE = "enquete"
    OBSERVATION = "observation"
    ENCADREMENT = "encadrement"
    HYPOTHESE = "hypothese"

    @property
    def from_end_users(self) -> bool:
        return self.value in {"entretien", "atelier", "enquete", "observation"}


class ImpactAssessment(StrEnum):
    """Data protection impact assessment (RGPD art. 35)."""

    REQUISE = "requise"
    NON_REQUISE = "non_requise"
    A_DETERMINER = "a_determiner"


class SimulationMode(StrEnum):
    DETERMINISTE = "deterministe"
    MONTE_CARLO = "monte_carlo"


class RiskStatus(StrEnum):
    OUVERT = "ouvert"
    EN_TRAITEMENT = "en_traitement"
    CLOS = "clos"
