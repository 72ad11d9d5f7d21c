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
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import Http404

from openamo import law
from openamo.construction import monthly_statements, reception_calendar, service_orders
from openamo.construction.enums import ReceptionDecision
from openamo.construction.lots import AllotmentReview, review_allotment
from openamo.construction.models import (
    OrderEntry,
    OrderRow,
    OrdersInput,
    OrdersResult,
    ReceptionInput,
    ReceptionResult,
    StatementEntry,
    StatementsInput,
    StatementsResult,
)
from openamo.errors import OpenAMOError
from openamo.money import format_euros, format_share, to_cents, with_vat
from openamo.pricing.advance import advance, retention
from openamo.pricing.enums import PaymentBuyer, PenaltyClause, RetentionSubstitute
from openamo.pricing.execution_models import (
    RetentionResult,
    SubcontractingInput,
    SubcontractingResult,
)
from openamo.pricing.subcontracting import subcontracting
from openamo.web.audit.models import Action
from openamo.web.audit.services import audited_update
from openamo.web.construction.access import require_propose
from openamo.web.construction.models import (
    CompletionNotice,
    MonthlyStatement,
    OrderReserves,
    RetentionGuarantee,
)
from openamo.web.construction.presenters import StepLine
from openamo.web.construction.requests import (
    GuaranteeRequest,
    NoticeRequest,
    ReservesAnswer,
    ReservesReceived,
    StatementPayment,
    StatementRequest,
    columns,
)
from openamo.web.construction.services import today, works_contracts
from openamo.web.contracts import quality
from openamo.web.contracts.mappers import advance_input, retention_input
from openamo.web.contracts.models import (
    Contract,
    Penalty,
    PenaltyStatus,
    PriceRevision,
    Reception,
    Reserve,
    ServiceOrder,
    Subcontractor,
)
from openamo.web.contracts.services import live_subcontractors, signed_amendments_ht
from openamo.web.operations.access import OperationAccess
from openamo.web.operations.models import Lot


@dataclass
class LotRow:
    lot: Lot | None
    contracts: list[Contract] = field(default_factory=list)


def works_lots(access: OperationAccess) -> tuple[list[LotRow], AllotmentReview]:
    """Each live lot of the operation with its works contracts (and those without a lot)."""
    contracts = works_contracts(access)
    lots = list(Lot.objects.alive().filter(operation=access.operation))
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
    access: OperationAccess, user: Any, order: ServiceOrder, received: ReservesReceived
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
    access: OperationAccess, user: Any, order: ServiceOrder, answer: ReservesAnswer
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


# Monthly statements ---------------------------------------------------------------------------


def statements_of(contract: Contract) -> list[MonthlyStatement]:
    return list(MonthlyStatement.objects.filter(contract=contract).order_by("number"))


def revision_coefficient(contract: Contract) -> Decimal | None:
    """The last price revision computed by ``openamo.pricing`` on the contract's page."""
    if contract.price_form == "ferme":
        return None
    latest = PriceRevision.objects.alive().filter(contract=contract).first()
    return latest.coefficient if latest else None


def contract_advance_ttc(contract: Contract) -> Decimal | None:
    """The advance of the contract as ``openamo.pricing`` computes it on the contract's page
    (the contractual rate, else the minimum when the advance is due); None without one."""
    if not contract.duration_months:
        return None
    try:
        result = advance(advance_input(contract))
    except OpenAMOError:
        return None
    if result.contractual_amount_ttc is not None:
        return result.contractual_amount_ttc or None
    return result.minimum_amount_ttc if result.mandatory else None


def retention_guarantee(contract: Contract) -> RetentionGuarantee | None:
    return RetentionGuarantee.objects.filter(contract=contract).first()


def retention_release(contract: Contract, line: ReceptionLine) -> RetentionResult | None:
    """When the retention money is refunded, or the guarantor of its substitute released
    (``openamo.pricing``: R2191-35, R2191-42), from the end of this reception's guarantee and
    the lifting of its reserves; None without a retention or before the reception."""
    if not contract.retention_rate_percent or line.result is None:
        return None
    if line.result.guarantee_ends_on is None:
        return None
    guarantee = retention_guarantee(contract)
    lifted = [reserve.lifted_on for reserve in line.reserves]
    data = retention_input(contract, max(signed_amendments_ht(contract), Decimal(0)))
    try:
        return retention(
            data.model_copy(
                update={
                    "substitute": RetentionSubstitute(guarantee.kind) if guarantee else None,
                    "guarantee_period_ends_on": line.result.guarantee_ends_on,
                    "reserves_lifted_on": max(d for d in lifted if d)
                    if lifted and all(lifted)
                    else None,
                }
            )
        )
    except OpenAMOError:
        return None


