"""Orders of a framework agreement and invoices (payment period, late interest)."""

from __future__ import annotations

from decimal import Decimal
from typing import Unpack

from django import forms

from openamo.web.contracts.forms.fields import SectionedForm
from openamo.web.contracts.models import Invoice, Order
from openamo.web.contracts.requests import InvoiceEntry, OrderEntry
from openamo.web.forms import (
    Files,
    FormOptions,
    OpenAMOForm,
    Posted,
    amount_field,
    date_field,
    number_field,
)


class OrderForm(OpenAMOForm):
    reference = forms.CharField(label="Numéro du bon de commande", max_length=60)
    issued_on = date_field("Émis le", not_after_today=True)
    amount_ht = amount_field("Montant HT (€)")
    description = forms.CharField(label="Objet", max_length=300, required=False)
    beyond_maximum = forms.BooleanField(
        label="Je confirme un bon de commande au-delà du maximum de l'accord-cadre",
        required=False,
        help_text="Dépasser le maximum modifie le marché : c'est une modification du contrat "
        "(articles R2194-1 et suivants du code de la commande publique), à passer par avenant "
        "dans ses limites.",
    )

    def request(self) -> OrderEntry:
        d = self.cleaned_data
        return OrderEntry(
            reference=d["reference"],
            issued_on=d["issued_on"],
            amount_ht=d["amount_ht"],
            description=d["description"],
            beyond_maximum=d["beyond_maximum"],
        )


class InvoiceForm(SectionedForm):
    reference = forms.CharField(label="Numéro de la facture", max_length=60)
    received_on = date_field(
        "Reçue le",
        help_text="Date de réception de la demande de paiement (Chorus Pro) : le délai court "
        "de ce jour. Format : JJ/MM/AAAA",
        not_after_today=True,
    )
    amount_ttc = amount_field("Montant TTC (€)")
    description = forms.CharField(label="Objet", max_length=300, required=False)
    order = forms.TypedChoiceField(
        label="Bon de commande", required=False, coerce=int, empty_value=None
    )
    suspended_on = date_field(
        "Suspension notifiée le",
        required=False,
        help_text="Date de la notification au titulaire des pièces manquantes. Format : JJ/MM/AAAA",
    )
    documents_received_on = date_field("Pièces reçues le", required=False, not_after_today=True)
    suspension_reason = forms.CharField(
        label="Motif de la suspension",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Pièce ou mention manquante, erronée ou incohérente.",
    )
    paid_on = date_field(
        "Payée le",
        required=False,
        help_text="Date du mandatement ou de la mise en paiement. Format : JJ/MM/AAAA",
        not_after_today=True,
    )
    ecb_rate_percent = number_field(
        "Taux BCE du semestre (%)",
        decimals=3,
        maximum=Decimal(100),
        help_text="Seulement si OpenAMO ne connaît pas le taux de refinancement de la BCE du "
        "semestre concerné. Exemple : 2,15",
    )

    sections = [
        ("La facture", ["reference", "received_on", "amount_ttc", "description", "order"]),
        (
            "Suspension du délai de paiement",
            ["suspended_on", "documents_received_on", "suspension_reason"],
        ),
        ("Paiement", ["paid_on", "ecb_rate_percent"]),
    ]

    def __init__(
        self,
        data: Posted | None = None,
        files: Files | None = None,
        *,
        orders: list[Order],
        **options: Unpack[FormOptions],
    ) -> None:
        super().__init__(data, files, **options)
        self.orders = {o.pk: o for o in orders}
        field = self.fields["order"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Aucun")] + [(o.pk, str(o)) for o in orders]
        if not orders:
            del self.fields["order"]

    def clean(self) -> None:
        super().clean()
        data = self.cleaned_data
        received, paid = data.get("received_on"), data.get("paid_on")
        if received and paid and paid < received:
            self.add_error("paid_on", "La date de paiement précède la réception de la facture.")
        stop, back = data.get("suspended_on"), data.get("documents_received_on")
        if bool(stop) != bool(back):
            field = "documents_received_on" if stop else "suspended_on"
            self.add_error(
                field, "Une suspension a deux dates : sa notification et la réception des pièces."
            )
        if stop and back and back < stop:
            self.add_error(
                "documents_received_on", "Les pièces ne peuvent arriver avant la demande."
            )
        if stop and received and stop < received:
            self.add_error(
                "suspended_on", "La suspension ne peut précéder la réception de la facture."
            )
        if stop and not data.get("suspension_reason"):
            self.add_error("suspension_reason", "Indiquez le motif de la suspension.")

    def request(self) -> InvoiceEntry:
        """The invoice typed; without any order to choose, an edited invoice keeps its own."""
        d = self.cleaned_data
        if "order" in self.fields:
            order = self.orders.get(d["order"] or 0)
        else:
            order = self.current.order if isinstance(self.current, Invoice) else None
        return InvoiceEntry(
            reference=d["reference"],
            received_on=d["received_on"],
            amount_ttc=d["amount_ttc"],
            description=d["description"],
            order=order,
            suspended_on=d["suspended_on"],
            documents_received_on=d["documents_received_on"],
            suspension_reason=d["suspension_reason"],
            paid_on=d["paid_on"],
            ecb_rate_percent=d["ecb_rate_percent"],
        )
