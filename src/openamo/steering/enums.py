"""Enumerations of IT project steering; values are the French terms of the JSON contract."""

from __future__ import annotations

from enum import StrEnum

from openamo.enums import LabelledEnum


class Priority(LabelledEnum):
    """MoSCoW priority of a feature, in the buyer's words (DSDM: Must / Should / Could / Won't)."""

    INDISPENSABLE = "indispensable", "Indispensable (sans elle, pas de mise en service)"
    IMPORTANTE = "importante", "Importante (pénible à retirer, mais contournable)"
    SOUHAITABLE = "souhaitable", "Souhaitable (réserve de marge si le projet dérape)"
    EXCLUE = "exclue", "Exclue de cette version"


class AnswerStatus(LabelledEnum):
    COMPLETE = "complete", "complète"
    PARTIELLE = "partielle", "partielle"
    MANQUANTE = "manquante", "manquante"


class RiskLevel(LabelledEnum):
    FAIBLE = "faible", "faible"
    MODERE = "modere", "modéré"
    ELEVE = "eleve", "élevé"
    CRITIQUE = "critique", "critique"

    @property
    def rank(self) -> int:
        return ["faible", "modere", "eleve", "critique"].index(self.value)


class AlertLevel(LabelledEnum):
    """How much of the budget margin (or of the schedule tolerance) is already consumed."""

    NORMAL = "normal", "normal"
    VIGILANCE = "vigilance", "vigilance"
    ALERTE = "alerte", "alerte"
    DEPASSEMENT = "depassement", "dépassement"

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


class Decision(LabelledEnum):
    """Decision of the maître d'ouvrage (the AMO advises, it never decides)."""

    EN_ATTENTE = "en_attente", "en attente de décision"
    ACCEPTEE = "acceptee", "acceptée"
    REFUSEE = "refusee", "refusée"
    REPORTEE = "reportee", "reportée à une version ultérieure"


class MilestoneKind(StrEnum):
    LANCEMENT = "lancement"
    RECETTE = "recette"
    MISE_EN_SERVICE = "mise_en_service"
    REVUE_M3 = "revue_m3"
    AUTRE = "autre"


class MilestoneStatus(LabelledEnum):
    ATTEINT = "atteint", "atteint"
    EN_RETARD = "en_retard", "en retard"
    A_VENIR = "a_venir", "à venir"


class KpiDirection(StrEnum):
    """Whether a higher (``hausse``) or a lower (``baisse``) value is better."""

    HAUSSE = "hausse"
    BAISSE = "baisse"


class KpiStatus(LabelledEnum):
    ATTEINT = "atteint", "cible atteinte"
    EN_BONNE_VOIE = "en_bonne_voie", "en bonne voie"
    EN_RETARD = "en_retard", "en retard sur la cible"
    NON_MESURE = "non_mesure", "pas encore mesuré"


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
