"""The works contracts' dated obligations (``openamo.web.obligations``): the états d'acompte
accepted by the maître d'œuvre and not yet paid, with the payment deadline computed by
``openamo.pricing`` (late ones flagged), the next step of each final account (CCAG-Travaux
2021, art. 12) computed by ``openamo.construction``, both shown to the buyer's side (maître
d'ouvrage, AMO) and to the maître d'œuvre, not to the holder of the works contract; and the holder's reserves on a service
order still unanswered, with the 15-day answer deadline (art. 3.8.2), shown to the buyer's own
maître d'ouvrage, who answers them. Four queries at most."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.urls import reverse

from openamo.construction import reserves_answer_deadline
from openamo.errors import OpenAMOError
from openamo.pricing.enums import PaymentBuyer
from openamo.pricing.models import PaymentInput
from openamo.pricing.payment import payment_deadline
from openamo.web.construction import services
from openamo.web.construction.models import FinalAccount, MonthlyStatement, OrderReserves
from openamo.web.construction.requests import FinalAccountDates
from openamo.web.contracts.access import visible_contracts
from openamo.web.contracts.models import Contract
from openamo.web.obligations import Obligation
from openamo.web.organisations.access import deciding_organisation_ids, organisation_ids
from openamo.web.softdelete import alive_through
from openamo.web.users import AuthenticatedUser

ROWS = 50
STATEMENTS = "Acomptes de travaux à payer"
FINAL_ACCOUNTS = "Décomptes généraux de travaux"
ORDER_RESERVES = "Réserves sur les ordres de service"
PENDING = {"a_venir", "en_retard"}


def _works(user: AuthenticatedUser) -> QuerySet[Contract]:
    """The works contracts the user follows: the buyer's side, and the maître d'œuvre (the
    holder of the operation's MOE contract), who checks the statements and receives the
    final account's draft; never the works contractor's own contract."""
    held = organisation_ids(user)
    designed = Q(
        operation__construction__moe_contract__holder_organisation_id__in=held,
        operation__construction__moe_contract__deleted_at__isnull=True,
    )
    return (
        Contract.objects.alive()
        .filter(Q(pk__in=visible_contracts(user).values("pk")) | designed)
        .filter(nature="travaux", operation__construction__isnull=False)
        .exclude(holder_organisation_id__in=held)
    )


def due(user: AuthenticatedUser, today: datetime.date) -> list[Obligation]:
    contracts = _works(user)
    found = [_statement(s, today) for s in _unpaid(contracts)]
    accounts = FinalAccount.objects.filter(contract__in=contracts).select_related("contract")
    for account in accounts.order_by("reception_notified_on", "pk")[:ROWS]:
        step = _next_step(account)
        if step is not None:
            found.append(step)
    deciding = deciding_organisation_ids(user)
    if deciding:
        for reserves in _unanswered(contracts.filter(organisation_id__in=deciding)):
            answer = _answer(reserves, today)
            if answer is not None:
                found.append(answer)
    return found


def _unanswered(contracts: QuerySet[Contract]) -> list[OrderReserves]:
    return list(
        OrderReserves.objects.filter(
            alive_through("service_order"),
            service_order__contract__in=contracts,
            service_order__issued_on__isnull=False,
            answered_on__isnull=True,
        )
        .select_related("service_order__contract")
        .order_by("received_on", "pk")[:ROWS]
    )


def _answer(reserves: OrderReserves, today: datetime.date) -> Obligation | None:
    order = reserves.service_order
    contract = order.contract
    try:
        due_on = reserves_answer_deadline(
            contract.consultation_on or contract.notified_on, reserves.received_on
        )
    except OpenAMOError:
        return None  # a contract under the CCAG of 2009: its page says so
    late = due_on < today
    return Obligation(
        kind=ORDER_RESERVES,
        what=f"Ordre de service n° {order.number} : réserves du titulaire reçues le "
        f"{reserves.received_on:%d/%m/%Y}, réponse à notifier au plus tard le {due_on:%d/%m/%Y}"
        + (
            " — en retard : le titulaire n'est pas tenu d'exécuter un ordre qu'il signale "
            "dangereux ou contraire à la loi (CCAG-Travaux 2021, art. 3.8.2)"
            if late
            else ""
        ),
        subject=contract.title,
        url=reverse(
            "construction:order_answer", args=[contract.operation_id, contract.pk, order.pk]
        ),
        due_on=due_on,
        late=late,
    )


def _unpaid(contracts: QuerySet[Contract]) -> list[MonthlyStatement]:
    return list(
        MonthlyStatement.objects.filter(
            contract__in=contracts, accepted_cumulative_ht__isnull=False, paid_on__isnull=True
        )
        .select_related("contract")
        .order_by("received_by_moe_on", "pk")[:ROWS]
    )


def _statement(statement: MonthlyStatement, today: datetime.date) -> Obligation:
    contract = statement.contract
    _, due_on, _, _, _ = payment_deadline(
        PaymentInput(
            buyer=PaymentBuyer(contract.payment_buyer),
            invoice_received_on=statement.received_by_moe_on,
            amount_ttc=0,
            contractual_days=contract.payment_days,
        )
    )
    late = due_on < today
    return Obligation(
        kind=STATEMENTS,
        what=f"Acompte n° {statement.number} ({statement.month:%m/%Y}) : à payer au plus tard "
        f"le {due_on:%d/%m/%Y}" + (" — en retard, intérêts moratoires dus" if late else ""),
        subject=contract.title,
        url=reverse("construction:works_contract", args=[contract.operation_id, contract.pk])
        + "#acomptes",
        due_on=due_on,
        late=late,
    )


def _next_step(account: FinalAccount) -> Obligation | None:
    contract = account.contract
    try:
        result = services.dgd_result(contract, FinalAccountDates.from_row(account))
    except OpenAMOError:
        return None
    step = next((s for s in result.steps if s.status in PENDING), None)
    if step is None:
        return None
    when = f" au plus tard le {step.due_on:%d/%m/%Y}" if step.due_on else ""
    return Obligation(
        kind=FINAL_ACCOUNTS,
        # « … au maître d'ouvrage (titulaire) » read as if the buyer were the holder.
        what=f"{step.label}{when} — à la charge du {step.by}",
        subject=contract.title,
        url=reverse("construction:final_account", args=[contract.operation_id, contract.pk]),
        due_on=step.due_on,
        late=step.status == "en_retard",
    )
