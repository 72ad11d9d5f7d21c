"""Contracts in execution: the signed marché, its holder and its financial frame.

A contract belongs to its buyer organisation; it usually comes from an operation (and one of
its lots) but may be entered directly for a contract signed before OpenAMO was used.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from openamo.web.operations.models import NATURE_CHOICES, PROCEDURE_CHOICES, Lot, Operation
from openamo.web.organisations.models import Organisation


class PriceForm(models.TextChoices):
    FERME = "ferme", "Prix ferme"
    ACTUALISABLE = "actualisable", "Prix ferme actualisable"
    REVISABLE = "revisable", "Prix révisable"


class ContractStatus(models.TextChoices):
    EN_COURS = "en_cours", "En cours d'exécution"
    TERMINE = "termine", "Terminé"
    RESILIE = "resilie", "Résilié"


class Contract(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contracts", verbose_name="acheteur"
    )
    operation = models.ForeignKey(
        Operation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name="opération",
    )
    lot = models.ForeignKey(
        Lot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name="lot",
    )
    reference = models.CharField("numéro du marché", max_length=60, blank=True)
    title = models.CharField("objet du marché", max_length=300)
    nature = models.CharField("nature des prestations", max_length=20, choices=NATURE_CHOICES)
    procedure = models.CharField("procédure de passation", max_length=20, choices=PROCEDURE_CHOICES)
    holder_name = models.CharField("titulaire", max_length=200)
    holder_siret = models.CharField("SIRET du titulaire", max_length=14, blank=True)
    holder_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="held_contracts",
        verbose_name="organisation du titulaire sur OpenAMO",
        help_text="Ses membres voient ce marché et ses avenants, et peuvent les accepter.",
    )
    initial_amount_ht = models.DecimalField(
        "montant initial HT (€)", max_digits=15, decimal_places=2
    )
    vat_rate = models.DecimalField(
        "taux de TVA (%)", max_digits=5, decimal_places=2, default=Decimal("20.00")
    )
    notified_on = models.DateField("date de notification")
    start_on = models.DateField("début d'exécution", null=True, blank=True)
    duration_months = models.PositiveIntegerField("durée initiale (mois)", null=True, blank=True)
    renewals = models.PositiveIntegerField("nombre de reconductions", default=0)
    renewal_duration_months = models.PositiveIntegerField(
        "durée d'une reconduction (mois)", null=True, blank=True
    )
    price_form = models.CharField(
        "forme du prix", max_length=20, choices=PriceForm.choices, default=PriceForm.FERME
    )
    is_framework = models.BooleanField("accord-cadre à bons de commande", default=False)
    minimum_amount_ht = models.DecimalField(
        "minimum HT (€)", max_digits=15, decimal_places=2, null=True, blank=True
    )
    maximum_amount_ht = models.DecimalField(
        "maximum HT (€)", max_digits=15, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        "statut", max_length=20, choices=ContractStatus.choices, default=ContractStatus.EN_COURS
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="créé par",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    deleted_at = models.DateTimeField("supprimé le", null=True, blank=True)

    class Meta:
        verbose_name = "marché"
        indexes = [
            models.Index(fields=["organisation", "deleted_at"], name="contract_org_live"),
            models.Index(fields=["holder_organisation", "deleted_at"], name="contract_holder"),
        ]

    def __str__(self) -> str:
        prefix = f"Marché {self.reference} — " if self.reference else "Marché — "
        return f"{prefix}{self.title}"
