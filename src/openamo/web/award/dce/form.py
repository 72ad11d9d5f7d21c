"""The DCE settings form, and the field where each of the domain's errors is typed."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Unpack

from django import forms

from openamo.award.consultation import (
    ContractForm,
    PriceForm,
    ProcedureType,
)
from openamo.procurement.enums import (
    SocialConditionException,
)
from openamo.web.award import lines
from openamo.web.award.access import Scope
from openamo.web.award.forms.fields import number_field, text_area
from openamo.web.award.requests import DceLotRequest, DceRequest
from openamo.web.forms import (
    TIME_HELP,
    Files,
    FormOptions,
    OpenAMOForm,
    Posted,
    TimeField,
    amount_field,
)

DOMAIN_FIELDS = {
    "prix_revisable_obligatoire": "price_form",
    "condition_environnementale_absente": "environmental_conditions",
    "procedure_non_autorisee": "procedure_type",
    "departage_inconnu": "tie_break",
    "accord_cadre_mixte_sans_repartition": "mixed_split",
}
"""Codes of the domain's blocking checks → the field where the fix is typed."""


LOCATION_PREFIXES = (
    ("price.revision.base_month", "revision_base_month"),
    ("price.revision.periodicity", "revision_periodicity"),
    ("price.revision.fixed_part", "revision_fixed_part"),
    ("price", "revision_terms"),
    ("penalties", "penalties"),
    ("buyer.profile_url", "buyer_profile_url"),
    ("buyer.address", "buyer_address"),
    ("buyer.representative", "buyer_representative"),
    ("buyer.court", "buyer_court"),
    ("buyer.contact", "buyer_contact"),
    ("buyer.accountant", "buyer_accountant"),
    ("delivery_sites", "delivery_sites"),
    ("reference", "reference"),
    ("tie_break", "tie_break"),
    ("cpv", "cpv"),
    ("ccag", "ccag"),
    ("advance_percent", "advance_percent"),
    ("retention_percent", "retention_percent"),
    ("environmental_conditions", "environmental_conditions"),
    ("social_conditions", "social_conditions"),
    ("social_condition_exception", "social_condition_exception"),
    ("technical_memo", "technical_memo"),
    ("economic_capacity", "economic_capacity"),
    ("technical_capacity", "technical_capacity"),
    ("subsequent_response_days", "subsequent_response_days"),
    ("mixed_split", "mixed_split"),
)
"""Locations of the domain's input errors → the field where the value was typed."""


_LOT_LOCATION = re.compile(r"^lots\[(\d+)\]\.(\w+)")


_LOT_FIELDS = {"items": "items", "max_amount_ht": "max", "egalim": "egalim_quality_percent"}


def field_for(location: str, scopes: list[Scope]) -> str | None:
    """The form field where the value a domain error points at is typed."""
    if location in DOMAIN_FIELDS:
        return DOMAIN_FIELDS[location]
    match = _LOT_LOCATION.match(location)
    if match and int(match[1]) < len(scopes) and match[2] in _LOT_FIELDS:
        name = _LOT_FIELDS[match[2]]
        return name if name.startswith("egalim") else f"{name}_{scopes[int(match[1])].key}"
    for prefix, field in LOCATION_PREFIXES:
        if location.startswith(prefix):
            return field
    return None


def _lines_field(
    label: str, help_text: str, parser: Callable[[str], object] | None = None
) -> forms.CharField:
    field = text_area(label, help_text=help_text, rows=3, max_length=20_000)
    if parser is not None:
        field.validators.append(_validator(parser))
    return field


