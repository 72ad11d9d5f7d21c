"""The price variation clause (formula, index series and values) and a price revision."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from openamo.pricing.periods import parse_period
from openamo.web import uploads
from openamo.web.contracts.forms.fields import SectionedForm
from openamo.web.contracts.models import (
    ROUNDING_CHOICES,
)
from openamo.web.contracts.requests import Formula, IndexValueEntry, RevisionRequest, TermEntry
from openamo.web.forms import (
    OpenAMOForm,
    date_field,
    number_field,
    percent_field,
)


class FormulaForm(SectionedForm):
    price_date = date_field(
        "Mois zéro (date des prix de l'offre)",
        required=False,
        help_text="Mois d'établissement des prix : celui des indices de base. Format : JJ/MM/AAAA",
    )
    fixed_part = number_field(
        "Partie fixe a",
        decimals=4,
        maximum=Decimal(1),
        help_text="Entre 0 et 1 (par exemple 0,125). Laissez 0 sans partie fixe.",
    )
    coefficient_decimals = forms.IntegerField(
        label="Décimales du coefficient",
        required=False,
        min_value=0,
        max_value=10,
        help_text="Laissez vide si le CCAP ne prévoit pas d'arrondi du coefficient.",
    )
    coefficient_rounding = forms.ChoiceField(
        label="Arrondi du coefficient", choices=ROUNDING_CHOICES
    )
    revision_periodicity_months = forms.IntegerField(
        label="Périodicité de la révision (mois)", required=False, min_value=1, max_value=120
    )
    index_lag_months = forms.IntegerField(
        label="Décalage de l'indice (mois)",
        required=False,
        min_value=0,
        max_value=24,
        initial=0,
        help_text="Par exemple 3 si le CCAP retient l'indice du troisième mois précédant la révision.",
    )
    safeguard_percent = percent_field(
        "Seuil de la clause de sauvegarde (%)",
        "Variation au-delà de laquelle le CCAP ouvre un réexamen.",
    )
    drift_tolerance_ht = number_field(
        "Tolérance d'écart du prix facturé HT (€)",
        decimals=4,
        help_text="Écart toléré entre le prix facturé et le prix permis (arrondis). Par défaut 0.",
    )
    standard_supplies = forms.TypedChoiceField(
        label="Fournitures ou services courants (actualisation)",
        required=False,
        choices=[("", "Non précisé"), ("oui", "Oui"), ("non", "Non")],
        coerce=lambda value: value == "oui",
        empty_value=None,
        help_text="L'actualisation d'un prix ferme est obligatoire hors fournitures et services "
        "courants (R2112-10).",
    )

    sections = [
        (
            "La formule P = P0 × (a + Σ bᵢ × Iᵢ/I₀ᵢ)",
            ["price_date", "fixed_part", "coefficient_decimals", "coefficient_rounding"],
        ),
        ("Les dates de révision", ["revision_periodicity_months", "index_lag_months"]),
        ("Contrôles", ["safeguard_percent", "drift_tolerance_ht", "standard_supplies"]),
    ]

    def request(self) -> Formula:
        """The clause typed; a blank fixed part, lag or tolerance is none (0)."""
        d = self.cleaned_data
        return Formula(
            price_date=d["price_date"],
            fixed_part=d["fixed_part"] if d["fixed_part"] is not None else Decimal(0),
            coefficient_decimals=d["coefficient_decimals"],
            coefficient_rounding=d["coefficient_rounding"],
            revision_periodicity_months=d["revision_periodicity_months"],
            index_lag_months=d["index_lag_months"] or 0,
            safeguard_percent=d["safeguard_percent"],
            drift_tolerance_ht=d["drift_tolerance_ht"]
            if d["drift_tolerance_ht"] is not None
            else Decimal(0),
            standard_supplies=d["standard_supplies"],
        )


def _check_period(value: str) -> str:
    period = parse_period(value)
    if period is None:
        raise forms.ValidationError(
            f"Période illisible « {value} » : écrivez par exemple « 2025-09 » ou « 09/2025 »."
        )
    return period


class TermForm(OpenAMOForm):
    index_name = forms.CharField(
        label="Série d'indices",
        max_length=80,
        help_text="Nom court de la série, repris à l'import. Exemple : IPAG-0105 ou BT01",
    )
    label = forms.CharField(
        label="Libellé officiel de l'indice",
        max_length=200,
        required=False,
        help_text="Exemple : Indice des prix de production des produits alimentaires (INSEE)",
    )
    weight = number_field(
        "Poids bᵢ", decimals=4, required=True, maximum=Decimal(1), help_text="Entre 0 et 1."
    )
    base_period = forms.CharField(
        label="Période de base (I₀)", max_length=20, help_text="Le mois zéro. Exemple : 2025-09"
    )

    def clean_base_period(self) -> str:
        return _check_period(self.cleaned_data["base_period"])

    def request(self) -> TermEntry:
        d = self.cleaned_data
        return TermEntry(d["index_name"], d["weight"], d["base_period"], d["label"])


class IndexValueForm(OpenAMOForm):
    series = forms.CharField(label="Série d'indices", max_length=80)
    period = forms.CharField(label="Période", max_length=20, help_text="Exemple : 2026-09")
    value = number_field(
        "Valeur",
        decimals=6,
        required=True,
        minimum=Decimal("0.000001"),
        help_text="Exemple : 131,4",
    )
    provisional = forms.BooleanField(label="Valeur provisoire", required=False)

    def clean_period(self) -> str:
        return _check_period(self.cleaned_data["period"])

    def request(self) -> IndexValueEntry:
        d = self.cleaned_data
        return IndexValueEntry(d["series"], d["period"], d["value"], d["provisional"])


class IndexImportForm(OpenAMOForm):
    series = forms.CharField(
        label="Série d'indices",
        max_length=80,
        help_text="Le nom de la série dans la formule. Exemple : IPAG-0105",
    )
    file = forms.FileField(
        label="Fichier de la série (CSV)",
        help_text="Export INSEE (BDM) ou tableur : une ligne « période;valeur » par mois, "
        "séparateur point-virgule, tabulation ou virgule, UTF-8 ou ISO-8859-1 ; 2 Mo au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,text/csv"}),
    )
    partial = forms.BooleanField(
        label="Importer les lignes valides seulement",
        required=False,
        help_text="Sinon, un fichier qui contient une ligne invalide n'est pas importé du tout.",
    )

    MAX_BYTES = 2 * 1024 * 1024

    def clean_file(self) -> bytes:
        return uploads.check(self.cleaned_data["file"], {".csv", ".tsv", ".txt"}, self.MAX_BYTES)


class RevisionForm(OpenAMOForm):
    revised_on = date_field("Date de la révision")
    current_period = forms.CharField(
        label="Mois des indices",
        max_length=20,
        required=False,
        help_text="Laissez vide pour le mois que fixe la clause (date de révision moins le "
        "décalage). Exemple : 2026-09",
    )
    base_price_ht = number_field(
        "Prix de base P0 HT (€)",
        decimals=4,
        required=True,
        help_text="Prix unitaire ou montant de l'offre, aux conditions du mois zéro. Exemple : 3,85",
    )
    invoiced_price_ht = number_field(
        "Prix facturé HT (€)",
        decimals=4,
        help_text="Facultatif : le prix que le titulaire facture, pour contrôler la dérive.",
    )
    price_decimals = forms.IntegerField(
        label="Décimales du prix révisé",
        min_value=0,
        max_value=4,
        initial=2,
        help_text="Arrondi au plus proche ; 2 pour des euros et centimes.",
    )

    def clean_current_period(self) -> str:
        value = self.cleaned_data["current_period"]
        return _check_period(value) if value else ""

    def request(self) -> RevisionRequest:
        d = self.cleaned_data
        return RevisionRequest(
            revised_on=d["revised_on"],
            base_price_ht=d["base_price_ht"],
            current_period=d["current_period"],
            invoiced_price_ht=d["invoiced_price_ht"],
            price_decimals=d["price_decimals"],
        )
