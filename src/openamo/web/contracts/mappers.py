"""Rows → the domain's typed input (``openamo.pricing``'s input models), nothing more.

What is stored with a result is that input as the CLI reads it (``model_dump``), so that it
can be replayed with ``amo prix revision`` or ``amo paiement retard``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import fields
from decimal import Decimal

from pydantic import BaseModel

from openamo.money import with_vat
from openamo.pricing import term
from openamo.pricing.enums import (
    AdvanceBuyer,
    ContractNature,
    PaymentBuyer,
    PenaltyClause,
    RevisionKind,
    Rounding,
)
from openamo.pricing.execution_models import (
    AdvanceInput,
    FrameworkInput,
    PenaltyInput,
    RetentionInput,
)
from openamo.pricing.execution_models import Order as OrderInput
from openamo.pricing.models import Interruption, PaymentInput, RevisionInput, RevisionTerm
from openamo.web.audit.services import JSONValue
from openamo.web.contracts.models import (
    Contract,
    IndexValue,
    Invoice,
    Order,
    PriceForm,
    Renewal,
    RenewalDecision,
)
from openamo.web.contracts.models import (
    RevisionTerm as StoredTerm,
)
from openamo.web.contracts.requests import ContractEntry, PenaltyRequest, RevisionRequest


def contract_entry(contract: Contract) -> ContractEntry:
    """The stored sheet as the typed entry its form gives (to change one clause of it)."""
    return ContractEntry(**{f.name: getattr(contract, f.name) for f in fields(ContractEntry)})


def stored_input(data: BaseModel) -> dict[str, JSONValue]:
    """The domain input as stored with its result: the CLI's JSON, absent fields left out."""
    return data.model_dump(mode="json", exclude_none=True)


ADVANCE_BUYERS = {
    PaymentBuyer.ETAT.value: AdvanceBuyer.ETAT,
    PaymentBuyer.SERVICE_SANTE_ARMEES.value: AdvanceBuyer.ETAT,
    PaymentBuyer.COLLECTIVITE.value: AdvanceBuyer.COLLECTIVITE,
}
"""The advance and retention categories (R2191-7, R2191-33) from the payment category; the
others (public hospitals, public companies, other public bodies) follow the general rule."""


def execution_start(contract: Contract) -> datetime.date:
    return contract.start_on or contract.notified_on


def initial_end(contract: Contract) -> datetime.date | None:
    """Last day of the initial period, when its duration is known."""
    return term.initial_end(execution_start(contract), contract.duration_months)


def renewal_decisions(renewals: Iterable[Renewal]) -> list[tuple[bool | None, datetime.date]]:
    """The renewals in order as ``openamo.pricing.term.bound_until`` reads them."""
    decided: dict[str, bool] = {
        RenewalDecision.RECONDUIT: True,
        RenewalDecision.NON_RECONDUIT: False,
    }
    return [(decided.get(r.decision), r.ends_on) for r in sorted(renewals, key=lambda r: r.number)]


def last_possible_day(contract: Contract) -> datetime.date | None:
    """The last day the contract may run, every renewal taken, when its duration is known."""
    return term.last_possible_day(
        execution_start(contract),
        contract.duration_months,
        contract.renewals,
        contract.renewal_duration_months,
    )


def outside_contract(contract: Contract, day: datetime.date, what: str) -> str | None:
    """Why ``what`` dated ``day`` cannot belong to ``contract`` (French), or None (domain)."""
    return term.outside_term(day, contract.notified_on, last_possible_day(contract), what)


def series_values(values: Iterable[IndexValue]) -> dict[str, dict[str, Decimal]]:
    series: dict[str, dict[str, Decimal]] = {}
    for value in values:
        series.setdefault(value.series, {})[value.period] = value.value
    return series