def _validator(parser: Callable[[str], object]) -> Callable[[str], None]:
    def validate(value: str) -> None:
        try:
            parser(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    return validate


class DceSettingsForm(OpenAMOForm):
    reference = forms.CharField(label="Référence de la consultation", max_length=60)
    cpv = forms.RegexField(
        label="Code CPV principal",
        regex=r"^\d{8}(-\d)?$",
        required=False,
        help_text="Huit chiffres et la clé : par exemple 15000000-8.",
        error_messages={"invalid": "Code CPV attendu : huit chiffres, puis « - » et la clé."},
    )
    procedure_type = forms.ChoiceField(
        label="Procédure de passation",
        required=False,
        choices=[("", "Selon le montant : procédure adaptée si possible, sinon appel d'offres")]
        + [(p.value, p.label) for p in ProcedureType],
    )
    contract_form = forms.ChoiceField(
        label="Forme du marché", choices=[(c.value, c.label) for c in ContractForm]
    )
    ccag = forms.CharField(label="CCAG applicable", max_length=60, required=False)
    response_time = TimeField(
        label="Heure limite de remise des offres",
        initial=datetime.time(12, 0),
        help_text=f"{TIME_HELP}. La date est celle de la consultation (assistant de choix de la "
        "procédure).",
    )
    validity_days = forms.IntegerField(
        label="Délai de validité des offres (jours)", min_value=1, max_value=730, initial=120
    )
    winners = forms.IntegerField(
        label="Nombre d'attributaires par lot",
        min_value=1,
        max_value=50,
        initial=1,
        help_text="Plus d'un pour un accord-cadre multi-attributaire, dans l'ordre du classement.",
    )
    subsequent_response_days = forms.IntegerField(
        label="Délai de réponse des titulaires aux remises en concurrence (jours)",
        min_value=1,
        max_value=180,
        required=False,
        help_text="Accord-cadre multi-attributaire exécuté par marchés subséquents : à défaut, "
        "chaque consultation fixe un délai suffisant (article R2162-10, 2°).",
    )
    mixed_split = text_area(
        "Répartition entre bons de commande et marchés subséquents",
        help_text="Accord-cadre mixte : les prestations commandées par bons de commande et celles "
        "qui font l'objet de marchés subséquents (article R2162-3).",
        rows=2,
    )
    tie_break = forms.ChoiceField(
        label="Critère de départage en cas d'égalité", required=False, choices=[]
    )
    variants_allowed = forms.BooleanField(label="Variantes autorisées", required=False)
    negotiation = forms.BooleanField(label="Négociation prévue (procédure adaptée)", required=False)
    site_visit = forms.BooleanField(label="Visite de site obligatoire", required=False)
    buyer_address = text_area("Adresse de l'acheteur", rows=2, max_length=1000)
    buyer_representative = forms.CharField(
        label="Représentant du pouvoir adjudicateur", max_length=300, required=False
    )
    buyer_profile_url = forms.URLField(
        label="Adresse de la consultation sur le profil d'acheteur",
        max_length=300,
        required=False,
        assume_scheme="https",
    )
    buyer_court = forms.CharField(
        label="Tribunal administratif compétent (recours)", max_length=300, required=False
    )
    buyer_contact = forms.CharField(
        label="Contact pour les questions des candidats", max_length=300, required=False
    )
    buyer_accountant = forms.CharField(
        label="Comptable public assignataire des paiements",
        max_length=300,
        required=False,
        help_text="Par exemple « Service de gestion comptable de Rennes » : l'acte d'engagement "
        "le désigne (R2191-59).",
    )
    delivery_sites = _lines_field(
        "Lieux de livraison ou d'exécution",
        "Un lieu par ligne, avec son adresse ; le CCTP les reprend.",
    )
    price_form = forms.ChoiceField(
        label="Forme des prix", choices=[(p.value, p.label.capitalize()) for p in PriceForm]
    )
    revision_fixed_part = number_field(
        "Partie fixe de la formule de révision", help_text="Entre 0 et 1, par exemple 0,125."
    )
    revision_terms = _lines_field(
        "Indices de la formule de révision",
        "Une ligne par indice : « poids ; nom de l'indice ; identifiant INSEE ». Partie fixe et "
        "poids font 1 au total.",
        lines.revision_terms,
    )
    revision_base_month = forms.RegexField(
        label="Mois zéro (AAAA-MM)",
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        error_messages={"invalid": "Mois attendu au format AAAA-MM, par exemple 2027-01."},
    )
    revision_periodicity = forms.CharField(
        label="Périodicité de la révision", max_length=100, required=False
    )
    penalties = _lines_field(
        "Pénalités",
        "Une ligne par pénalité : « événement ; montant HT ; par … ; plafond en % (facultatif) ».",
        lines.penalties,
    )
    advance_percent = number_field("Avance (% du montant)")
    retention_percent = number_field("Retenue de garantie (%)")
    environmental_conditions = _lines_field(
        "Conditions d'exécution environnementales", "Une condition par ligne."
    )
    social_conditions = _lines_field("Conditions d'exécution sociales", "Une condition par ligne.")
    social_condition_exception = forms.ChoiceField(
        label="Exception à la condition sociale obligatoire (article L2112-2-1)",
        help_text="À partir du 21/08/2026, un marché qui atteint les seuils européens comporte une "
        "condition sociale, sauf l'un de ces cas, à justifier au dossier.",
        choices=[("", "Aucune exception")]
        + [(e.value, e.label[0].upper() + e.label[1:]) for e in SocialConditionException],
        required=False,
    )
    technical_memo = _lines_field("Contenu attendu du mémoire technique", "Un point par ligne.")
    economic_capacity = text_area("Capacité économique et financière demandée", rows=2)
    technical_capacity = text_area("Capacités techniques et professionnelles demandées", rows=2)
    egalim_quality_percent = number_field(
        "Engagement de produits durables et de qualité des lots de denrées (%)"
    )
    egalim_organic_percent = number_field(
        "Engagement de produits issus de l'agriculture biologique des lots de denrées (%)"
    )

    def __init__(
        self,
        data: Posted | None = None,
        files: Files | None = None,
        *,
        scopes: list[Scope],
        criteria_names: list[str],
        **options: Unpack[FormOptions],
    ) -> None:
        super().__init__(data, files, **options)
        self.scopes = scopes
        tie_break = self.fields["tie_break"]
        assert isinstance(tie_break, forms.ChoiceField)
        tie_break.choices = [("", "Aucun")] + [(name, name) for name in criteria_names]
        for scope in scopes:
            self.fields[f"catering_{scope.key}"] = forms.BooleanField(
                label=f"{scope.label} : denrées alimentaires (clauses EGAlim)", required=False
            )
            self.fields[f"items_{scope.key}"] = _lines_field(
                f"{scope.label} : bordereau des prix",
                "Une ligne par article : « désignation ; unité ; quantité ; prix unitaire "
                "estimé HT (facultatif) ».",
                lines.bpu_items,
            )
            self.fields[f"max_{scope.key}"] = amount_field(
                f"{scope.label} : montant maximum HT de l'accord-cadre (€)", required=False
            )
            self.fields[f"requirements_{scope.key}"] = _lines_field(
                f"{scope.label} : exigences techniques (CCTP)",
                "Une exigence par ligne : normes, qualité, conditionnement, conditions de "
                "livraison. Sans elles, le CCTP les signale « À compléter ».",
                lines.requirements,
            )

    def request(self) -> DceRequest:
        """What was typed, typed (what ``DceSettings.data`` keeps, :meth:`DceRequest.to_stored`)."""
        data = self.cleaned_data
        return DceRequest(
            reference=data["reference"],
            cpv=data["cpv"],
            procedure_type=ProcedureType(data["procedure_type"])
            if data["procedure_type"]
            else None,
            contract_form=ContractForm(data["contract_form"]),
            ccag=data["ccag"],
            response_time=data["response_time"],
            validity_days=data["validity_days"],
            winners=data["winners"],
            subsequent_response_days=data["subsequent_response_days"],
            mixed_split=data["mixed_split"],
            tie_break=data["tie_break"],
            variants_allowed=data["variants_allowed"],
            negotiation=data["negotiation"],
            site_visit=data["site_visit"],
            buyer_address=data["buyer_address"],
            buyer_representative=data["buyer_representative"],
            buyer_profile_url=data["buyer_profile_url"],
            buyer_court=data["buyer_court"],
            buyer_contact=data["buyer_contact"],
            buyer_accountant=data["buyer_accountant"],
            delivery_sites=data["delivery_sites"],
            price_form=PriceForm(data["price_form"]),
            revision_fixed_part=data["revision_fixed_part"],
            revision_terms=data["revision_terms"],
            revision_base_month=data["revision_base_month"],
            revision_periodicity=data["revision_periodicity"],
            penalties=data["penalties"],
            advance_percent=data["advance_percent"],
            retention_percent=data["retention_percent"],
            environmental_conditions=data["environmental_conditions"],
            social_conditions=data["social_conditions"],
            social_condition_exception=SocialConditionException(data["social_condition_exception"])
            if data["social_condition_exception"]
            else None,
            technical_memo=data["technical_memo"],
            economic_capacity=data["economic_capacity"],
            technical_capacity=data["technical_capacity"],
            egalim_quality_percent=data["egalim_quality_percent"],
            egalim_organic_percent=data["egalim_organic_percent"],
            lots={
                scope.key: DceLotRequest(
                    catering=data[f"catering_{scope.key}"],
                    items=data[f"items_{scope.key}"],
                    max_amount_ht=data[f"max_{scope.key}"],
                    requirements=data[f"requirements_{scope.key}"],
                )
                for scope in self.scopes
            },
        )
