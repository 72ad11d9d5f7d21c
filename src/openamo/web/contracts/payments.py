"""Money going out: orders under a framework agreement (minimum and maximum tracked by the
domain) and invoices, whose deadline, late-payment interest and recovery indemnity are computed
by ``openamo.pricing.late_payment``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from openamo.errors import OpenAMOError
from openamo.money import format_euros
from openamo.pricing import PaymentResult, late_payment, term
from openamo.pricing.execution_models import FrameworkResult
from openamo.pricing.framework import beyond_maximum, track_orders
from openamo.pricing.models import PaymentInput
from openamo.validation import french_errors
from openamo.web.audit.models import Action
from openamo.web.audit.services import entry_fields, snapshot
from openamo.web.contracts.access import ContractAccess
from openamo.web.contracts.mappers import (
    framework_input,
    initial_end,
    outside_contract,
    payment_input,
    renewal_decisions,
    stored_input,
)
from openamo.web.contracts.models import Contract, Invoice, Order, Renewal
from openamo.web.contracts.requests import InvoiceEntry, OrderEntry
from openamo.web.contracts.services.journal import write
from openamo.web.users import AuthenticatedUser

INVOICE_INPUT_FIELDS = entry_fields(InvoiceEntry)
INVOICE_FIELDS = (
    *INVOICE_INPUT_FIELDS,
    "due_on",
    "days_late",
    "interest",
    "indemnity",
    "rate_missing",
)
MISSING_RATE = "missing_rate"


def live_orders(contract: Contract) -> list[Order]:
    return list(Order.objects.alive().filter(contract=contract))


def live_order(access: ContractAccess, pk: int) -> Order:
    found = Order.objects.alive().filter(pk=pk, contract=access.contract).first()
    if found is None:
        raise Http404("Bon de commande introuvable.")
    return found


def live_invoices(contract: Contract) -> list[Invoice]:
    return list(Invoice.objects.alive().filter(contract=contract).select_related("order"))


def live_invoice(access: ContractAccess, pk: int) -> Invoice:
    found = (
        Invoice.objects.alive()
        .filter(pk=pk, contract=access.contract)
        .select_related("order")
        .first()
    )
    if found is None:
        raise Http404("Facture introuvable.")
    return found


def commitment_end(contract: Contract, renewals: list[Renewal]) -> datetime.date | None:
    """End of the periods the buyer is committed to: the initial one and the renewals decided."""
    end = initial_end(contract)
    if end is None:
        return None
    return term.bound_until(end, renewal_decisions(renewals), undecided=False)


def framework_status(
    contract: Contract, orders: list[Order], renewals: list[Renewal], today: datetime.date
) -> FrameworkResult | None:
    """Orders against the minimum and maximum (``openamo.pricing.framework``)."""
    if not contract.is_framework:
        return None
    with french_errors():
        data = framework_input(contract, orders, commitment_end(contract, renewals), today)
    return track_orders(data)


@transaction.atomic
def save_order(
    access: ContractAccess, user: AuthenticatedUser, entry: OrderEntry, found: Order | None = None
) -> Order:
    access.require_edit()
    if not access.contract.is_framework:
        raise OpenAMOError(
            "Ce marché n'est pas un accord-cadre à bons de commande.", code="not_framework"
        )
    outside = outside_contract(access.contract, entry.issued_on, "Ce bon de commande")
    if outside:
        raise OpenAMOError(outside, code="order_outside_contract")
    _check_maximum(access.contract, entry, found)
    before = snapshot(found) if found else None
    order = found or Order(contract=access.contract, created_by=user)
    order.reference = entry.reference
    order.issued_on = entry.issued_on
    order.amount_ht = entry.amount_ht
    order.description = entry.description
    order.save()
    action = Action.UPDATE if found else Action.CREATE
    write(user, action, order, access.contract, before=before, after=snapshot(order))
    return order


def _check_maximum(contract: Contract, entry: OrderEntry, found: Order | None) -> None:
    """An order that takes the framework beyond its maximum is refused unless the user
    confirms what it means: a modification of the contract, not a mere order."""
    maximum = contract.maximum_amount_ht
    if maximum is None or entry.beyond_maximum:
        return
    others = [o.amount_ht for o in live_orders(contract) if found is None or o.pk != found.pk]
    total = beyond_maximum(maximum, [*others, entry.amount_ht])
    if total is not None:
        raise OpenAMOError(
            f"Ce bon porte les commandes à {format_euros(total)} HT, au-delà du maximum de "
            f"l'accord-cadre ({format_euros(maximum)} HT). Dépasser le maximum modifie le "
            "marché (articles R2194-1 et suivants du code de la commande publique) : passez un "
            "avenant, ou cochez la confirmation si cette modification est décidée.",
            code="beyond_maximum",
        )


@dataclass(frozen=True)
class PaymentStatus:
    """The domain's answer for an invoice today, or why it cannot answer (missing ECB rate)."""

    due_on: datetime.date
    days_late: int
    result: PaymentResult | None
    missing_rate: str | None


def payment_status(contract: Contract, invoice: Invoice, today: datetime.date) -> PaymentStatus:
    """Deadline, delay and interest as of today (an unpaid invoice keeps accruing)."""
    with french_errors():
        data = payment_input(contract, invoice, as_of=today)
    result = late_payment(data)
    # An unknown ECB rate no longer stops the domain: it says so and still owes the 40 €.
    return PaymentStatus(result.due_on, result.days_late, result, result.missing_rate)


@transaction.atomic
def save_invoice(
    access: ContractAccess,
    user: AuthenticatedUser,
    entry: InvoiceEntry,
    found: Invoice | None = None,
) -> Invoice:
    """Record the invoice and what the domain says of it today; an input the domain refuses
    raises :class:`OpenAMOError` and saves nothing."""
    access.require_edit()
    before = snapshot(found, INVOICE_FIELDS) if found else None
    invoice = found or Invoice(contract=access.contract, created_by=user)
    for name in INVOICE_INPUT_FIELDS:
        setattr(invoice, name, getattr(entry, name))
    order = entry.order
    if order is not None and order.contract_id != access.contract.pk:
        raise Http404("Bon de commande introuvable.")
    today = timezone.localdate()
    status = payment_status(access.contract, invoice, today)
    _store(invoice, status, payment_input(access.contract, invoice, as_of=today), today)
    invoice.save()
    action = Action.UPDATE if found else Action.CREATE
    write(
        user,
        action,
        invoice,
        access.contract,
        before=before,
        after=snapshot(invoice, INVOICE_FIELDS),
    )
    return invoice


@transaction.atomic
def cancel_invoice(access: ContractAccess, user: AuthenticatedUser, invoice: Invoice) -> None:
    """An invoice recorded by mistake (a duplicate, another contract's): soft delete."""
    access.require_edit()
    invoice.soft_delete()
    write(user, Action.DELETE, invoice, access.contract, before=snapshot(invoice, INVOICE_FIELDS))


def _store(
    invoice: Invoice, status: PaymentStatus, data: PaymentInput, today: datetime.date
) -> None:
    result = status.result
    invoice.due_on = status.due_on
    invoice.days_late = status.days_late
    invoice.rate_missing = status.missing_rate is not None
    invoice.interest = result.interest if result and result.interest is not None else Decimal(0)
    invoice.indemnity = result.indemnity if result else Decimal(0)
    invoice.interest_due_by = result.interest_payable_by if result else None
    invoice.computed_on = today
    invoice.input = stored_input(data)
    invoice.result = (
        result.model_dump(mode="json")
        if result
        else {"error": {"code": MISSING_RATE, "message": status.missing_rate}}
    )
