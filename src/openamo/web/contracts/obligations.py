"""The contracts' dated obligations (``openamo.web.obligations``): invoices late or due soon,
with what is owed (interest and the fixed indemnity as soon as an invoice is late, R2192-31
and D2192-35), interest still to pay on invoices paid late, reserves to lift, and the award
notice of a contract at or above the EU threshold, due 30 days after its signature (R2183-1)
until it is recorded as sent. Three queries."""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import partial

from django.db.models import Q, QuerySet
from django.urls import reverse

from openamo.award import award_notice_deadline
from openamo.errors import OpenAMOError
from openamo.money import format_euros
from openamo.procurement.enums import Buyer, Nature
from openamo.web.contracts.access import visible_contracts
from openamo.web.contracts.models import Contract, Invoice, Reserve
from openamo.web.contracts.payments import PaymentStatus, payment_status
from openamo.web.contracts.presenters.payments import DUE_SOON_DAYS
from openamo.web.obligations import Obligation
from openamo.web.organisations.access import organisation_ids
from openamo.web.softdelete import alive_through
from openamo.web.users import AuthenticatedUser

ROWS = 50
AWARD_NOTICE_KIND = "Avis d'attribution à publier"
AWARD_NOTICE_WINDOW_DAYS = 120
"""How long after its notification a contract without a recorded award notice is listed: long
enough to show a notice 30 days late, short enough that contracts entered long after their
signature (before OpenAMO was used) do not fill the dashboard. Not a legal figure."""


def due(user: AuthenticatedUser, today: datetime.date) -> list[Obligation]:
    contracts = visible_contracts(user)
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    invoices = (
        Invoice.objects.alive()
        .filter(contract__in=contracts)
        .filter(
            Q(paid_on__isnull=True, due_on__lte=soon)
            | Q(paid_on__isnull=False, days_late__gt=0, interest_due_by__gte=today)
        )
        .select_related("contract")
        .order_by("due_on", "pk")[:ROWS]
    )
    held = set(organisation_ids(user))
    found = [
        _held_invoice(invoice, today)
        if invoice.contract.holder_organisation_id in held
        else _invoice(invoice, today)
        for invoice in invoices
    ]
    reserves = (
        Reserve.objects.alive()
        .filter(
            alive_through("reception"),
            reception__contract__in=contracts,
            lifted_on__isnull=True,
            due_on__isnull=False,
        )
        .select_related("reception__contract")
        .order_by("due_on", "pk")[:ROWS]
    )
    found += _award_notices(contracts.exclude(holder_organisation_id__in=held), today)
    for reserve in reserves:
        contract = reserve.reception.contract
        assert reserve.due_on is not None
        found.append(
            Obligation(
                kind="Réserves à lever",
                what=f"Réserve « {reserve.description} » ({reserve.reception.label}) à lever "
                f"avant le {reserve.due_on:%d/%m/%Y}",
                subject=str(contract),
                url=reverse("contracts:quality", args=[contract.pk]),
                due_on=reserve.due_on,
                late=reserve.due_on < today,
            )
        )
    return found


def _payment(
    invoice: Invoice, today: datetime.date
) -> tuple[PaymentStatus, partial[Obligation], str]:
    """What the buyer's and the holder's view of an invoice start from: its payment status,
    an obligation about its contract (named, on the payments page), its TTC amount."""
    contract = invoice.contract
    url = reverse("contracts:payments", args=[contract.pk])
    about = partial(Obligation, subject=str(contract), url=url)
    return payment_status(contract, invoice, today), about, format_euros(invoice.amount_ttc)


def _held_invoice(invoice: Invoice, today: datetime.date) -> Obligation:
    """The same invoice seen by its holder: a payment awaited, and what the buyer owes it."""
    status, about, amount = _payment(invoice, today)
    result = status.result
    if invoice.paid_on is None and status.days_late > 0 and result is not None:
        return about(
            kind="Paiements en retard",
            what=f"Facture {invoice.reference} ({amount} TTC) impayée depuis le "
            f"{status.due_on:%d/%m/%Y} : l'acheteur vous doit l'indemnité forfaitaire de "
            f"{format_euros(result.indemnity)} et les intérêts moratoires",
            due_on=status.due_on,
            late=True,
        )
    if invoice.paid_on is not None:
        return about(
            kind="Paiements en retard",
            what=f"Facture {invoice.reference} payée avec {invoice.days_late} jours de retard : "
            f"intérêts moratoires et indemnité forfaitaire attendus avant le "
            f"{invoice.interest_due_by:%d/%m/%Y}",
            due_on=invoice.interest_due_by,
        )
    return about(
        kind="Paiements attendus",
        what=f"Facture {invoice.reference} ({amount} TTC) : paiement attendu au plus tard le "
        f"{status.due_on:%d/%m/%Y}",
        due_on=status.due_on,
    )


