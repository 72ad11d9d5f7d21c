"""Purchase orders and invoices, their payment deadlines and late interest."""

from __future__ import annotations

import datetime

from openamo.pricing.execution_models import FrameworkResult
from openamo.web.contracts import models as m
from openamo.web.contracts.access import ContractAccess
from openamo.web.contracts.payments import PaymentStatus
from openamo.web.contracts.presenters.labels import badge, contract_url, day, euros
from openamo.web.tables import Cell, Table


def orders_table(
    orders: list[m.Order], framework: FrameworkResult | None, access: ContractAccess
) -> Table:
    cumulative = {}
    over = {}
    if framework is not None:
        for check in framework.orders:
            cumulative[(check.reference, check.date)] = check.cumulative_ht
            over[(check.reference, check.date)] = check.exceeds_maximum
    header = ["Bon de commande", "Émis le", "Objet", "Montant HT", "Cumul HT", "Maximum"]
    if access.can_edit:
        header.append("Actions")
    rows = []
    for order in orders:
        key = (order.reference, order.issued_on)
        row: list[Cell] = [
            {"text": order.reference},
            {"text": day(order.issued_on)},
            {"text": order.description or "—"},
            {"text": euros(order.amount_ht)},
            {"text": euros(cumulative.get(key))},
            badge("error", "Dépassé") if over.get(key) else badge("success", "Respecté"),
        ]
        if access.can_edit:
            row.append(
                {
                    "links": [
                        {
                            "text": "Modifier",
                            "url": contract_url(order.contract, "order_edit", order.pk),
                            "label": f"bon de commande {order.reference}",
                        }
                    ]
                }
            )
        rows.append(row)
    return {"header": header, "rows": rows}


def invoice_badge(status: PaymentStatus, invoice: m.Invoice, today: datetime.date) -> Cell:
    if invoice.paid_on is not None:
        if status.days_late:
            return badge("warning", f"Payée avec {status.days_late} j de retard")
        return badge("success", "Payée dans le délai")
    if status.days_late:
        return badge("error", f"En retard de {status.days_late} j")
    if (status.due_on - today).days <= DUE_SOON_DAYS:
        return badge("warning", "Échéance proche")
    return badge("info", "À payer")


DUE_SOON_DAYS = 10
"""An unpaid invoice due within this many days is shown as « échéance proche »."""


def interest_cell(status: PaymentStatus) -> Cell:
    if status.missing_rate is not None:
        return badge("warning", "Taux BCE à saisir")
    result = status.result
    if result is None or not result.late:
        return {"text": "—"}
    return {
        "text": f"{euros(result.interest)} + {euros(result.indemnity)}",
        "hint": "intérêts + indemnité forfaitaire",
    }


def invoices_table(rows_in: list[tuple[m.Invoice, PaymentStatus]], today: datetime.date) -> Table:
    header = ["Facture", "Reçue le", "Montant TTC", "Échéance", "Situation", "Intérêts moratoires"]
    rows: list[list[Cell]] = []
    for invoice, status in rows_in:
        rows.append(
            [
                {
                    "text": invoice.reference,
                    "url": contract_url(invoice.contract, "invoice_detail", invoice.pk),
                    "hint": invoice.description,
                },
                {"text": day(invoice.received_on)},
                {"text": euros(invoice.amount_ttc)},
                {
                    "text": day(status.due_on),
                    "hint": "délai suspendu" if invoice.suspended_on else "",
                },
                invoice_badge(status, invoice, today),
                interest_cell(status),
            ]
        )
    return {"header": header, "rows": rows}


def dashboard_table(rows_in: list[tuple[m.Invoice, PaymentStatus]], today: datetime.date) -> Table:
    header = ["Facture", "Marché", "Titulaire", "Montant TTC", "Échéance", "Situation", "Intérêts"]
    rows: list[list[Cell]] = []
    for invoice, status in rows_in:
        contract = invoice.contract
        rows.append(
            [
                {
                    "text": invoice.reference,
                    "url": contract_url(contract, "invoice_detail", invoice.pk),
                },
                {
                    "text": str(contract),
                    "url": contract_url(contract),
                    "hint": contract.organisation.name,
                },
                {"text": contract.holder_name},
                {"text": euros(invoice.amount_ttc)},
                {"text": day(status.due_on)},
                invoice_badge(status, invoice, today),
                interest_cell(status),
            ]
        )
    return {"header": header, "rows": rows}
