"""The sub-contractors the buyer accepted (L2193-10)."""

from __future__ import annotations

from django.db import models

from openamo.web.contracts.models.contract import ContractPart, required_amount_field


class Subcontractor(ContractPart):
    """A sub-contractor accepted by the buyer, with or without direct payment (L2193-10)."""

    name = models.CharField("raison sociale", max_length=200)
    siret = models.CharField("SIRET", max_length=14)
    services = models.CharField("prestations sous-traitées", max_length=300)
    amount_ht = required_amount_field("montant maximal HT (€)")
    direct_payment = models.BooleanField("paiement direct", default=True)
    accepted_on = models.DateField("acceptation et agrément le", null=True, blank=True)

    class Meta:
        verbose_name = "sous-traitant"
        ordering = ["name", "pk"]
        default_related_name = "subcontractors"

    def __str__(self) -> str:
        return f"Sous-traitant {self.name}"
