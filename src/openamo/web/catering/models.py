"""Persistence of a buyer's food purchases, their imports and the DQE forecasts.

The EGAlim rules (which label counts, the targets, the ratios) live in ``openamo.catering``;
these rows only keep what the buyer entered or imported, so that the domain can be asked again
at any time with the law in force at each purchase date.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from openamo.catering.enums import (
    CateringBuyer,
    Family,
    Label,
    LocalDefinition,
    Origin,
    Territory,
)
from openamo.catering.models import ForecastInput, ForecastResult, LineError, RatiosResult
from openamo.validation import parse_input
from openamo.web.contracts.models import Contract
from openamo.web.fields import user_fk
from openamo.web.operations.models import Operation
from openamo.web.organisations.models import Organisation
from openamo.web.softdelete import SoftDeletable

FAMILY_LABELS = {
    Family.VIANDES_VOLAILLES: "Viandes et volailles",
    Family.CHARCUTERIE: "Charcuterie",
    Family.PRODUITS_DE_LA_MER: "Poissons et produits de la mer",
    Family.FRUITS_ET_LEGUMES: "Fruits et légumes",
    Family.PRODUITS_LAITIERS: "Produits laitiers, beurre et œufs",
    Family.BOULANGERIE: "Boulangerie et pâtisserie",
    Family.BOISSONS: "Boissons",
    Family.AUTRES: "Épicerie et autres produits",
}
LABEL_NAMES = {label: label.label for label in Label}
FAMILY_CHOICES = [(family.value, FAMILY_LABELS[family]) for family in Family]
LABEL_CHOICES = [(label.value, LABEL_NAMES[label]) for label in Label]
ORIGIN_CHOICES = [(Origin.FRANCE.value, "France"), (Origin.EUROPE.value, "Union européenne")]
CATERING_BUYER_CHOICES = [(b.value, b.label[0].upper() + b.label[1:]) for b in CateringBuyer]
TERRITORY_CHOICES = [(t.value, t.label) for t in Territory]
LOCAL_CHOICES = [
    (LocalDefinition.PAT.value, "Projet alimentaire territorial (PAT)"),
    (LocalDefinition.COMMUNE.value, "Commune"),
    (LocalDefinition.DEPARTEMENT.value, "Département"),
    (LocalDefinition.REGION.value, "Région"),
    (LocalDefinition.KM.value, "Distance en kilomètres"),
]


class PurchaseImport(models.Model):
    """A purchase file in ma cantine's format: kept from the preview to the import decision."""

    class Status(models.TextChoices):
        PREVIEW = "preview", "À confirmer"
        IMPORTED = "imported", "Importé"
        ABANDONED = "abandoned", "Abandonné"

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="catering_imports",
        verbose_name="acheteur",
    )
    file_name = models.CharField("nom du fichier", max_length=255)
    digest = models.CharField("empreinte SHA-256", max_length=64, db_index=True)
    size = models.PositiveIntegerField("taille (octets)")
    content = models.BinaryField("contenu du fichier")
    format = models.CharField("format", max_length=40)
    encoding = models.CharField("encodage", max_length=60)
    separator = models.CharField("séparateur", max_length=30)
    lines = models.PositiveIntegerField("lignes d'achats", default=0)
    valid_lines = models.PositiveIntegerField("lignes valides", default=0)
    invalid_lines = models.PositiveIntegerField("lignes invalides", default=0)
    errors = models.JSONField("erreurs", default=list, encoder=DjangoJSONEncoder)
    error_count = models.PositiveIntegerField("nombre d'erreurs", default=0)
    warnings = models.JSONField("points d'attention", default=list, encoder=DjangoJSONEncoder)
    status = models.CharField(
        "statut", max_length=20, choices=Status.choices, default=Status.PREVIEW
    )
    partial = models.BooleanField("lignes valides seulement", default=False)
    imported_count = models.PositiveIntegerField("achats importés", default=0)
    result = models.JSONField("ratios du fichier", default=dict, encoder=DjangoJSONEncoder)
    uploaded_by = user_fk("déposé par")
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)
    imported_by = user_fk("importé par", blank=True)
    imported_at = models.DateTimeField("importé le", null=True, blank=True)

    class Meta:
        verbose_name = "import d'achats"
        indexes = [
            models.Index(fields=["organisation", "digest", "status"], name="cat_import_digest"),
        ]

    def ratios(self) -> RatiosResult | None:
        """The file's ratios as the domain answered them (``None`` while none are kept)."""
        return RatiosResult.model_validate(self.result) if self.result else None

    def line_errors(self) -> list[LineError]:
        """The bad lines kept of the file, as the domain reported them."""
        return [LineError.model_validate(error) for error in self.errors]

    def __str__(self) -> str:
        return f"Import « {self.file_name} »"


