"""Enumerations of the construction domain; values are the French terms of the JSON contract."""

from __future__ import annotations

from openamo.enums import LabelledEnum


class Buyer(LabelledEnum):
    """Maîtres d'ouvrage of CCP L2411-1 that OpenAMO serves."""

    COLLECTIVITE = "collectivite", "collectivité territoriale ou établissement public local"
    ETAT = "etat", "État ou l'un de ses établissements publics"


class WorkKind(LabelledEnum):
    """Nature of the operation, which decides whether a design contest is mandatory (R2172-2)."""

    BATIMENT_NEUF = "batiment_neuf", "construction d'un bâtiment neuf"
    REHABILITATION = "rehabilitation", "réutilisation ou réhabilitation d'un ouvrage existant"
    INFRASTRUCTURE = "infrastructure", "ouvrage d'infrastructure"
    PROJET_URBAIN_PAYSAGER = "projet_urbain_paysager", "projet urbain ou paysager"
    RECHERCHE_EXPERIMENTATION = (
        "recherche_experimentation",
        ("ouvrage réalisé à titre de recherche, d'essai ou d'expérimentation"),
    )

    @property
    def is_building(self) -> bool:
        return self in {WorkKind.BATIMENT_NEUF, WorkKind.REHABILITATION}


class MoeProcedure(LabelledEnum):
    DISPENSE = (
        "dispense",
        "Marché sans publicité ni mise en concurrence préalables (faible montant)",
    )
    MAPA = "mapa", "Procédure adaptée"
    CONCOURS = "concours", "Concours de maîtrise d'œuvre obligatoire"
    FORMALISEE = "formalisee", "Procédure formalisée (concours non obligatoire)"


class Organisation(LabelledEnum):
    """Who helps the maître d'ouvrage run the operation."""

    EN_REGIE = "en_regie", "Maîtrise d'ouvrage assurée par les services de l'acheteur"
    AMO = "amo", "Assistance à maîtrise d'ouvrage (AMO)"
    CONDUITE_OPERATION = "conduite_operation", "Conduite d'opération"
    MANDAT = "mandat", "Mandat de maîtrise d'ouvrage (maîtrise d'ouvrage déléguée)"


class ReceptionDecision(LabelledEnum):
    """The maître d'ouvrage's decision after the pre-acceptance inspection (CCAG art. 41.3)."""

    SANS_RESERVE = "sans_reserve", "réception sans réserve"
    AVEC_RESERVES = "avec_reserves", "réception avec réserves (imperfections ou malfaçons)"
    SOUS_RESERVE = (
        "sous_reserve",
        "réception sous réserve de l'exécution de prestations non exécutées",
    )
    REFUS = "refus", "refus de réception"


class Phase(LabelledEnum):
    """Elements of the MOE mission (CCP R2431-1 ff. for buildings, CCAG-MOE 2021)."""

    ESQ = "esq", "Esquisse (ESQ)"
    DIAG = "diag", "Diagnostic (DIAG)"
    APS = "aps", "Avant-projet sommaire (APS)"
    APD = "apd", "Avant-projet définitif (APD)"
    PRO = "pro", "Études de projet (PRO)"
    ACT = "act", "Assistance pour la passation des marchés de travaux (ACT)"
    VISA = "visa", "Visa des études d'exécution (VISA)"
    EXE = "exe", "Études d'exécution (EXE)"
    DET = "det", "Direction de l'exécution des travaux (DET)"
    AOR = "aor", "Assistance aux opérations de réception (AOR)"
    OPC = "opc", "Ordonnancement, pilotage et coordination (OPC)"
    SYN = "syn", "Synthèse (SYN)"

    @property
    def order(self) -> int:
        return list(Phase).index(self)


class PhaseDecision(LabelledEnum):
    APPROUVEE = "approuvee", "approuvée"
    APPROUVEE_AVEC_OBSERVATIONS = "approuvee_avec_observations", "approuvée avec observations"
    AJOURNEE = "ajournee", "ajournée (mises au point demandées)"
    REJETEE = "rejetee", "rejetée"


class EnvelopeAlert(LabelledEnum):
    OK = "ok", "dans l'enveloppe"
    VIGILANCE = "vigilance", "vigilance : enveloppe presque consommée"
    DEPASSEMENT = "depassement", "enveloppe dépassée"


class OrderKind(LabelledEnum):
    """What an ordre de service prescribes (the values of the contracts' service orders)."""

    DEMARRAGE = "demarrage", "démarrage des travaux"
    PRESTATIONS = "prestations", "prestations supplémentaires ou modificatives"
    ARRET = "arret", "ajournement (arrêt) des travaux"
    REPRISE = "reprise", "reprise des travaux"
    AUTRE = "autre", "prescription d'exécution"
