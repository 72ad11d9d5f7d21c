"""Orders (bons de commande) and invoices, with the payment deadline and late interest the
domain computed."""

from __future__ import annotations

from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from openamo.web.contracts.models.contract import (
    ContractPart,
    percent_field,
    required_amount_field,
)


class Order(ContractPart):
    """A bon de commande under a framework agreement."""

    reference = models.CharField("numéro du bon de commande", max_length=60)
    issued_on = models.DateField("émis le")
    amount_ht = required_amount_field("montant HT (€)")
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
    amount_ttc = required_amount_field("montant TTC (€)")
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
    ecb_rate_percent = percent_field("taux BCE saisi (%)")
    due_on = models.DateField("échéance", null=True, blank=True)
    days_late = models.PositiveIntegerField("jours de retard", default=0)
    interest = required_amount_field("intérêts moratoires (€)", default=Decimal(0))
    indemnity = required_amount_field("indemnité forfaitaire (€)", default=Decimal(0))
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
