"""The consultation file (DCE): what it needs beyond the operation's data (buyer details,
clauses, price revision, bills of quantities per lot), as a form, and its mapping to the
domain's ``ConsultationInput`` (``openamo.award.consultation``), which ``openamo.documents``
turns into the RC, AE, CCAP, CCTP and BPU/DQE.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from django import forms

from openamo.award.consultation import ContractForm, PriceForm, ProcedureType
from openamo.errors import OpenAMOError
from openamo.money import format_amount
from openamo.pricing.term import renewal_length
from openamo.procurement.enums import FrameworkExecution, Nature, SocialConditionException
from openamo.web.award import lines
from openamo.web.award.access import GLOBAL, Scope
from openamo.web.award.forms import number_field, text_area
from openamo.web.award.mappers import Context
from openamo.web.forms import OpenAMOForm, amount_field
from openamo.web.operations.models import Operation

CCAG_BY_NATURE = {
    Nature.FOURNITURES.value: "CCAG-FCS (arrêté du 30 mars 2021)",
    Nature.SERVICES.value: "CCAG-FCS (arrêté du 30 mars 2021)",
    Nature.TRAVAUX.value: "CCAG-Travaux (arrêté du 30 mars 2021)",
}
DOMAIN_FIELDS = {
    "prix_revisable_obligatoire": "price_form",
    "condition_environnementale_absente": "environmental_conditions",
    "procedure_non_autorisee": "procedure_type",
    "departage_inconnu": "tie_break",
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


def _lines_field(label: str, help_text: str, parser: Any = None) -> forms.CharField:
    field = text_area(label, help_text=help_text, rows=3, max_length=20_000)
    if parser is not None:
        field.validators.append(_validator(parser))
    return field


def _validator(parser: Any) -> Any:
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
    response_time = forms.TimeField(
        label="Heure limite de remise des offres",
        initial=datetime.time(12, 0),
        help_text="La date est celle de la consultation (assistant de choix de la procédure).",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
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
        self, *args: Any, scopes: list[Scope], criteria_names: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
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

    def stored(self) -> dict[str, Any]:
        """The cleaned data as JSON (what ``DceSettings.data`` keeps)."""
        return {key: _json(value) for key, value in self.cleaned_data.items()}


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return value


def default_settings(operation: Operation, context: Context) -> dict[str, Any]:
    nature = context.need.nature if context.need else Nature.FOURNITURES.value
    organisation = operation.organisation
    return {
        "reference": f"{operation.created_at:%Y}-{operation.pk:03d}",
        "contract_form": ContractForm.ORDINAIRE.value,
        "ccag": CCAG_BY_NATURE.get(nature, ""),
        "response_time": "12:00",
        "validity_days": 120,
        "winners": 1,
        "price_form": PriceForm.FERME.value,
        "buyer_representative": f"Le représentant légal de {organisation.name}",
        **_framework_defaults(context),
    }


def _framework_defaults(context: Context) -> dict[str, Any]:
    """An accord-cadre described on the need: executed by orders, the DCE starts as one, with
    its holders and (contract without lots) its maximum; the DCE has no form for subsequent
    contracts, so the need's other executions are left for the user to settle here."""
    need = context.need
    if need is None or not need.is_framework:
        return {}
    if need.framework_execution not in ("", FrameworkExecution.BONS_DE_COMMANDE.value):
        return {}
    found: dict[str, Any] = {"contract_form": ContractForm.ACCORD_CADRE_BONS_DE_COMMANDE.value}
    if need.framework_holders_count:
        found["winners"] = need.framework_holders_count
    if need.framework_maximum_ht is not None:
        found[f"max_{GLOBAL}"] = _json(need.framework_maximum_ht)
    return found


# --- Mapping to the domain ---------------------------------------------------------------------


def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return str(value).strip() if value not in (None, "") else None


def _buyer(operation: Operation, data: dict[str, Any]) -> dict[str, Any]:
    organisation = operation.organisation
    buyer: dict[str, Any] = {"name": organisation.name}
    if organisation.buyer:
        buyer["buyer_type"] = organisation.buyer
    if len(organisation.siret) == 14 and organisation.siret.isdigit():
        buyer["siret"] = organisation.siret
    for field, key in (
        ("address", "buyer_address"),
        ("representative", "buyer_representative"),
        ("profile_url", "buyer_profile_url"),
        ("court", "buyer_court"),
        ("contact", "buyer_contact"),
    ):
        if _text(data, key):
            buyer[field] = _text(data, key)
    return buyer


