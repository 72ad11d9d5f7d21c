"""The works in execution, seen from the construction operation: lots by trade, their contracts
and, per contract, the ordres de service with the holder's reserves.

The orders, receptions, reserves, payments and price revisions are the contracts app's rows
(``openamo.web.contracts``); this module adds what the CCAG-Travaux asks on top of them — the
holder's reserves on an order and the answer — and asks ``openamo.construction`` for the
deadlines. Recording what the holder sent is preparation (``can_edit``: the AMO or the MOE's
paperwork); answering it is the maître d'ouvrage's decision (``can_validate``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import Http404

from openamo.construction import service_orders
from openamo.construction.lots import AllotmentReview, review_allotment
from openamo.construction.models import OrderEntry, OrderRow, OrdersInput, OrdersResult
from openamo.errors import OpenAMOError
from openamo.web.audit.models import Action
from openamo.web.audit.services import record, snapshot
from openamo.web.construction.models import OrderReserves
from openamo.web.construction.services import today, works_contracts
from openamo.web.contracts.models import Contract, ServiceOrder
from openamo.web.operations.access import OperationAccess
from openamo.web.operations.models import Lot

RESERVES_FIELDS = ["received_on", "text", "answer", "answered_on"]


@dataclass
class LotRow:
    lot: Lot | None
    contracts: list[Contract] = field(default_factory=list)


def works_lots(access: OperationAccess) -> tuple[list[LotRow], AllotmentReview]:
    """Each live lot of the operation with its works contracts (and those without a lot)."""
    contracts = works_contracts(access)
    lots = list(Lot.objects.filter(operation=access.operation, deleted_at__isnull=True))
    rows = [LotRow(lot, [c for c in contracts if c.lot_id == lot.pk]) for lot in lots]
    loose = [c for c in contracts if c.lot_id is None]
    if loose:
        rows.append(LotRow(None, loose))
    counts = {row.lot.name: len(row.contracts) for row in rows if row.lot is not None}
    review = review_allotment(counts)
    return rows, review


def issued_orders(contract: Contract) -> list[ServiceOrder]:
    """The orders sent to the holder (a draft has no effect yet)."""
    return list(
        ServiceOrder.objects.filter(
            contract=contract, deleted_at__isnull=True, issued_on__isnull=False
        ).select_related("construction_reserves")
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
    order = ServiceOrder.objects.filter(
        pk=order_pk, contract=contract, deleted_at__isnull=True, issued_on__isnull=False
    ).first()
    if order is None:
        raise Http404("Ordre de service introuvable.")
    return order


@transaction.atomic
def record_reserves(
    access: OperationAccess, user: Any, order: ServiceOrder, data: dict[str, Any]
) -> OrderReserves:
    """What the holder wrote on an order, as received (before any answer)."""
    access.require_edit()
    existing = _reserves(order)
    if existing is not None and existing.answered_on:
        raise OpenAMOError(
            "Le maître d'ouvrage a déjà répondu à ces réserves : elles ne sont plus modifiables."
        )
    if order.acknowledged_on and data["received_on"] < order.acknowledged_on:
        raise OpenAMOError(
            "Les réserves ne peuvent pas être reçues avant l'accusé de réception de l'ordre "
            f"({order.acknowledged_on:%d/%m/%Y})."
        )
    reserves = existing or OrderReserves(service_order=order)
    before = snapshot(reserves, RESERVES_FIELDS) if reserves.pk else None
    reserves.received_on = data["received_on"]
    reserves.text = data["text"]
    reserves.recorded_by = user
    reserves.save()
    record(user, Action.UPDATE if before else Action.CREATE, reserves,
           operation_id=access.operation.pk, contract_id=order.contract_id, before=before,
           after=snapshot(reserves, RESERVES_FIELDS))  # fmt: skip
    return reserves


@transaction.atomic
def answer_reserves(
    access: OperationAccess, user: Any, order: ServiceOrder, data: dict[str, Any]
) -> OrderReserves:
    access.require_validate()
    reserves = _reserves(order)
    if reserves is None:
        raise OpenAMOError("Aucune réserve du titulaire n'est enregistrée sur cet ordre.")
    if data["answered_on"] < reserves.received_on:
        raise OpenAMOError(
            "La réponse ne peut pas précéder les réserves "
            f"(reçues le {reserves.received_on:%d/%m/%Y})."
        )
    before = snapshot(reserves, RESERVES_FIELDS)
    reserves.answer = data["answer"]
    reserves.answered_on = data["answered_on"]
    reserves.save()
    record(user, Action.DECIDE, reserves, operation_id=access.operation.pk,
           contract_id=order.contract_id, before=before,
           after=snapshot(reserves, RESERVES_FIELDS))  # fmt: skip
    return reserves