@transaction.atomic
def record_guarantee(
    access: OperationAccess, user: Any, contract: Contract, request: GuaranteeRequest
) -> RetentionGuarantee:
    """The guarantee the holder gave instead of the retention (R2191-36): recorded as received
    (preparation); the acomptes stop bearing the retention from the request it precedes."""
    require_propose(access)
    guarantee = retention_guarantee(contract) or RetentionGuarantee(contract=contract)
    rows = statements_of(contract)

    def check() -> None:  # the statements with the guarantee: refused → nothing saved
        if rows:
            monthly_statements(statements_input(contract, rows, guarantee=guarantee))

    audited_update(user, guarantee, {**columns(request), "recorded_by": user},
                   operation_id=access.operation.pk, contract_id=contract.pk, check=check)  # fmt: skip
    return guarantee


def statements_input(
    contract: Contract,
    rows: list[MonthlyStatement],
    extra: MonthlyStatement | None = None,
    *,
    guarantee: RetentionGuarantee | None = None,
) -> StatementsInput:
    """The contract's statements (with ``extra``, not stored yet) as the domain's input; the
    guarantee replacing the retention is the stored one unless ``guarantee`` is given."""
    entries = [*rows, extra] if extra is not None else rows
    guarantee = guarantee or retention_guarantee(contract)
    return StatementsInput(
        consultation_date=contract.consultation_on or contract.notified_on,
        buyer=PaymentBuyer(contract.payment_buyer),
        sme=contract.holder_is_sme,
        initial_amount_ht=contract.initial_amount_ht,
        modifications_ht=max(signed_amendments_ht(contract), Decimal(0)),
        vat_rate_percent=contract.vat_rate,
        retention_rate_percent=contract.retention_rate_percent,
        retention_substitute_on=guarantee.provided_on if guarantee else None,
        revision_coefficient=revision_coefficient(contract),
        contractual_days=contract.payment_days,
        advance_ttc=contract_advance_ttc(contract),
        statements=[
            StatementEntry(
                number=row.number,
                month=row.month,
                received_by_moe_on=row.received_by_moe_on,
                claimed_cumulative_ht=row.claimed_cumulative_ht,
                accepted_cumulative_ht=row.accepted_cumulative_ht,
                paid_on=row.paid_on,
            )
            for row in entries
        ],
        as_of=today(),
    )


def statements_result(contract: Contract, rows: list[MonthlyStatement]) -> StatementsResult | None:
    return monthly_statements(statements_input(contract, rows)) if rows else None


@transaction.atomic
def propose_statement(
    access: OperationAccess, user: Any, contract: Contract, request: StatementRequest
) -> MonthlyStatement:
    """The holder's request as received and the MOE's état d'acompte (preparation)."""
    require_propose(access)
    rows = list(MonthlyStatement.objects.select_for_update().filter(contract=contract))
    if rows and request.month <= max(r.month for r in rows):
        raise OpenAMOError(
            "Un acompte porte sur un mois postérieur à celui de l'acompte précédent."
        )
    statement = MonthlyStatement(
        contract=contract, number=max((r.number for r in rows), default=0) + 1, proposed_by=user
    )
    audited_update(user, statement, columns(request), operation_id=access.operation.pk,
                   contract_id=contract.pk,  # refused by the domain → nothing saved
                   check=lambda: monthly_statements(statements_input(contract, rows, statement)))  # fmt: skip
    return statement


def live_statement(contract: Contract, statement_pk: int) -> MonthlyStatement:
    found = MonthlyStatement.objects.filter(pk=statement_pk, contract=contract).first()
    if found is None:
        raise Http404("Acompte introuvable.")
    return found