def _price(data: dict[str, Any]) -> dict[str, Any]:
    price: dict[str, Any] = {"form": data.get("price_form") or PriceForm.FERME.value}
    if price["form"] == PriceForm.REVISABLE.value:
        revision: dict[str, Any] = {
            "fixed_part": data.get("revision_fixed_part") or "0",
            "terms": lines.revision_terms(data.get("revision_terms") or ""),
            "base_month": data.get("revision_base_month") or "",
            "periodicity": data.get("revision_periodicity") or "",
        }
        price["revision"] = revision
    return price


def _lot(scope: Scope, data: dict[str, Any], context: Context) -> dict[str, Any]:
    lot = scope.lot
    need = context.need
    amount = lot.estimated_amount_ht if lot else (need.estimated_amount_ht if need else None)
    entry: dict[str, Any] = {
        "number": lot.number if lot else 1,
        "name": lot.name if lot else (need.object if need and need.object else scope.label),
        "estimated_amount_ht": format_amount(amount or Decimal(0)),
        "catering": bool(data.get(f"catering_{scope.key}")),
        "items": lines.bpu_items(data.get(f"items_{scope.key}") or ""),
    }
    description = lot.description if lot else (need.object if need else "")
    if description:
        entry["description"] = description[:5000]
    if data.get(f"max_{scope.key}"):
        entry["max_amount_ht"] = data[f"max_{scope.key}"]
    if entry["catering"]:
        targets = {
            "quality_percent": data.get("egalim_quality_percent"),
            "organic_percent": data.get("egalim_organic_percent"),
        }
        targets = {key: value for key, value in targets.items() if value not in (None, "")}
        if targets:
            entry["egalim"] = targets
    return entry


def consultation_input(
    operation: Operation,
    context: Context,
    data: dict[str, Any],
    scopes: list[Scope],
) -> dict[str, Any]:
    """The ``amo dce generate`` input of the operation; what is missing upstream is named."""
    need, consultation = context.need, context.consultation
    if need is None or not need.duration_months:
        raise OpenAMOError(
            "Décrivez d'abord le besoin, avec la durée du marché (page de l'opération).",
            code="need_missing",
        )
    if consultation is None or not consultation.launch_date or not consultation.response_deadline:
        raise OpenAMOError(
            "Lancez d'abord l'assistant de choix de la procédure : le DCE reprend la date de "
            "lancement et la date limite de remise des offres de la consultation.",
            code="consultation_missing",
        )
    if not context.criteria:
        raise OpenAMOError("Définissez d'abord les critères de jugement.", code="criteria_missing")
    time = datetime.time.fromisoformat(data.get("response_time") or "12:00")
    payload: dict[str, Any] = {
        "buyer": _buyer(operation, data),
        "object": (need.object or operation.title)[:300],
        "reference": data.get("reference") or str(operation.pk),
        "nature": need.nature,
        "launch_date": consultation.launch_date.isoformat(),
        "response_deadline": datetime.datetime.combine(
            consultation.response_deadline, time
        ).isoformat(),
        "validity_days": data.get("validity_days") or 120,
        "duration_months": need.duration_months,
        "renewals": need.renewals,
        "contract_form": data.get("contract_form") or ContractForm.ORDINAIRE.value,
        "ccag": _text(data, "ccag"),
        "variants_allowed": bool(data.get("variants_allowed")),
        "negotiation": bool(data.get("negotiation")),
        "site_visit": bool(data.get("site_visit")),
        "criteria": context.criteria,
        "lots": [_lot(s, data, context) for s in scopes],
        "winners": data.get("winners") or 1,
        "price": _price(data),
        "penalties": lines.penalties(data.get("penalties") or ""),
    }
    if need.renewals:
        payload["renewal_months"] = renewal_length(
            need.duration_months, need.renewal_duration_months
        )
    keys = ("procedure_type", "cpv", "advance_percent", "retention_percent", "tie_break")
    for key in (*keys, "social_condition_exception"):
        if _text(data, key):
            payload[key] = _text(data, key)
    for key in ("environmental_conditions", "social_conditions", "technical_memo"):
        payload[key] = lines.plain_lines(data.get(key) or "")
    for key in ("economic_capacity", "technical_capacity"):
        if _text(data, key):
            payload[key] = _text(data, key)
    return payload
