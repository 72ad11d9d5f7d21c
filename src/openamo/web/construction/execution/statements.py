"""Monthly statements: advance, retention guarantee, revision, proposed then decided."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.http import Http404

from openamo.construction import monthly_statements
from openamo.construction.models import (
    StatementEntry,
    StatementsInput,
    StatementsResult,
)
from openamo.errors import OpenAMOError
from openamo.pricing.advance import advance, retention
from openamo.pricing.enums import PaymentBuyer, RetentionSubstitute
from openamo.pricing.execution_models import (
    RetentionResult,
)
from openamo.web.audit.models import Action
from openamo.web.audit.services import audited_update
from openamo.web.construction.access import require_propose
from openamo.web.construction.execution.reception import (
    ReceptionLine,
)
from openamo.web.construction.models import (
    MonthlyStatement,
    RetentionGuarantee,
)
from openamo.web.construction.requests import (
    GuaranteeRequest,
    StatementPayment,
    StatementRequest,
    columns,
)
from openamo.web.construction.services import today
from openamo.web.contracts.mappers import advance_input, retention_input
from openamo.web.contracts.models import (
    Contract,
    PriceRevision,
)
from openamo.web.contracts.services.contract import signed_amendments_ht
from openamo.web.operations.access import OperationAccess
from openamo.web.users import AuthenticatedUser


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
    access: OperationAccess, user: AuthenticatedUser, contract: Contract, request: GuaranteeRequest
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
    access: OperationAccess, user: AuthenticatedUser, contract: Contract, request: StatementRequest
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
    access: OperationAccess,
    user: AuthenticatedUser,
    statement: MonthlyStatement,
    payment: StatementPayment,
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