@transaction.atomic
def decide_statement(
    access: OperationAccess, user: Any, statement: MonthlyStatement, payment: StatementPayment
) -> MonthlyStatement:
    """The maître d'ouvrage orders the payment of the état d'acompte, then records it paid."""
    access.require_validate()
    statement = MonthlyStatement.objects.select_for_update().get(pk=statement.pk)
    if statement.accepted_cumulative_ht is None:
        raise OpenAMOError(
            "Le maître d'œuvre n'a pas encore établi l'état d'acompte : rien à ordonnancer."
        )
    if payment.decided_on < statement.received_by_moe_on:
        raise OpenAMOError("Le paiement ne peut être ordonné avant la réception de la demande.")
    if payment.paid_on and payment.paid_on < payment.decided_on:
        raise OpenAMOError("Le paiement ne peut précéder l'ordre de payer.")
    others = [r for r in statements_of(statement.contract) if r.pk != statement.pk]
    audited_update(user, statement, {**columns(payment), "decided_by": user},
                   operation_id=access.operation.pk, contract_id=statement.contract_id,
                   action=Action.DECIDE, check=lambda: monthly_statements(
                       statements_input(statement.contract, others, statement)))  # fmt: skip
    return statement


# Reception ------------------------------------------------------------------------------------

RECEPTION_DECISIONS = {
    "sans_reserve": ReceptionDecision.SANS_RESERVE,
    "avec_reserves": ReceptionDecision.AVEC_RESERVES,
    "refusee": ReceptionDecision.REFUS,
}


@dataclass
class ReceptionLine:
    reception: Reception
    reserves: list[Reserve]
    result: ReceptionResult | None
    error: str | None = None
    notice: CompletionNotice | None = None
    calendar: list[StepLine] = field(default_factory=list)

    @property
    def open_reserves(self) -> int:
        return sum(1 for reserve in self.reserves if reserve.lifted_on is None)


def reception_result(
    contract: Contract, reception: Reception, reserves: list[Reserve]
) -> ReceptionResult:
    """The contracts app's reception read by the CCAG calendar: the pre-acceptance inspection
    is the row's ``inspected_on``, the holder's completion notice this app's (without one the
    inspection stands for it, so the OPR deadline is not judged), the decision notified on
    ``decided_on``, the reserves' deadline the latest one fixed, lifted when every reserve is."""
    notice = completion_notice(reception)
    decision = RECEPTION_DECISIONS.get(reception.decision)
    lifted = [r.lifted_on for r in reserves]
    deadlines = [r.due_on for r in reserves if r.due_on]
    all_lifted = bool(reserves) and all(lifted)
    return reception_calendar(
        ReceptionInput(
            consultation_date=contract.consultation_on or contract.notified_on,
            completion_notice_on=notice.notice_on if notice else reception.inspected_on,
            announced_completion_on=notice.announced_completion_on if notice else None,
            opr_on=reception.inspected_on,
            decision=decision,
            decision_notified_on=reception.decided_on if decision else None,
            effective_on=reception.effective_on if decision else None,
            reserves_deadline_on=max(deadlines) if deadlines and decision else None,
            reserves_lifted_on=max(d for d in lifted if d)
            if all_lifted and decision is ReceptionDecision.AVEC_RESERVES
            else None,
            as_of=today(),
        )
    )


def completion_notice(reception: Reception) -> CompletionNotice | None:
    return CompletionNotice.objects.filter(reception=reception).first()


@transaction.atomic
def record_completion_notice(
    access: OperationAccess,
    user: Any,
    contract: Contract,
    reception: Reception,
    request: NoticeRequest,
) -> CompletionNotice:
    """The holder's notice of completion as received (CCAG-Travaux 2021, art. 41.1)."""
    require_propose(access)
    if request.notice_on > reception.inspected_on:
        raise OpenAMOError(
            "L'avis d'achèvement précède les opérations préalables à la réception "
            f"({reception.inspected_on:%d/%m/%Y}) : vérifiez la date."
        )
    notice = completion_notice(reception) or CompletionNotice(reception=reception)
    audited_update(user, notice, {**columns(request), "recorded_by": user},
                   operation_id=access.operation.pk, contract_id=contract.pk)  # fmt: skip
    return notice


def reception_lines(contract: Contract) -> list[ReceptionLine]:
    receptions = quality.receptions_of(contract)
    reserves = quality.reserves_of(receptions)
    lines = []
    for reception in receptions:
        mine = reserves.get(reception.pk, [])
        notice = completion_notice(reception)
        try:
            result = reception_result(contract, reception, mine)
        except OpenAMOError as exc:
            lines.append(ReceptionLine(reception, mine, None, exc.message, notice))
        else:
            lines.append(ReceptionLine(reception, mine, result, None, notice))
    return lines


