"""The ordres de service of a contract, the holder's reserves on them and the answer."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.http import Http404

from openamo.construction import service_orders
from openamo.construction.models import (
    OrderEntry,
    OrderRow,
    OrdersInput,
    OrdersResult,
)
from openamo.errors import OpenAMOError
from openamo.web.audit.models import Action
from openamo.web.audit.services import audited_update
from openamo.web.construction.access import require_propose
from openamo.web.construction.models import (
    OrderReserves,
)
from openamo.web.construction.requests import (
    ReservesAnswer,
    ReservesReceived,
    columns,
)
from openamo.web.construction.services import today
from openamo.web.contracts.models import (
    Contract,
    ServiceOrder,
)
from openamo.web.operations.access import OperationAccess
from openamo.web.users import AuthenticatedUser


def issued_orders(contract: Contract) -> list[ServiceOrder]:
    """The orders sent to the holder (a draft has no effect yet)."""
    return list(
        ServiceOrder.objects.alive()
        .filter(contract=contract, issued_on__isnull=False)
        .select_related("construction_reserves")
    )


def _reserves(order: ServiceOrder) -> OrderReserves | None:
    try:
        return order.construction_reserves
    except OrderReserves.DoesNotExist:
        return None


def orders_result(contract: Contract, orders: list[ServiceOrder]) -> OrdersResult | None:
    if not orders:
        return None
    entries = []
    for order in orders:
        reserves = _reserves(order)
        entries.append(
            OrderEntry(
                number=order.number,
                kind=order.kind,
                effective_on=order.effective_on,
                received_on=order.acknowledged_on,
                reserves_on=reserves.received_on if reserves else None,
                answered_on=reserves.answered_on if reserves else None,
            )
        )
    return service_orders(
        OrdersInput(
            consultation_date=contract.consultation_on or contract.notified_on,
            orders=entries,
            as_of=today(),
        )
    )


@dataclass
class OrderLine:
    order: ServiceOrder
    row: OrderRow | None
    reserves: OrderReserves | None


def order_lines(orders: list[ServiceOrder], result: OrdersResult | None) -> list[OrderLine]:
    rows = {row.number: row for row in result.orders} if result else {}
    return [OrderLine(o, rows.get(o.number), _reserves(o)) for o in orders]


def live_order(contract: Contract, order_pk: int) -> ServiceOrder:
    order = (
        ServiceOrder.objects.alive()
        .filter(pk=order_pk, contract=contract, issued_on__isnull=False)
        .first()
    )
    if order is None:
        raise Http404("Ordre de service introuvable.")
    return order


@transaction.atomic
def record_reserves(
    access: OperationAccess,
    user: AuthenticatedUser,
    order: ServiceOrder,
    received: ReservesReceived,
) -> OrderReserves:
    """What the holder wrote on an order, as received (before any answer)."""
    require_propose(access)
    existing = _reserves(order)
    if existing is not None and existing.answered_on:
        raise OpenAMOError(
            "Le maître d'ouvrage a déjà répondu à ces réserves : elles ne sont plus modifiables."
        )
    if order.acknowledged_on and received.received_on < order.acknowledged_on:
        raise OpenAMOError(
            "Les réserves ne peuvent pas être reçues avant l'accusé de réception de l'ordre "
            f"({order.acknowledged_on:%d/%m/%Y})."
        )
    reserves = existing or OrderReserves(service_order=order)
    audited_update(user, reserves, {**columns(received), "recorded_by": user},
                   operation_id=access.operation.pk, contract_id=order.contract_id)  # fmt: skip
    return reserves


@transaction.atomic
def answer_reserves(
    access: OperationAccess, user: AuthenticatedUser, order: ServiceOrder, answer: ReservesAnswer
) -> OrderReserves:
    access.require_validate()
    reserves = _reserves(order)
    if reserves is None:
        raise OpenAMOError("Aucune réserve du titulaire n'est enregistrée sur cet ordre.")
    if answer.answered_on < reserves.received_on:
        raise OpenAMOError(
            "La réponse ne peut pas précéder les réserves "
            f"(reçues le {reserves.received_on:%d/%m/%Y})."
        )
    audited_update(user, reserves, columns(answer), operation_id=access.operation.pk,
                   contract_id=order.contract_id, action=Action.DECIDE)  # fmt: skip
    return reserves
