"""Contracts in execution: the signed marché, its holder and its financial frame, then what
happens while it runs (renewals, sub-contractors, prices, orders, invoices, quality).

A contract belongs to its buyer organisation; it usually comes from an operation (and one of
its lots) but may be entered directly for a contract signed before OpenAMO was used. The rules
(revision, payment deadlines, late interest, penalties, advance, retention, framework limits)
live in ``openamo.pricing``: these rows keep what the user entered and what the domain answered.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from openamo.pricing.enums import PaymentBuyer, PenaltyClause, Rounding
from openamo.web.fields import user_fk
from openamo.web.operations.models import (
    FRAMEWORK_HOLDERS_CHOICES,
    NATURE_CHOICES,
    PROCEDURE_CHOICES,
    Lot,
    Operation,
)
from openamo.web.organisations.models import Organisation
from openamo.web.softdelete import ALIVE, SoftDeletable

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


def _amount(label: str, *, null: bool = True, default: Decimal | None = None) -> Any:
    if default is not None:
        return models.DecimalField(label, max_digits=15, decimal_places=2, default=default)
    return models.DecimalField(label, max_digits=15, decimal_places=2, null=null, blank=null)


def _percent(label: str) -> Any:
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
    advance_rate_percent = _percent("taux de l'avance (%)")
    retention_rate_percent = _percent("taux de la retenue de garantie (%)")
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
    safeguard_percent = _percent("seuil de la clause de sauvegarde (%)")
    drift_tolerance_ht = _amount("tolérance d'écart du prix facturé HT (€)", default=Decimal(0))
    standard_supplies = models.BooleanField(
        "fournitures ou services courants", null=True, blank=True
    )
    # Penalties for late performance (CCAG 2021 or the CCAP's own clause).
    penalty_clause = models.CharField(
        "clause de pénalités de retard", max_length=30, choices=PENALTY_CLAUSE_CHOICES, blank=True
    )
    penalty_daily_amount_ht = _amount("forfait journalier HT (€)")
    penalty_daily_rate_percent = _percent("taux journalier (%)")
    penalty_cap_percent = _percent("plafond des pénalités (% du marché)")
    penalty_exemption_ht = _amount("exonération des pénalités jusqu'à HT (€)")
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


class Subcontractor(ContractPart):
    """A sub-contractor accepted by the buyer, with or without direct payment (L2193-10)."""

    name = models.CharField("raison sociale", max_length=200)
    siret = models.CharField("SIRET", max_length=14)
    services = models.CharField("prestations sous-traitées", max_length=300)
    amount_ht = _amount("montant maximal HT (€)", null=False)
    direct_payment = models.BooleanField("paiement direct", default=True)
    accepted_on = models.DateField("acceptation et agrément le", null=True, blank=True)

    class Meta:
        verbose_name = "sous-traitant"
        ordering = ["name", "pk"]
        default_related_name = "subcontractors"

    def __str__(self) -> str:
        return f"Sous-traitant {self.name}"


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


class Order(ContractPart):
    """A bon de commande under a framework agreement."""

    reference = models.CharField("numéro du bon de commande", max_length=60)
    issued_on = models.DateField("émis le")
    amount_ht = _amount("montant HT (€)", null=False)
    description = models.CharField("objet", max_length=300, blank=True)

    class Meta:
        verbose_name = "bon de commande"
        ordering = ["issued_on", "pk"]
        default_related_name = "orders"
        indexes = [models.Index(fields=["contract", "deleted_at"], name="order_contract_live")]

    def __str__(self) -> str:
        return f"Bon de commande {self.reference}"


class Invoice(ContractPart):
    """A payment request: its deadline, suspension and late-payment interest come from the
    domain (``openamo.pricing.late_payment``); ``result`` is the last answer, dated."""

    reference = models.CharField("numéro de facture", max_length=60)
    received_on = models.DateField("reçue le")
    amount_ttc = _amount("montant TTC (€)", null=False)
    description = models.CharField("objet", max_length=300, blank=True)
    order = models.ForeignKey(
        Order,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name="bon de commande",
    )
    suspension_reason = models.TextField("motif de la suspension", blank=True)
    suspended_on = models.DateField("suspension notifiée le", null=True, blank=True)
    documents_received_on = models.DateField("pièces reçues le", null=True, blank=True)
    paid_on = models.DateField("payée le", null=True, blank=True)
    ecb_rate_percent = _percent("taux BCE saisi (%)")
    due_on = models.DateField("échéance", null=True, blank=True)
    days_late = models.PositiveIntegerField("jours de retard", default=0)
    interest = _amount("intérêts moratoires (€)", default=Decimal(0))
    indemnity = _amount("indemnité forfaitaire (€)", default=Decimal(0))
    interest_due_by = models.DateField("intérêts à verser avant le", null=True, blank=True)
    rate_missing = models.BooleanField("taux BCE à saisir", default=False)
    computed_on = models.DateField("calculé le", null=True, blank=True)
    input = models.JSONField("données", default=dict, encoder=DjangoJSONEncoder)
    result = models.JSONField("résultat", default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = "facture"
        ordering = ["-received_on", "-pk"]
        default_related_name = "invoices"
        indexes = [
            models.Index(fields=["contract", "deleted_at"], name="invoice_contract_live"),
            models.Index(fields=["paid_on", "due_on"], name="invoice_unpaid_due"),
        ]

    def __str__(self) -> str:
        return f"Facture {self.reference}"


class ServiceOrderKind(models.TextChoices):
    DEMARRAGE = "demarrage", "Démarrage des prestations"
    PRESTATIONS = "prestations", "Prescriptions d'exécution"
    ARRET = "arret", "Arrêt ou ajournement"
    REPRISE = "reprise", "Reprise des prestations"
    AUTRE = "autre", "Autre"


class ServiceOrder(ContractPart):
    """An ordre de service: prepared (draft), then issued by the buyer's maître d'ouvrage."""

    number = models.PositiveIntegerField("ordre de service n°")
    kind = models.CharField("nature", max_length=20, choices=ServiceOrderKind.choices)
    subject = models.CharField("objet", max_length=300)
    description = models.TextField("prescriptions", blank=True)
    effective_on = models.DateField("date d'effet", null=True, blank=True)
    issued_on = models.DateField("émis le", null=True, blank=True)
    issued_by = user_fk("émis par", blank=True)
    acknowledged_on = models.DateField("reçu par le titulaire le", null=True, blank=True)

    class Meta:
        verbose_name = "ordre de service"
        ordering = ["number"]
        default_related_name = "service_orders"

    def __str__(self) -> str:
        return f"Ordre de service n° {self.number} — {self.subject}"


class ReceptionDecision(models.TextChoices):
    A_DECIDER = "a_decider", "Décision à prendre"
    SANS_RESERVE = "sans_reserve", "Prononcée sans réserve"
    AVEC_RESERVES = "avec_reserves", "Prononcée avec réserves"
    AJOURNEE = "ajournee", "Ajournée"
    REFUSEE = "refusee", "Refusée"


class Reception(ContractPart):
    """Reception (travaux) or admission (fournitures, services) of all or part of the contract."""

    label = models.CharField("objet de la réception", max_length=200)
    inspected_on = models.DateField("opérations de vérification le")
    decision = models.CharField(
        "décision",
        max_length=20,
        choices=ReceptionDecision.choices,
        default=ReceptionDecision.A_DECIDER,
    )
    effective_on = models.DateField("date d'effet", null=True, blank=True)
    decided_on = models.DateField("décidée le", null=True, blank=True)
    decided_by = user_fk("décidée par", blank=True)
    note = models.TextField("observations", blank=True)

    class Meta:
        verbose_name = "réception"
        ordering = ["-inspected_on", "-pk"]
        default_related_name = "receptions"

    def __str__(self) -> str:
        return f"Réception — {self.label}"


class Reserve(SoftDeletable):
    reception = models.ForeignKey(
        Reception, on_delete=models.PROTECT, related_name="reserves", verbose_name="réception"
    )
    description = models.CharField("réserve", max_length=300)
    due_on = models.DateField("à lever avant le", null=True, blank=True)
    lifted_on = models.DateField("levée le", null=True, blank=True)
    lifted_by = user_fk("levée par", blank=True)
    lifting_note = models.CharField("constat de levée", max_length=300, blank=True)
    created_by = user_fk("créée par", blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "réserve"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Réserve — {self.description}"


class PenaltyStatus(models.TextChoices):
    PROPOSEE = "proposee", "Proposée"
    VALIDEE = "validee", "Appliquée"
    ABANDONNEE = "abandonnee", "Abandonnée"


class Penalty(ContractPart):
    """A late-performance penalty computed by ``openamo.pricing.penalties`` from the clause."""

    reason = models.CharField("manquement constaté", max_length=300)
    due_on = models.DateField("date contractuelle")
    delivered_on = models.DateField("date d'exécution effective")
    late_value_ht = _amount("valeur des prestations en retard HT (€)")
    days_late = models.PositiveIntegerField("jours de retard", default=0)
    penalty_ht = _amount("pénalité HT (€)", default=Decimal(0))
    status = models.CharField(
        "statut", max_length=20, choices=PenaltyStatus.choices, default=PenaltyStatus.PROPOSEE
    )
    decided_on = models.DateField("décidée le", null=True, blank=True)
    decided_by = user_fk("décidée par", blank=True)
    input = models.JSONField("données", default=dict, encoder=DjangoJSONEncoder)
    result = models.JSONField("résultat", default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = "pénalité"
        ordering = ["-due_on", "-pk"]
        default_related_name = "penalties"

    def __str__(self) -> str:
        return f"Pénalité — {self.reason}"


class EvaluationStage(models.TextChoices):
    JALON = "jalon", "Évaluation d'étape"
    FINALE = "finale", "Évaluation finale"


class Evaluation(ContractPart):
    """The buyer's evaluation of the holder, kept for its future consultations."""

    stage = models.CharField("moment", max_length=10, choices=EvaluationStage.choices)
    milestone = models.CharField("jalon", max_length=200)
    evaluated_on = models.DateField("évaluée le")
    marks = models.JSONField("notes par critère", default=dict, encoder=DjangoJSONEncoder)
    average = models.DecimalField("moyenne sur 5", max_digits=4, decimal_places=2)
    comments = models.TextField("appréciation générale", blank=True)

    class Meta:
        verbose_name = "évaluation du titulaire"
        ordering = ["-evaluated_on", "-pk"]
        default_related_name = "evaluations"

    def __str__(self) -> str:
        return f"Évaluation — {self.milestone}"
