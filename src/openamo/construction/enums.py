"""Enumerations of the construction domain; values are the French terms of the JSON contract."""

from __future__ import annotations

from enum import StrEnum


class Buyer(StrEnum):
    """Maîtres d'ouvrage of CCP L2411-1 that OpenAMO serves."""

    COLLECTIVITE = "collectivite"
    ETAT = "etat"

    @property
    def label(self) -> str:
        return {
            "collectivite": "collectivité territoriale ou établissement public local",
            "etat": "État ou l'un de ses établissements publics",
        }[self.value]


class WorkKind(StrEnum):
    """Nature of the operation, which decides whether a design contest is mandatory (R2172-2)."""

    BATIMENT_NEUF = "batiment_neuf"
    REHABILITATION = "rehabilitation"
    INFRASTRUCTURE = "infrastructure"
    PROJET_URBAIN_PAYSAGER = "projet_urbain_paysager"
    RECHERCHE_EXPERIMENTATION = "recherche_experimentation"

    @property
    def label(self) -> str:
        return {
            "batiment_neuf": "construction d'un bâtiment neuf",
            "rehabilitation": "réutilisation ou réhabilitation d'un ouvrage existant",
            "infrastructure": "ouvrage d'infrastructure",
            "projet_urbain_paysager": "projet urbain ou paysager",
            "recherche_experimentation": "ouvrage réalisé à titre de recherche, d'essai ou "
            "d'expérimentation",
        }[self.value]

    @property
    def is_building(self) -> bool:
        return self in {WorkKind.BATIMENT_NEUF, WorkKind.REHABILITATION}


class MoeProcedure(StrEnum):
    DISPENSE = "dispense"
    MAPA = "mapa"
    CONCOURS = "concours"
    FORMALISEE = "formalisee"

    @property
    def label(self) -> str:
        return {
            "dispense": "Marché sans publicité ni mise en concurrence préalables (faible montant)",
            "mapa": "Procédure adaptée",
            "concours": "Concours de maîtrise d'œuvre obligatoire",
            "formalisee": "Procédure formalisée (concours non obligatoire)",
        }[self.value]


class Organisation(StrEnum):
    """Who helps the maître d'ouvrage run the operation."""

    EN_REGIE = "en_regie"
    AMO = "amo"
    CONDUITE_OPERATION = "conduite_operation"
    MANDAT = "mandat"

    @property
    def label(self) -> str:
        return {
            "en_regie": "Maîtrise d'ouvrage assurée par les services de l'acheteur",
            "amo": "Assistance à maîtrise d'ouvrage (AMO)",
            "conduite_operation": "Conduite d'opération",
            "mandat": "Mandat de maîtrise d'ouvrage (maîtrise d'ouvrage déléguée)",
        }[self.value]


class ReceptionDecision(StrEnum):
    """The maître d'ouvrage's decision after the pre-acceptance inspection (CCAG art. 41.3)."""

    SANS_RESERVE = "sans_reserve"
    AVEC_RESERVES = "avec_reserves"
    SOUS_RESERVE = "sous_reserve"
    REFUS = "refus"

    @property
    def label(self) -> str:
        return {
            "sans_reserve": "réception sans réserve",
            "avec_reserves": "réception avec réserves (imperfections ou malfaçons)",
            "sous_reserve": "réception sous réserve de l'exécution de prestations non exécutées",
            "refus": "refus de réception",
        }[self.value]


class Phase(StrEnum):
    """Elements of the MOE mission (CCP R2431-1 ff. for buildings, CCAG-MOE 2021)."""

    ESQ = "esq"
    DIAG = "diag"
    APS = "aps"
    APD = "apd"
    PRO = "pro"
    ACT = "act"
    VISA = "visa"
    EXE = "exe"
    DET = "det"
    AOR = "aor"
    OPC = "opc"
    SYN = "syn"

    @property
    def label(self) -> str:
        return {
            "esq": "Esquisse (ESQ)",
            "diag": "Diagnostic (DIAG)",
            "aps": "Avant-projet sommaire (APS)",
            "apd": "Avant-projet définitif (APD)",
            "pro": "Études de projet (PRO)",
            "act": "Assistance pour la passation des marchés de travaux (ACT)",
            "visa": "Visa des études d'exécution (VISA)",
            "exe": "Études d'exécution (EXE)",
            "det": "Direction de l'exécution des travaux (DET)",
            "aor": "Assistance aux opérations de réception (AOR)",
            "opc": "Ordonnancement, pilotage et coordination (OPC)",
            "syn": "Synthèse (SYN)",
        }[self.value]

    @property
    def order(self) -> int:
        return list(Phase).index(self)


class PhaseDecision(StrEnum):
    APPROUVEE = "approuvee"
    APPROUVEE_AVEC_OBSERVATIONS = "approuvee_avec_observations"
    AJOURNEE = "ajournee"
    REJETEE = "rejetee"

    @property
    def label(self) -> str:
        return {
            "approuvee": "approuvée",
            "approuvee_avec_observations": "approuvée avec observations",
            "ajournee": "ajournée (mises au point demandées)",
            "rejetee": "rejetée",
        }[self.value]


class EnvelopeAlert(StrEnum):
    OK = "ok"
    VIGILANCE = "vigilance"
    DEPASSEMENT = "depassement"

    @property
    def label(self) -> str:
        return {
            "ok": "dans l'enveloppe",
            "vigilance": "vigilance : enveloppe presque consommée",
            "depassement": "enveloppe dépassée",
        }[self.value]


class OrderKind(StrEnum):
    """What an ordre de service prescribes (the values of the contracts' service orders)."""

    DEMARRAGE = "demarrage"
    PRESTATIONS = "prestations"
    ARRET = "arret"
    REPRISE = "reprise"
    AUTRE = "autre"

    @property
    def label(self) -> str:
        return {
            "demarrage": "démarrage des travaux",
            "prestations": "prestations supplémentaires ou modificatives",
            "arret": "ajournement (arrêt) des travaux",
            "reprise": "reprise des travaux",
            "autre": "prescription d'exécution",
        }[self.value]
