"""Product families and EGAlim categories, with ma cantine's codes (lowercase) as values."""

from __future__ import annotations

from enum import StrEnum

from openamo.enums import LabelledEnum


class Family(LabelledEnum):
    VIANDES_VOLAILLES = "viandes_volailles", "Viandes et volailles fraîches et surgelées"
    CHARCUTERIE = "charcuterie", "Charcuterie"
    PRODUITS_DE_LA_MER = "produits_de_la_mer", "Poissons, produits de la mer et de l'aquaculture"
    FRUITS_ET_LEGUMES = "fruits_et_legumes", "Fruits et légumes frais et surgelés"
    PRODUITS_LAITIERS = "produits_laitiers", "BOF (produits laitiers, beurre et œufs)"
    BOULANGERIE = "boulangerie", "Boulangerie et pâtisserie fraîches et surgelées"
    BOISSONS = "boissons", "Boissons"
    AUTRES = "autres", "Autres produits frais, surgelés et d'épicerie"

    @property
    def meat_or_fish(self) -> bool:
        """Default of ``is_meat_or_fish``: ma cantine's 60 % ratio uses these two families only."""
        return self in {Family.VIANDES_VOLAILLES, Family.PRODUITS_DE_LA_MER}


class Category(StrEnum):
    """ma cantine's grouping of labels, in its counting order (a product counts in the first)."""

    BIO = "bio"
    SIQO = "siqo"
    EGALIM_AUTRES = "egalim_autres"
    EXTERNALITES_PERFORMANCE = "externalites_performance"
    NON_EGALIM = "non_egalim"


class Label(LabelledEnum):
    BIO = "bio", "Agriculture biologique (y compris en conversion)"
    LABEL_ROUGE = "label_rouge", "Label Rouge"
    AOCAOP = "aocaop", "AOC / AOP"
    IGP = "igp", "IGP"
    STG = "stg", "STG (spécialité traditionnelle garantie)"
    HVE = "hve", "Haute Valeur Environnementale (HVE)"
    CERTIFICATION_ENVIRONNEMENTALE_NIVEAU_2 = (
        "certification_environnementale_niveau_2",
        "Certification environnementale de niveau 2",
    )
    PECHE_DURABLE = "peche_durable", "Écolabel pêche durable"
    RUP = "rup", "Région ultrapériphérique (RUP)"
    COMMERCE_EQUITABLE = "commerce_equitable", "Commerce équitable"
    FERMIER = "fermier", "Mention « fermier » ou « produit de la ferme »"
    EXTERNALITES = "externalites", "Coût des externalités environnementales"
    PERFORMANCE = "performance", "Performances environnementales"

    @property
    def category(self) -> Category:
        if self is Label.BIO:
            return Category.BIO
        if self in {Label.LABEL_ROUGE, Label.AOCAOP, Label.IGP, Label.STG}:
            return Category.SIQO
        if self in {Label.EXTERNALITES, Label.PERFORMANCE}:
            return Category.EXTERNALITES_PERFORMANCE
        return Category.EGALIM_AUTRES

    @property
    def macantine_code(self) -> str:
        """Code in ma cantine's files: niveau 2 is declared under HVE (ma cantine's own wording)."""
        if self is Label.CERTIFICATION_ENVIRONNEMENTALE_NIVEAU_2:
            return "HVE"
        return self.value.upper()

    @property
    def parameter(self) -> str:
        return _LABEL_PARAMETERS[self]


_LABEL_PARAMETERS = {
    Label.BIO: "catering.labels.bio",
    Label.LABEL_ROUGE: "catering.labels.label_rouge",
    Label.AOCAOP: "catering.labels.aocaop",
    Label.IGP: "catering.labels.igp",
    Label.STG: "catering.labels.stg",
    Label.HVE: "catering.labels.hve",
    Label.CERTIFICATION_ENVIRONNEMENTALE_NIVEAU_2: (
        "catering.labels.certification_environnementale_niveau_2"
    ),
    Label.PECHE_DURABLE: "catering.labels.peche_durable",
    Label.RUP: "catering.labels.rup",
    Label.COMMERCE_EQUITABLE: "catering.labels.commerce_equitable",
    Label.FERMIER: "catering.labels.fermier",
    Label.EXTERNALITES: "catering.labels.externalites",
    Label.PERFORMANCE: "catering.labels.performance",
}
"""The law parameter dating each label, written whole (a test lists parameters nobody reads)."""

CATEGORY_ORDER = (
    Category.BIO,
    Category.SIQO,
    Category.EGALIM_AUTRES,
    Category.EXTERNALITES_PERFORMANCE,
)

LEGACY_LABELS = {"conversion_bio": Label.BIO}
"""Codes ma cantine no longer offers but old files still carry (``CONVERSION_BIO`` counts as bio)."""


class Origin(StrEnum):
    FRANCE = "france"
    EUROPE = "europe"


class LocalDefinition(StrEnum):
    PAT = "pat"
    COMMUNE = "commune"
    DEPARTEMENT = "departement"
    REGION = "region"
    KM = "km"


class CateringBuyer(LabelledEnum):
    """Who runs the restaurant: the State's own catering has a 100 % meat-and-fish target."""

    ETAT = "etat", "restauration collective de l'État"
    ETABLISSEMENT_PUBLIC_ETAT = (
        "etablissement_public_etat",
        "restauration d'un établissement public de l'État",
    )
    ENTREPRISE_PUBLIQUE_NATIONALE = (
        "entreprise_publique_nationale",
        "restauration d'une entreprise publique nationale",
    )
    AUTRE = "autre", "restauration collective"

    @property
    def is_state(self) -> bool:
        return self is not CateringBuyer.AUTRE


class Territory(LabelledEnum):
    """Where the restaurant is: overseas targets are staged (décret n° 2021-1235)."""

    METROPOLE = "metropole", "France métropolitaine"
    GUADELOUPE = "guadeloupe", "Guadeloupe"
    GUYANE = "guyane", "Guyane"
    MARTINIQUE = "martinique", "Martinique"
    LA_REUNION = "la_reunion", "La Réunion"
    SAINT_MARTIN = "saint_martin", "Saint-Martin"
    MAYOTTE = "mayotte", "Mayotte"
    SAINT_PIERRE_ET_MIQUELON = "saint_pierre_et_miquelon", "Saint-Pierre-et-Miquelon"

    @property
    def group(self) -> str | None:
        """The suffix of this territory's target parameters (None: the general targets)."""
        if self is Territory.METROPOLE:
            return None
        if self in {Territory.MAYOTTE, Territory.SAINT_PIERRE_ET_MIQUELON}:
            return self.value
        return "groupe_1"

    @property
    def located(self) -> str:
        """« en Guadeloupe », « à Mayotte »: where the restaurant is, in a sentence."""
        article = "en" if self in {Territory.GUADELOUPE, Territory.GUYANE, Territory.MARTINIQUE,
                                   Territory.METROPOLE} else "à"  # fmt: skip
        return f"{article} {self.label}"