def revision_input(
    contract: Contract,
    terms: list[StoredTerm],
    values: Iterable[IndexValue],
    asked: RevisionRequest,
) -> RevisionInput:
    """``amo prix revision`` input: the contract's clause, its index series and the request
    (``revised_on``, ``current_period``, ``base_price_ht``, ``invoiced_price_ht``, ``price_decimals``)."""
    used = {stored.index_name for stored in terms}
    series = {name: s for name, s in series_values(values).items() if name in used}
    actualisation = contract.price_form == PriceForm.ACTUALISABLE
    decimals = asked.price_decimals
    return RevisionInput(
        base_price_ht=asked.base_price_ht,
        fixed_part=contract.fixed_part,
        terms=[
            RevisionTerm(
                weight=stored.weight,
                index=stored.index_name,
                base_period=stored.base_period,
                current_period=asked.current_period,
            )
            for stored in terms
        ],
        kind=RevisionKind.ACTUALISATION if actualisation else RevisionKind.REVISION,
        coefficient_decimals=contract.coefficient_decimals,
        coefficient_rounding=Rounding(contract.coefficient_rounding),
        price_decimals=RevisionInput.model_fields["price_decimals"].default
        if decimals is None
        else decimals,
        series=series,
        invoiced_price_ht=asked.invoiced_price_ht,
        drift_tolerance_ht=contract.drift_tolerance_ht,
        safeguard_percent=contract.safeguard_percent,
        date=asked.revised_on,
        nature=ContractNature(contract.nature) if actualisation and contract.nature else None,
        standard_supplies=contract.standard_supplies if actualisation else None,
        price_date=contract.price_date if actualisation else None,
        execution_start=execution_start(contract) if actualisation else None,
    )


def payment_input(
    contract: Contract, invoice: Invoice, as_of: datetime.date | None = None
) -> PaymentInput:
    """``amo paiement retard`` input. The suspension the user records is, in law, an
    interruption of the period (R2192-27 since decree 2013-269): it is sent as such."""
    interruption = None
    if invoice.suspended_on and invoice.documents_received_on:
        interruption = Interruption(
            notified_on=invoice.suspended_on, documents_received_on=invoice.documents_received_on
        )
    return PaymentInput(
        buyer=PaymentBuyer(contract.payment_buyer),
        invoice_received_on=invoice.received_on,
        paid_on=invoice.paid_on,
        amount_ttc=invoice.amount_ttc,
        ecb_rate_percent=invoice.ecb_rate_percent,
        contractual_days=contract.payment_days,
        interruption=interruption,
        as_of=None if invoice.paid_on else as_of,
    )


def framework_input(
    contract: Contract,
    orders: Iterable[Order],
    end_date: datetime.date | None,
    as_of: datetime.date,
) -> FrameworkInput:
    return FrameworkInput(
        minimum_ht=contract.minimum_amount_ht,
        maximum_ht=contract.maximum_amount_ht,
        orders=[
            OrderInput(reference=order.reference, date=order.issued_on, amount_ht=order.amount_ht)
            for order in orders
        ],
        end_date=end_date,
        as_of=as_of,
    )


def penalty_input(contract: Contract, asked: PenaltyRequest, previous_ht: Decimal) -> PenaltyInput:
    return PenaltyInput(
        clause=PenaltyClause(contract.penalty_clause),
        contract_amount_ht=contract.initial_amount_ht,
        late_value_ht=asked.late_value_ht,
        due_on=asked.due_on,
        delivered_on=asked.delivered_on,
        daily_amount_ht=contract.penalty_daily_amount_ht,
        daily_rate_percent=contract.penalty_daily_rate_percent,
        cap_percent=contract.penalty_cap_percent,
        exemption_ht=contract.penalty_exemption_ht,
        previous_penalties_ht=previous_ht,
    )


def _advance_buyer(contract: Contract) -> AdvanceBuyer:
    return ADVANCE_BUYERS.get(contract.payment_buyer, AdvanceBuyer.AUTRE)


def advance_input(contract: Contract) -> AdvanceInput:
    return AdvanceInput(
        consultation_date=contract.consultation_on or contract.notified_on,
        buyer=_advance_buyer(contract),
        large_buyer=contract.large_buyer,
        sme=contract.holder_is_sme,
        initial_amount_ht=contract.initial_amount_ht,
        initial_amount_ttc=with_vat(contract.initial_amount_ht, contract.vat_rate),
        duration_months=contract.duration_months,
        contractual_rate_percent=contract.advance_rate_percent,
    )


def retention_input(contract: Contract, modifications_ht: Decimal) -> RetentionInput:
    return RetentionInput(
        consultation_date=contract.consultation_on or contract.notified_on,
        buyer=_advance_buyer(contract),
        large_buyer=contract.large_buyer,
        sme=contract.holder_is_sme,
        initial_amount_ht=contract.initial_amount_ht,
        modifications_amount_ht=modifications_ht,
        rate_percent=contract.retention_rate_percent,
    )
