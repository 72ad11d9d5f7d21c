"""Price revision: the formula's terms, the index values and each revision computed."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from openamo.web.contracts.models.contract import ContractPart
from openamo.web.softdelete import ALIVE


class RevisionTerm(ContractPart):
    """One term bᵢ × Iᵢ/I₀ᵢ of the formula: the series it reads and its base month."""

    index_name = models.CharField("série d'indices", max_length=80)
    label = models.CharField("libellé de l'indice", max_length=200, blank=True)
    weight = models.DecimalField("poids bᵢ", max_digits=6, decimal_places=4)
    base_period = models.CharField("période de base (I₀)", max_length=20)

    class Meta:
        verbose_name = "terme de la formule de révision"
        ordering = ["pk"]
        default_related_name = "revision_terms"

    def __str__(self) -> str:
        return f"Terme {self.weight} × {self.index_name} / {self.index_name}({self.base_period})"


class IndexSource(models.TextChoices):
    SAISIE = "saisie", "Saisie"
    IMPORT = "import", "Import CSV"


class IndexValue(ContractPart):
    series = models.CharField("série", max_length=80)
    period = models.CharField("période", max_length=20)
    value = models.DecimalField("valeur", max_digits=18, decimal_places=6)
    provisional = models.BooleanField("valeur provisoire", default=False)
    source = models.CharField(
        "origine", max_length=10, choices=IndexSource.choices, default=IndexSource.SAISIE
    )

    class Meta:
        verbose_name = "valeur d'indice"
        ordering = ["series", "period"]
        default_related_name = "index_values"
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "series", "period"],
                condition=ALIVE,
                name="unique_live_index_value",
            )
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.period} = {self.value.normalize():f}"


class PriceRevision(ContractPart):
    """A revision (or actualisation) computed by ``openamo.pricing.revise`` and kept."""

    revised_on = models.DateField("date de la révision")
    current_period = models.CharField("mois des indices", max_length=20)
    base_price_ht = models.DecimalField("prix de base P0 HT (€)", max_digits=17, decimal_places=4)
    invoiced_price_ht = models.DecimalField(
        "prix facturé HT (€)", max_digits=17, decimal_places=4, null=True, blank=True
    )
    # Wide enough for any result the domain accepts (it refuses prices of 10¹⁵ € and more).
    coefficient = models.DecimalField("coefficient", max_digits=30, decimal_places=10)
    revised_price_ht = models.DecimalField("prix révisé HT (€)", max_digits=24, decimal_places=6)
    drift_alert = models.BooleanField("dérive du prix facturé", default=False)
    input = models.JSONField("données", default=dict, encoder=DjangoJSONEncoder)
    result = models.JSONField("résultat", default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = "révision de prix"
        ordering = ["-revised_on", "-pk"]
        default_related_name = "price_revisions"

    def __str__(self) -> str:
        return f"Révision au {self.revised_on:%d/%m/%Y} (indices {self.current_period})"
