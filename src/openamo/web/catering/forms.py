"""Forms of the catering pages: what the buyer types or uploads; EGAlim rules stay in the domain."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from typing import Unpack

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from stdnum.fr import siret

from openamo.catering.enums import CateringBuyer, Territory
from openamo.web import uploads
from openamo.web.catering.models import (
    CATERING_BUYER_CHOICES,
    FAMILY_CHOICES,
    LOCAL_CHOICES,
    ORIGIN_CHOICES,
    TERRITORY_CHOICES,
)
from openamo.web.catering.presenters import LABELS_HELP, label_choices
from openamo.web.catering.requests import PurchaseEntry, Targets
from openamo.web.contracts.mappers import outside_contract
from openamo.web.contracts.models import Contract
from openamo.web.forms import Files, FormOptions, OpenAMOForm, Posted, amount_field, date_field
from openamo.web.operations.models import Operation

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
"""A year of a commune's purchases is a few thousand lines (well under 1 Mo)."""
CSV_TYPES = {
    "text/csv",
    "text/plain",
    "text/tab-separated-values",
    "application/csv",
    "application/vnd.ms-excel",  # what Windows browsers send for a .csv
    "application/octet-stream",
    "",
}
MEAT_FISH_CHOICES = [
    ("", "Selon la famille de produits (viandes et volailles, poissons et produits de la mer)"),
    ("oui", "Oui, compte dans les viandes et poissons"),
    ("non", "Non, ne compte pas dans les viandes et poissons"),
]
MEAT_FISH_FLAGS = {"oui": True, "non": False}
MEAT_FISH_CHOICE = {None: "", True: "oui", False: "non"}