class Purchase(SoftDeletable):
    """One food purchase of a buyer (a line of ma cantine's purchase file)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="catering_purchases",
        verbose_name="acheteur",
    )
    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="catering_purchases",
        verbose_name="marché",
    )
    source = models.ForeignKey(
        PurchaseImport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="purchases",
        verbose_name="import d'origine",
    )
    source_line = models.PositiveIntegerField("ligne du fichier", null=True, blank=True)
    establishment = models.CharField(
        "restaurant (SIRET ou identifiant ma cantine)", max_length=20, blank=True
    )
    date = models.DateField("date d'achat")
    family = models.CharField("famille de produits", max_length=30, choices=FAMILY_CHOICES)
    description = models.CharField("produit", max_length=500)
    supplier = models.CharField("fournisseur", max_length=200, blank=True)
    amount_ht = models.DecimalField("montant HT (€)", max_digits=15, decimal_places=2)
    is_meat_or_fish = models.BooleanField(
        "compte dans les viandes et poissons",
        null=True,
        blank=True,
        help_text="Vide : selon la famille de produits (viandes et volailles, produits de la mer).",
    )
    origin = models.CharField("origine", max_length=10, choices=ORIGIN_CHOICES, blank=True)
    short_circuit = models.BooleanField("circuit court", default=False)
    local = models.BooleanField("produit local", default=False)
    local_definition = models.CharField(
        "définition du local", max_length=20, choices=LOCAL_CHOICES, blank=True
    )
    local_km = models.PositiveIntegerField("distance du local (km)", null=True, blank=True)
    created_by = user_fk("saisi par")
    created_at = models.DateTimeField("saisi le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    audit_text: ClassVar[dict[str, Callable[[Purchase], str]]] = {
        "labels": lambda purchase: ", ".join(
            LABEL_NAMES.get(Label(code), code) for code in purchase.label_codes
        ),
    }
    """The history names the labels (rows of their own) with the purchase (``openamo.web.audit``)."""

    class Meta:
        verbose_name = "achat"
        indexes = [
            models.Index(
                fields=["organisation", "deleted_at", "-date", "-id"], name="cat_purchase_org"
            ),
        ]

    def __str__(self) -> str:
        return f"Achat du {self.date:%d/%m/%Y} — {self.description}"[:300]

    @property
    def label_codes(self) -> list[str]:
        """The labels, in ma cantine's order (from ``label_rows`` when prefetched)."""
        codes = {row.code for row in self.label_rows.all()}
        return [label.value for label in Label if label.value in codes]


class PurchaseLabel(models.Model):
    """One label (ma cantine code) carried by a purchase; a purchase has any number of them."""

    purchase = models.ForeignKey(
        Purchase, on_delete=models.CASCADE, related_name="label_rows", verbose_name="achat"
    )
    code = models.CharField("label", max_length=50, choices=LABEL_CHOICES)

    class Meta:
        verbose_name = "label d'un achat"
        constraints = [
            models.UniqueConstraint(fields=["purchase", "code"], name="unique_purchase_label")
        ]
        indexes = [models.Index(fields=["code", "purchase"], name="cat_label_code")]

    def __str__(self) -> str:
        return self.get_code_display()


class Forecast(SoftDeletable):
    """EGAlim ratios forecast from a catering DQE before award (``openamo.catering.forecast``)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="catering_forecasts",
        verbose_name="acheteur",
    )
    operation = models.ForeignKey(
        Operation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="catering_forecasts",
        verbose_name="opération",
    )
    title = models.CharField("intitulé", max_length=200)
    year = models.PositiveIntegerField("année prévue")
    file_name = models.CharField("fichier du DQE", max_length=255, blank=True)
    input = models.JSONField("données du DQE", default=dict, encoder=DjangoJSONEncoder)
    result = models.JSONField("prévision", default=dict, encoder=DjangoJSONEncoder)
    created_by = user_fk("calculée par")
    created_at = models.DateTimeField("calculée le", auto_now_add=True)

    class Meta:
        verbose_name = "prévision EGAlim"

        indexes = [
            models.Index(fields=["organisation", "deleted_at"], name="cat_forecast_org"),
        ]

    def dqe(self) -> ForecastInput:
        """The DQE the forecast was made on, as the domain read it."""
        return parse_input(ForecastInput, self.input)

    def outcome(self) -> ForecastResult:
        """The forecast as the domain answered it."""
        return ForecastResult.model_validate(self.result)

    def __str__(self) -> str:
        return f"Prévision {self.year} — {self.title}"


class CateringProfile(models.Model):
    """Who runs the buyer's restaurants and where: it decides the EGAlim targets its purchases
    and forecasts are measured against (the State's 100 % of meat and fish, L230-5-1 ; the
    overseas stages of décret n° 2021-1235). Without a row, the general targets apply."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="catering_profile",
        verbose_name="acheteur",
    )
    buyer = models.CharField(
        "gestionnaire de la restauration",
        max_length=40,
        choices=CATERING_BUYER_CHOICES,
        default=CateringBuyer.AUTRE.value,
    )
    territory = models.CharField(
        "territoire", max_length=40, choices=TERRITORY_CHOICES, default=Territory.METROPOLE.value
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "profil EGAlim"

    def __str__(self) -> str:
        return f"Profil EGAlim — {self.organisation}"