def live_reception(contract: Contract, reception_pk: int) -> ReceptionLine:
    for line in reception_lines(contract):
        if line.reception.pk == reception_pk:
            return line
    raise Http404("Réception introuvable.")


# Delay penalties ------------------------------------------------------------------------------

PENALTY_DIVISOR = "pricing.penalties.diviseur_travaux"


@dataclass
class PenaltySummary:
    """The contract's delay penalties (entered and decided on the contract's page, computed by
    ``openamo.pricing.penalties``) and the CCAG-Travaux rule when the contract keeps it."""

    rows: list[Penalty]
    applied_ht: Decimal
    proposed_ht: Decimal
    clause: str
    daily_ht: Decimal | None
    rule: str
    reference: str


def penalty_summary(contract: Contract) -> PenaltySummary:
    rows = quality.penalties_of(contract)
    rules = law.at(contract.consultation_on or contract.notified_on)
    divisor = Decimal(str(rules.value(PENALTY_DIVISOR)))
    ccag = contract.penalty_clause in {"", PenaltyClause.CCAG_TRAVAUX.value}
    base = contract.initial_amount_ht + signed_amendments_ht(contract)
    daily = to_cents(base / divisor) if ccag else None
    rule = (
        f"Pénalité journalière de 1/{divisor:,.0f} du montant HT du marché avec ses avenants".replace(
            ",", "\u202f"
        )
        + f", soit {format_euros(daily)} HT par jour calendaire de retard sur le délai "
        "d'exécution fixé par ordre de service ; le titulaire présente ses observations avant "
        "qu'elle soit appliquée."
        if daily is not None
        else "Le marché fixe sa propre clause de pénalités de retard (voir la page du marché)."
    )
    return PenaltySummary(
        rows=rows,
        applied_ht=sum(
            (p.penalty_ht for p in rows if p.status == PenaltyStatus.VALIDEE), Decimal(0)
        ),
        proposed_ht=sum(
            (p.penalty_ht for p in rows if p.status == PenaltyStatus.PROPOSEE), Decimal(0)
        ),
        clause=contract.get_penalty_clause_display() or "CCAG-Travaux (par défaut)",
        daily_ht=daily,
        rule=rule,
        reference=rules.reference(PENALTY_DIVISOR)
        + " ; CCAG-Travaux 2021, art. 19.1.1 (jours calendaires) et 19.2.4 (procédure contradictoire)",
    )


# Amendments -----------------------------------------------------------------------------------

WORKS_SMALL_CHANGE = "amendments.faible_montant_travaux"


@dataclass
class AmendmentsSummary:
    total_ht: Decimal
    share_percent: Decimal
    small_change_limit: str
    reference: str


def amendments_summary(contract: Contract) -> AmendmentsSummary:
    """The amendments in force on a works contract against the small-change share for works
    (R2194-8): the amendments app checks each one; this page only shows where the total stands."""
    total = signed_amendments_ht(contract)
    rules = law.at(contract.notified_on)
    share = (total / contract.initial_amount_ht * 100).quantize(Decimal("0.1"))
    return AmendmentsSummary(
        total_ht=total,
        share_percent=share,
        small_change_limit=format_share(Decimal(str(rules.value(WORKS_SMALL_CHANGE)))),
        reference=rules.reference(WORKS_SMALL_CHANGE),
    )


# Subcontracting -------------------------------------------------------------------------------


@dataclass
class SubcontractorLine:
    subcontractor: Subcontractor
    result: SubcontractingResult | None
    error: str | None = None


def subcontractor_lines(contract: Contract) -> list[SubcontractorLine]:
    """The contract's accepted subcontractors and, from ``openamo.pricing``, whether each is
    paid directly by the buyer (from 600 € TTC, L2193-10) — entered on the contract's page."""
    lines = []
    for sub in live_subcontractors(contract):
        try:
            result = subcontracting(
                SubcontractingInput(
                    date=sub.accepted_on or contract.notified_on,
                    subcontract_amount_ttc=with_vat(sub.amount_ht, contract.vat_rate),
                    accepted=sub.accepted_on is not None,
                )
            )
        except OpenAMOError as exc:
            lines.append(SubcontractorLine(sub, None, exc.message))
        else:
            lines.append(SubcontractorLine(sub, result))
    return lines
