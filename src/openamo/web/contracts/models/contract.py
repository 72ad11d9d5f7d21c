"""The signed marché: its buyer, holder and financial frame, the rows attached to it
(``ContractPart``) and its renewal periods."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from openamo.pricing.enums import PaymentBuyer, PenaltyClause, Rounding
from openamo.web.fields import Amount, OptionalAmount, user_fk
from openamo.web.operations.models import (
    FRAMEWORK_HOLDERS_CHOICES,
    NATURE_CHOICES,
    PROCEDURE_CHOICES,
    Lot,
    Operation,
)
from openamo.web.organisations.models import Organisation
from openamo.web.softdelete import SoftDeletable

PAYMENT_BUYER_CHOICES = [(buyer.value, buyer.label.capitalize()) for buyer in PaymentBuyer]


ROUNDING_CHOICES = [(rounding.value, rounding.label.capitalize()) for rounding in Rounding]


PENALTY_CLAUSE_LABELS = {
    PenaltyClause.CCAG_TRAVAUX: "CCAG-Travaux : montant du marché × jours / 3 000",
    PenaltyClause.CCAG_FCS: "CCAG-FCS : valeur des prestations en retard × jours / 1 000",
    PenaltyClause.CCAG_TIC: "CCAG-TIC : valeur des prestations en retard × jours / 1 000",
    PenaltyClause.CCAG_PI: "CCAG-PI : valeur des prestations en retard × jours / 3 000",
    PenaltyClause.CCAG_MI: "CCAG-MI : valeur des prestations en retard × jours / 3 000",
    PenaltyClause.CCAG_MOE: "CCAG-MOE : valeur des prestations en retard × jours / 3 000",
    PenaltyClause.FORFAIT_JOURNALIER: "Forfait journalier fixé par le CCAP",
    PenaltyClause.TAUX_JOURNALIER: "Pourcentage journalier de la valeur en retard (CCAP)",
}


PENALTY_CLAUSE_CHOICES = [(clause.value, PENALTY_CLAUSE_LABELS[clause]) for clause in PenaltyClause]


def amount_field(label: str) -> OptionalAmount:
    """An amount in euros the user may leave blank."""
    return models.DecimalField(label, max_digits=15, decimal_places=2, null=True, blank=True)


def required_amount_field(label: str, *, default: Decimal | None = None) -> Amount:
    """An amount in euros always stored (``default`` when none is typed)."""
    if default is not None:
        return models.DecimalField(label, max_digits=15, decimal_places=2, default=default)
    return models.DecimalField(label, max_digits=15, decimal_places=2)


def percent_field(label: str) -> OptionalAmount:
    return models.DecimalField(label, max_digits=6, decimal_places=2, null=True, blank=True)


class PriceForm(models.TextChoices):
    FERME = "ferme", "Prix ferme"
    ACTUALISABLE = "actualisable", "Prix ferme actualisable"
    REVISABLE = "revisable", "Prix révisable"


class ContractStatus(models.TextChoices):
    EN_COURS = "en_cours", "En cours d'exécution"
    TERMINE = "termine", "Terminé"
    RESILIE = "resilie", "Résilié"


class Contract(SoftDeletable):
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
    holder_address = models.TextField("adresse du titulaire", blank=True)
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
    signed_on = models.DateField("date de signature", null=True, blank=True)
    notified_on = models.DateField("date de notification")
    award_notice_sent_on = models.DateField(
        "avis d'attribution envoyé à la publication le", null=True, blank=True
    )
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
    framework_maximum_quantity = models.CharField(
        "maximum en quantité de l'accord-cadre", max_length=300, blank=True
    )
    framework_holders = models.CharField(
        "titulaires de l'accord-cadre", max_length=30, choices=FRAMEWORK_HOLDERS_CHOICES, blank=True
    )
    status = models.CharField(
        "statut", max_length=20, choices=ContractStatus.choices, default=ContractStatus.EN_COURS
    )
    # Payments (R2192-10 and R2192-11: the period depends on the buyer's category).
    payment_buyer = models.CharField(
        "catégorie d'acheteur pour le délai de paiement",
        max_length=30,
        choices=PAYMENT_BUYER_CHOICES,
        default=PaymentBuyer.COLLECTIVITE.value,
    )
    payment_days = models.PositiveIntegerField(
        "délai de paiement contractuel (jours)", null=True, blank=True
    )
    # Advance and retention (R2191-3 … R2191-7, R2191-33): the rules in force at the launch.
    consultation_on = models.DateField("lancement de la consultation", null=True, blank=True)
    holder_is_sme = models.BooleanField("titulaire PME", default=False)
    large_buyer = models.BooleanField("grand acheteur (R2191-7-1)", default=False)
    advance_rate_percent = percent_field("taux de l'avance (%)")
    retention_rate_percent = percent_field("taux de la retenue de garantie (%)")
    renewal_notice_months = models.PositiveIntegerField(
        "préavis de décision avant chaque reconduction (mois)", null=True, blank=True
    )
    # The price variation clause (R2112-13, R2112-14): P = P0 × (a + Σ bᵢ × Iᵢ/I₀ᵢ).
    price_date = models.DateField("mois zéro (date des prix de l'offre)", null=True, blank=True)
    fixed_part = models.DecimalField(
        "partie fixe a", max_digits=6, decimal_places=4, default=Decimal(0)
    )
    coefficient_decimals = models.PositiveSmallIntegerField(
        "décimales du coefficient", null=True, blank=True
    )
    coefficient_rounding = models.CharField(
        "arrondi du coefficient",
        max_length=20,
        choices=ROUNDING_CHOICES,
        default=Rounding.AU_PLUS_PROCHE.value,
    )
    revision_periodicity_months = models.PositiveIntegerField(
        "périodicité de la révision (mois)", null=True, blank=True
    )
    index_lag_months = models.PositiveIntegerField(
        "décalage de l'indice (mois avant la révision)", default=0
    )
    safeguard_percent = percent_field("seuil de la clause de sauvegarde (%)")
    drift_tolerance_ht = required_amount_field(
        "tolérance d'écart du prix facturé HT (€)", default=Decimal(0)
    )
    standard_supplies = models.BooleanField(
        "fournitures ou services courants", null=True, blank=True
    )
    # Penalties for late performance (CCAG 2021 or the CCAP's own clause).
    penalty_clause = models.CharField(
        "clause de pénalités de retard", max_length=30, choices=PENALTY_CLAUSE_CHOICES, blank=True
    )
    penalty_daily_amount_ht = amount_field("forfait journalier HT (€)")
    penalty_daily_rate_percent = percent_field("taux journalier (%)")
    penalty_cap_percent = percent_field("plafond des pénalités (% du marché)")
    penalty_exemption_ht = amount_field("exonération des pénalités jusqu'à HT (€)")
    created_by = user_fk("créé par")
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "marché"
        indexes = [
            models.Index(fields=["organisation", "deleted_at"], name="contract_org_live"),
            models.Index(fields=["holder_organisation", "deleted_at"], name="contract_holder"),
        ]

    def __str__(self) -> str:
        prefix = f"Marché {self.reference} — " if self.reference else "Marché — "
        return f"{prefix}{self.title}"


class ContractPart(SoftDeletable):
    """What every row attached to a contract has: the contract, its author, a soft delete."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, verbose_name="marché")
    created_by = user_fk("créé par", blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        abstract = True


class RenewalDecision(models.TextChoices):
    A_DECIDER = "a_decider", "À décider"
    RECONDUIT = "reconduit", "Reconduit"
    NON_RECONDUIT = "non_reconduit", "Non reconduit"


class Renewal(ContractPart):
    """One renewal period and the buyer's decision, due before ``decision_deadline``."""

    number = models.PositiveIntegerField("reconduction n°")
    starts_on = models.DateField("début de la période")
    ends_on = models.DateField("fin de la période")
    decision_deadline = models.DateField("décision à prendre avant le", null=True, blank=True)
    decision = models.CharField(
        "décision",
        max_length=20,
        choices=RenewalDecision.choices,
        default=RenewalDecision.A_DECIDER,
    )
    decided_on = models.DateField("décidée le", null=True, blank=True)
    decided_by = user_fk("décidée par", blank=True)
    note = models.TextField("motifs", blank=True)

    class Meta:
        verbose_name = "reconduction"
        ordering = ["number"]
        default_related_name = "renewal_periods"

    def __str__(self) -> str:
        return (
            f"Reconduction n° {self.number} du {self.starts_on:%d/%m/%Y} au {self.ends_on:%d/%m/%Y}"
        )