def _invoice(invoice: Invoice, today: datetime.date) -> Obligation:
    status, about, amount = _payment(invoice, today)
    result = status.result
    if invoice.paid_on is not None:
        owed = format_euros(result.total_due) if result else "—"
        return about(
            kind="Factures en retard",
            what=f"Facture {invoice.reference} payée avec {invoice.days_late} jours de retard : "
            f"{owed} d'intérêts moratoires et d'indemnité forfaitaire à verser avant le "
            f"{invoice.interest_due_by:%d/%m/%Y}",
            due_on=invoice.interest_due_by,
            late=True,
        )
    if status.days_late > 0 and result is not None:
        interest = (
            format_euros(result.interest)
            if result.interest is not None
            else "à chiffrer (taux BCE à saisir)"
        )
        return about(
            kind="Factures en retard",
            what=f"Facture {invoice.reference} ({amount} TTC) en retard de {status.days_late} "
            f"jours depuis le {status.due_on:%d/%m/%Y} : indemnité forfaitaire de "
            f"{format_euros(result.indemnity)} due, intérêts moratoires {interest}",
            due_on=status.due_on,
            late=True,
        )
    return about(
        kind="Factures à payer",
        what=f"Facture {invoice.reference} ({amount} TTC) à payer avant le "
        f"{status.due_on:%d/%m/%Y}",
        due_on=status.due_on,
    )


def _award_notices(contracts: QuerySet[Contract], today: datetime.date) -> list[Obligation]:
    since = today - datetime.timedelta(days=AWARD_NOTICE_WINDOW_DAYS)
    rows = (
        contracts.filter(award_notice_sent_on__isnull=True, notified_on__gte=since)
        .select_related("organisation", "operation__consultation", "operation__need")
        .order_by("notified_on", "pk")[:ROWS]
    )
    found = []
    for contract in rows:
        obligation = _award_notice(contract, today)
        if obligation is not None:
            found.append(obligation)
    return found


def _award_notice(contract: Contract, today: datetime.date) -> Obligation | None:
    if not contract.organisation.buyer:
        return None  # the organisation page asks for the buyer category first
    signed = contract.signed_on or contract.notified_on
    social = _social_services(contract)
    try:
        due = award_notice_deadline(
            signed_on=signed,
            launched_on=contract.consultation_on or signed,
            buyer=Buyer(contract.organisation.buyer),
            nature=Nature(contract.nature),
            estimated_value_ht=_estimated_value(contract),
            social=social,
        )
    except OpenAMOError:
        return None  # a date the law data does not cover: the contract page says so
    if due is None:
        return None
    deadline, reference = due
    when = (
        f"signé le {contract.signed_on:%d/%m/%Y}"
        if contract.signed_on
        else f"date de signature non renseignée, comptée depuis la notification du "
        f"{contract.notified_on:%d/%m/%Y} (la signature la précède : l'échéance peut être plus "
        "tôt)"
    )
    return Obligation(
        kind=AWARD_NOTICE_KIND,
        what=f"Avis d'attribution à envoyer à la publication avant le {deadline:%d/%m/%Y}, "
        f"marché au moins égal au seuil européen, {when} ({reference})"
        + (SOCIAL_SERVICES_NOTICE if social else ""),
        subject=str(contract),
        url=reverse("contracts:edit", args=[contract.pk]),
        due_on=deadline,
        late=deadline < today,
    )


SOCIAL_SERVICES_NOTICE = (
    " ; services sociaux et autres services spécifiques : le regroupement trimestriel des avis "
    "que permet la directive 2014/24/UE (art. 75, §2) n'a pas été trouvé dans le code, "
    "l'échéance de R2183-1 est retenue"
)


def _social_services(contract: Contract) -> bool:
    """A contract from a need of services sociaux et autres services spécifiques (R2123-1 3°)."""
    operation = contract.operation
    need = getattr(operation, "need", None) if operation is not None else None
    return bool(
        need is not None
        and need.social_and_specific_services
        and contract.nature == Nature.SERVICES.value
    )


def _estimated_value(contract: Contract) -> Decimal:
    """The value of the need the contract comes from, as the procedure choice computed it (all
    lots, renewals, options; an accord-cadre's maximum); for a contract entered alone, its
    maximum or its initial amount."""
    consultation = getattr(contract.operation, "consultation", None) if contract.operation else None
    value = (consultation.result or {}).get("estimated_value_ht") if consultation else None
    if value:
        return Decimal(str(value))
    if contract.is_framework and contract.maximum_amount_ht is not None:
        return contract.maximum_amount_ht
    return contract.initial_amount_ht
