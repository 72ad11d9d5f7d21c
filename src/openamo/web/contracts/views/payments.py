"""Pages of the payments: orders under a framework, invoices and their late interest, and the
dashboard of the invoices at risk across the user's contracts."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from openamo.errors import OpenAMOError
from openamo.pricing.payment import invoice_totals
from openamo.web.audit.services import audited_fields
from openamo.web.contracts import payments, queries
from openamo.web.contracts.access import ContractAccess, contract_access
from openamo.web.contracts.forms.payments import InvoiceForm, OrderForm
from openamo.web.contracts.models import Contract, Invoice, Order
from openamo.web.contracts.presenters.labels import euros
from openamo.web.contracts.presenters.outcomes import attach_domain_errors, domain_result
from openamo.web.contracts.presenters.payments import (
    DUE_SOON_DAYS,
    dashboard_table,
    invoice_badge,
    invoices_table,
    orders_table,
)
from openamo.web.contracts.services import renewals as renewal_service
from openamo.web.contracts.views._common import GET_POST, crumbs, form_page
from openamo.web.forms import submitted
from openamo.web.pages import page_context
from openamo.web.users import AuthenticatedRequest

INVOICE_FIELDS = {
    "invoice_received_on": "received_on",
    "paid_on": "paid_on",
    "amount_ttc": "amount_ttc",
    "ecb_rate_percent": "ecb_rate_percent",
    "interruption": "suspended_on",
    "contractual_days": "received_on",
}


def _payments_url(pk: int, anchor: str = "") -> str:
    return reverse("contracts:payments", args=[pk]) + anchor


def _pay_crumbs(contract: Contract) -> list[tuple[str, str]]:
    return crumbs(contract, ("Commandes et factures", _payments_url(contract.pk)))


@login_required
def payments_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    contract = access.contract
    today = timezone.localdate()
    orders = payments.live_orders(contract)
    try:
        framework = payments.framework_status(
            contract, orders, renewal_service.live_renewals(contract), today
        )
        framework_error = None
    except OpenAMOError as exc:
        framework, framework_error = None, exc.message
    invoices = [
        (i, payments.payment_status(contract, i, today)) for i in payments.live_invoices(contract)
    ]
    context = page_context(
        "Commandes et factures",
        *crumbs(contract),
        access=access,
        contract=contract,
        framework=framework,
        framework_error=framework_error,
        framework_outcome=domain_result(framework) if framework else None,
        orders_table=orders_table(orders, framework, access),
        invoices_table=invoices_table(invoices, today),
        totals=_totals(invoices),
    )
    return render(request, "contracts/payments.html", context)


def _totals(invoices: list[tuple[Invoice, payments.PaymentStatus]]) -> dict[str, str]:
    totals = invoice_totals((i.amount_ttc, i.paid_on is not None, s.result) for i, s in invoices)
    return {
        "invoiced": euros(totals.invoiced_ttc),
        "paid": euros(totals.paid_ttc),
        "interest": euros(totals.late_payment_due),
    }


def _order_page(
    request: AuthenticatedRequest, access: ContractAccess, found: Order | None
) -> HttpResponse:
    access.require_edit()
    initial = None
    if found is not None:
        initial = {name: getattr(found, name) for name in audited_fields(Order)}
    form = OrderForm(request.POST or None, initial=initial, current=found)
    if request.method == "POST" and form.is_valid():
        try:
            payments.save_order(access, request.user, form.request(), found)
        except OpenAMOError as exc:
            place = {"order_outside_contract": "issued_on", "beyond_maximum": "beyond_maximum"}
            form.add_error(place.get(exc.code), exc.message)
        else:
            _framework_message(request, access)
            return redirect(_payments_url(access.contract.pk, "#commandes"))
    title = f"Modifier le {found}" if found else "Enregistrer un bon de commande"
    return form_page(request, title, _pay_crumbs(access.contract), form, contract=access.contract)


def _framework_message(request: HttpRequest, access: ContractAccess) -> None:
    """The domain's verdict on the maximum, right after the order is recorded."""
    contract = access.contract
    status = payments.framework_status(
        contract,
        payments.live_orders(contract),
        renewal_service.live_renewals(contract),
        timezone.localdate(),
    )
    messages.success(request, "Bon de commande enregistré.")
    if status is not None:
        for warning in status.warnings:
            messages.warning(request, warning)


