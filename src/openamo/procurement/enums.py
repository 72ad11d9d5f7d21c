"""Enumerations of the procurement domain; values are the French legal terms of the JSON contract."""

from __future__ import annotations

from openamo.enums import LabelledEnum


class Buyer(LabelledEnum):
    COLLECTIVITE = "collectivite", "Collectivité territoriale ou établissement public local"
    ETAT = "etat", "État ou autorité publique centrale"
    ENTITE_ADJUDICATRICE = "entite_adjudicatrice", "Entité adjudicatrice (opérateur de réseau)"


class Nature(LabelledEnum):
    FOURNITURES = "fournitures", "Fournitures"
    SERVICES = "services", "Services"
    TRAVAUX = "travaux", "Travaux"


class ProcedureKind(LabelledEnum):
    DISPENSE = "dispense", "Marché sans publicité ni mise en concurrence préalables (R2122-8)"
    MAPA = "mapa", "Marché à procédure adaptée (MAPA)"
    FORMALISEE = "formalisee", "Procédure formalisée"


class Publicity(LabelledEnum):
    AUCUNE = "aucune", "Aucune publicité obligatoire"
    LIBRE = "libre", "Publicité adaptée, librement définie"
    BOAMP_OU_JAL = "boamp_ou_jal", "Avis au BOAMP ou dans un journal d'annonces légales"
    BOAMP_ET_JOUE = "boamp_et_joue", "Avis au BOAMP et au Journal officiel de l'Union européenne"


ALLOWED_PROCEDURE_LABELS = {
    "dispense": "Marché sans publicité ni mise en concurrence préalables",
    "mapa": "Procédure adaptée",
    "appel_offres_ouvert": "Appel d'offres ouvert",
    "appel_offres_restreint": "Appel d'offres restreint",
    "procedure_avec_negociation": "Procédure avec négociation",
    "dialogue_competitif": "Dialogue compétitif",
}


class SocialConditionException(LabelledEnum):
    """The three cases where L2112-2-1 does not require a social execution condition."""

    SOLUTION_IMMEDIATEMENT_DISPONIBLE = (
        "solution_immediatement_disponible",
        ("le besoin peut être satisfait par une solution immédiatement disponible (L2112-2-1, 1°)"),
    )
    ABSENCE_DE_LIEN_AVEC_OBJET = (
        "absence_de_lien_avec_objet",
        (
            "la prise en compte de considérations sociales n'est "
            "pas susceptible de présenter un lien suffisant avec l'objet du marché "
            "(L2112-2-1, 2°)"
        ),
    )
    RESTRICTION_CONCURRENCE_OU_EXECUTION_DIFFICILE = (
        "restriction_concurrence_ou_execution_difficile",
        (
            "cette prise en compte "
            "restreindrait la concurrence ou rendrait techniquement ou économiquement difficile "
            "l'exécution du marché (L2112-2-1, 3°)"
        ),
    )


class FrameworkExecution(LabelledEnum):
    """How an accord-cadre is executed (R2162-2): orders, subsequent contracts, or both."""

    BONS_DE_COMMANDE = (
        "bons_de_commande",
        ("exécuté par bons de commande (R2162-2, 2e alinéa, R2162-13 et R2162-14)"),
    )
    MARCHES_SUBSEQUENTS = (
        "marches_subsequents",
        ("exécuté par marchés subséquents (R2162-2, 1er alinéa, R2162-7 à R2162-12)"),
    )
    MIXTE = (
        "mixte",
        ("exécuté en partie par bons de commande, en partie par marchés subséquents (R2162-3)"),
    )


class FrameworkHolders(LabelledEnum):
    """One holder, or several among whom orders or subsequent contracts are shared (R2162-1)."""

    MONO_ATTRIBUTAIRE = "mono_attributaire", "mono-attributaire (un seul titulaire)"
    MULTI_ATTRIBUTAIRE = "multi_attributaire", "multi-attributaire (plusieurs titulaires)"