class PurchaseForm(OpenAMOForm):
    date = date_field(
        "Date d'achat",
        help_text="Date de livraison ou de facture. Format : JJ/MM/AAAA",
        not_after_today=True,
    )
    family = forms.ChoiceField(label="Famille de produits", choices=FAMILY_CHOICES)
    description = forms.CharField(
        label="Désignation du produit",
        max_length=500,
        help_text="Par exemple : « Yaourt nature bio 125 g ».",
    )
    supplier = forms.CharField(label="Fournisseur", max_length=200, required=False)
    amount_ht = amount_field("Montant HT (€)", help_text="Exemple : 1 234,56")
    labels = forms.MultipleChoiceField(
        label="Labels et mentions de qualité",
        required=False,
        choices=label_choices(),
        widget=forms.CheckboxSelectMultiple,
        help_text=LABELS_HELP,
    )
    is_meat_or_fish = forms.ChoiceField(
        label="Compté dans le ratio des viandes et poissons",
        choices=MEAT_FISH_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        help_text="La charcuterie n'en fait pas partie par défaut, comme sur ma cantine.",
    )
    contract = forms.TypedChoiceField(
        label="Marché", coerce=int, required=False, empty_value=None, choices=[]
    )
    establishment = forms.CharField(
        label="Restaurant (SIRET)",
        max_length=20,
        required=False,
        help_text="SIRET du restaurant déclaré sur ma cantine (14 chiffres), repris à l'export.",
    )
    origin = forms.ChoiceField(
        label="Origine", required=False, choices=[("", "Non renseignée"), *ORIGIN_CHOICES]
    )
    short_circuit = forms.BooleanField(label="Circuit court", required=False)
    local = forms.BooleanField(label="Produit local", required=False)
    local_definition = forms.ChoiceField(
        label="Définition du local",
        required=False,
        choices=[("", "Non renseignée"), *LOCAL_CHOICES],
    )
    local_km = forms.IntegerField(
        label="Distance du local (km)", required=False, min_value=1, max_value=10000
    )

    def __init__(
        self,
        data: Posted | None = None,
        files: Files | None = None,
        *,
        contracts: list[Contract],
        **options: Unpack[FormOptions],
    ) -> None:
        super().__init__(data, files, **options)
        self.contracts = {c.pk: c for c in contracts}
        field = self.fields["contract"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Aucun marché")] + [(c.pk, str(c)) for c in contracts]

    def clean_establishment(self) -> str:
        value = "".join(str(self.cleaned_data.get("establishment") or "").split())
        if value and not value.isdigit():
            raise forms.ValidationError("Chiffres seulement (SIRET ou identifiant ma cantine).")
        if len(value) == 14 and not siret.is_valid(value):
            raise forms.ValidationError("SIRET invalide (clé de contrôle erronée).")
        return value

    def clean(self) -> None:
        super().clean()
        data = self.cleaned_data
        if data.get("local_definition") and not data.get("local"):
            self.add_error("local", "Cochez « Produit local » pour donner sa définition.")
        if data.get("local_km") and data.get("local_definition") != "km":
            self.add_error("local_km", "La distance ne vaut que pour la définition en kilomètres.")
        contract = self.contracts.get(data.get("contract") or 0)
        day = data.get("date")
        outside = contract and day and outside_contract(contract, day, "Cet achat")
        if outside:
            self.add_error("date", outside)

    def to_input(self) -> PurchaseEntry:
        """The cleaned purchase, typed (the contract is one of the buyer's)."""
        data = self.cleaned_data
        return PurchaseEntry(
            date=data["date"],
            family=data["family"],
            description=data["description"],
            amount_ht=data["amount_ht"],
            labels=tuple(data.get("labels") or ()),
            is_meat_or_fish=MEAT_FISH_FLAGS.get(data.get("is_meat_or_fish") or ""),
            supplier=data.get("supplier") or "",
            contract=self.contracts.get(data["contract"]) if data.get("contract") else None,
            establishment=data.get("establishment") or "",
            origin=data.get("origin") or "",
            short_circuit=bool(data.get("short_circuit")),
            local=bool(data.get("local")),
            local_definition=data.get("local_definition") or "",
            local_km=data.get("local_km"),
        )

    @staticmethod
    def initial_of(entry: PurchaseEntry) -> dict[str, object]:
        """The form's initial values for an entry (the reverse of :meth:`to_input`)."""
        return {
            **{f.name: getattr(entry, f.name) for f in dataclass_fields(entry)},
            "labels": list(entry.labels),
            "contract": entry.contract.pk if entry.contract else None,
            "is_meat_or_fish": MEAT_FISH_CHOICE[entry.is_meat_or_fish],
        }


class PeriodForm(OpenAMOForm):
    """Any period (a school year, a quarter) for a follow-up of the ratios."""

    du = date_field("Début de la période", help_text="")
    au = date_field("Fin de la période", help_text="")

    def clean(self) -> None:
        super().clean()
        data = self.cleaned_data
        if data.get("du") and data.get("au") and data["au"] < data["du"]:
            self.add_error("au", "La fin de la période précède son début.")


def _check_csv_upload(upload: UploadedFile[bytes], extensions: set[str]) -> bytes:
    """Refuse what is not a text file of the expected kind, before the domain reads it: the
    size was limited while the file streamed in, its type is sniffed (``openamo.web.uploads``)."""
    content = uploads.check(upload, extensions, MAX_UPLOAD_BYTES)
    if (upload.content_type or "").split(";")[0] not in CSV_TYPES | {"application/json"}:
        raise forms.ValidationError("Ce fichier n'est pas un fichier texte (CSV).")
    if b"\x00" in content[:4096]:
        raise forms.ValidationError(
            "Ce fichier n'est pas un texte lisible (UTF-8 ou ISO-8859-1 attendu) : "
            "enregistrez-le au format CSV."
        )
    if not content.strip():
        raise forms.ValidationError("Le fichier est vide.")
    return content


class ImportUploadForm(OpenAMOForm):
    file = forms.FileField(
        label="Fichier d'achats (CSV au format ma cantine)",
        help_text=(
            "Colonnes du modèle ma cantine : siret, description, fournisseur, date, prix_ht, "
            "famille_produits, categories_egalim, origine, est_circuit_court, est_local, "
            "definition_local, definition_local_km. Séparateur virgule, point-virgule ou "
            "tabulation ; encodage UTF-8 ou ISO-8859-1 (Excel) ; 5 Mo au plus."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,text/csv"}),
    )

    def clean_file(self) -> tuple[str, bytes]:
        upload = self.cleaned_data["file"]
        return str(upload.name), _check_csv_upload(upload, {".csv", ".tsv", ".txt"})


class ImportConfirmForm(OpenAMOForm):
    partial = forms.BooleanField(
        label="Importer les lignes valides seulement",
        required=False,
        help_text="Les lignes invalides sont alors écartées ; sinon, rien n'est importé.",
    )
    again = forms.BooleanField(
        label="Importer à nouveau ce fichier",
        required=False,
        help_text="Ce fichier a déjà été importé : ses achats seraient enregistrés en double.",
    )

    def __init__(
        self,
        data: Posted | None = None,
        files: Files | None = None,
        *,
        has_errors: bool,
        already_imported: bool,
        **options: Unpack[FormOptions],
    ) -> None:
        super().__init__(data, files, **options)
        if not has_errors:
            del self.fields["partial"]
        if not already_imported:
            del self.fields["again"]


class ForecastForm(OpenAMOForm):
    title = forms.CharField(
        label="Intitulé",
        max_length=200,
        help_text="Par exemple : « DQE du lot 1, offre de référence ».",
    )
    year = forms.IntegerField(label="Année d'exécution prévue", min_value=2019, max_value=2100)
    operation = forms.TypedChoiceField(
        label="Opération", coerce=int, required=False, empty_value=None, choices=[]
    )
    file = forms.FileField(
        label="DQE (CSV ou JSON)",
        help_text=(
            "Une ligne par article : designation, famille_produits, prix_unitaire_ht, quantite, "
            "categories_egalim (codes ma cantine séparés par des virgules), viande_ou_poisson "
            "(facultatif : oui ou non). Ou le JSON de la commande « amo egalim prevision »."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.json"}),
    )

    def __init__(
        self,
        data: Posted | None = None,
        files: Files | None = None,
        *,
        operations: list[Operation],
        **options: Unpack[FormOptions],
    ) -> None:
        super().__init__(data, files, **options)
        self.operations = {o.pk: o for o in operations}
        field = self.fields["operation"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Aucune")] + [(o.pk, o.title) for o in operations]
        self.fields["year"].initial = timezone.localdate().year + 1

    def clean_file(self) -> tuple[str, bytes]:
        upload = self.cleaned_data["file"]
        return str(upload.name), _check_csv_upload(upload, {".csv", ".txt", ".json"})

    def chosen_operation(self) -> Operation | None:
        pk = self.cleaned_data.get("operation")
        return self.operations.get(pk) if pk else None


class CateringProfileForm(OpenAMOForm):
    """Who runs the buyer's restaurants and where: it decides the EGAlim targets."""

    buyer = forms.ChoiceField(
        label="Gestionnaire de la restauration",
        choices=CATERING_BUYER_CHOICES,
        help_text="La restauration de l'État, de ses établissements publics et des entreprises "
        "publiques nationales a un objectif de 100 % pour les viandes et poissons (L230-5-1 du "
        "code rural) ; les autres acheteurs, l'objectif général.",
    )
    territory = forms.ChoiceField(
        label="Territoire des restaurants",
        choices=TERRITORY_CHOICES,
        help_text="Outre-mer, les objectifs sont fixés par paliers (décret n° 2021-1235).",
    )

    def to_input(self) -> Targets:
        data = self.cleaned_data
        return Targets(buyer=CateringBuyer(data["buyer"]), territory=Territory(data["territory"]))

    @staticmethod
    def initial_of(targets: Targets) -> dict[str, object]:
        return {"buyer": targets.buyer.value, "territory": targets.territory.value}