@login_required
@require_http_methods(GET_POST)
def order_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _order_page(request, contract_access(request.user, pk), None)


@login_required
@require_http_methods(GET_POST)
def order_edit(request: AuthenticatedRequest, pk: int, order_pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    return _order_page(request, access, payments.live_order(access, order_pk))


def _invoice_page(
    request: AuthenticatedRequest, access: ContractAccess, found: Invoice | None
) -> HttpResponse:
    access.require_edit()
    initial = None
    if found is not None:
        initial = {name: getattr(found, name) for name in payments.INVOICE_INPUT_FIELDS}
        initial["order"] = found.order_id
    form = InvoiceForm(
        request.POST or None,
        initial=initial,
        orders=payments.live_orders(access.contract),
        current=found,
    )
    invoice = submitted(
        request,
        form,
        lambda: payments.save_invoice(access, request.user, form.request(), found),
        partial(attach_domain_errors, fields=INVOICE_FIELDS),
    )
    if invoice is not None:
        messages.success(request, f"{invoice} enregistrée.")
        if invoice.rate_missing:
            messages.warning(
                request,
                "Le taux de la BCE du semestre n'est pas connu d'OpenAMO : saisissez-le pour "
                "calculer les intérêts moratoires.",
            )
        return redirect("contracts:invoice_detail", access.contract.pk, invoice.pk)
    title = f"Modifier la {found}" if found else "Enregistrer une facture"
    return form_page(
        request,
        title,
        _pay_crumbs(access.contract),
        form,
        contract=access.contract,
        intro="Le délai de paiement court de la réception de la demande de paiement ; "
        "OpenAMO calcule l'échéance, le retard, les intérêts moratoires et l'indemnité "
        "forfaitaire de recouvrement.",
    )


@login_required
@require_http_methods(GET_POST)
def invoice_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _invoice_page(request, contract_access(request.user, pk), None)


@login_required
@require_http_methods(GET_POST)
def invoice_edit(request: AuthenticatedRequest, pk: int, invoice_pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    return _invoice_page(request, access, payments.live_invoice(access, invoice_pk))


@login_required
@require_http_methods(GET_POST)
def invoice_cancel(request: AuthenticatedRequest, pk: int, invoice_pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    invoice = payments.live_invoice(access, invoice_pk)
    access.require_edit()
    if request.method == "POST":
        payments.cancel_invoice(access, request.user, invoice)
        messages.success(request, f"{invoice} annulée.")
        return redirect(_payments_url(pk, "#factures"))
    context = page_context(
        f"Annuler la {invoice}",
        *_pay_crumbs(access.contract),
        question=f"Annuler la {invoice} ({euros(invoice.amount_ttc)} TTC) ?",
        consequence="À faire pour une facture saisie par erreur (doublon, autre marché) : elle "
        "disparaît des listes et des totaux ; l'historique la conserve.",
        cancel_url=reverse("contracts:invoice_detail", args=[pk, invoice.pk]),
    )
    return render(request, "confirm.html", context)


@login_required
def invoice_detail(request: AuthenticatedRequest, pk: int, invoice_pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    invoice = payments.live_invoice(access, invoice_pk)
    today = timezone.localdate()
    status = payments.payment_status(access.contract, invoice, today)
    context = page_context(
        str(invoice),
        *_pay_crumbs(access.contract),
        access=access,
        contract=access.contract,
        invoice=invoice,
        status=status,
        result=status.result,
        outcome=domain_result(status.result) if status.result else None,
        badge=invoice_badge(status, invoice, today)["badge"],
        today=today,
    )
    return render(request, "contracts/invoice_detail.html", context)


@login_required
def invoices_dashboard(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    risk = queries.invoices_at_risk(request.user, today)
    context = page_context(
        "Factures à surveiller",
        *crumbs(),
        risk=risk,
        late_total=euros(risk.late_total_ttc),
        late_table=dashboard_table(risk.late, today),
        soon_table=dashboard_table(risk.due_soon, today),
        paid_late_table=dashboard_table(risk.paid_late, today),
        due_soon_days=DUE_SOON_DAYS,
        shown=queries.DASHBOARD_ROWS,
    )
    return render(request, "contracts/invoices_dashboard.html", context)
