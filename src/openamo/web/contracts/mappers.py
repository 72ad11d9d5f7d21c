"""Rows → the domain's input (the JSON contract of ``openamo.pricing``), nothing more.

Amounts travel as strings of decimal euros and dates as ISO strings, exactly as the CLI reads
them, so what is stored with a result can be replayed with ``amo prix revision`` or
``amo paiement retard``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from openamo.money import format_amount, with_vat
from openamo.pricing import term
from openamo.pricing.enums import AdvanceBuyer, PaymentBuyer
from openamo.web.contracts.models import (
    Contract,
    IndexValue,
    Invoice,
    Order,
    PriceForm,
    Renewal,
    RenewalDecision,
    RevisionTerm,
)

ADVANCE_BUYERS = {
    PaymentBuyer.ETAT.value: AdvanceBuyer.ETAT.value,
    PaymentBuyer.SERVICE_SANTE_ARMEES.value: AdvanceBuyer.ETAT.value,
    PaymentBuyer.COLLECTIVITE.value: AdvanceBuyer.COLLECTIVITE.value,
}
"""The advance and retention categories (R2191-7, R2191-33) from the payment category; the
others (public hospitals, public companies, other public bodies) follow the general rule."""


def format_decimal(value: Decimal) -> str:
    """Shortest plain notation (« 1.085 », never an exponent), as the domain writes decimals."""
    text = f"{value.normalize():f}"
    return "0" if text in {"-0", ""} else text


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else format_decimal(value)


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else format_amount(value)


def _iso(day: datetime.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _present(data: dict[str, Any]) -> dict[str, Any]:
    """Unknown fields are an error for the domain, absent ones take its defaults: drop None."""
    return {key: value for key, value in data.items() if value is not None}


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
    periods = term.renewal_periods(
        execution_start(contract),
        contract.duration_months,
        contract.renewals,
        contract.renewal_duration_months,
    )
    return periods[-1].ends_on if periods else initial_end(contract)


def outside_contract(contract: Contract, day: datetime.date, what: str) -> str | None:
    """Why ``what`` dated ``day`` cannot belong to ``contract`` (French), or None: before its
    notification, or after its last possible day."""
    if day < contract.notified_on:
        return (
            f"{what} est daté du {day:%d/%m/%Y}, avant la notification du marché "
            f"({contract.notified_on:%d/%m/%Y}) : vérifiez la date ou le marché."
        )
    last = last_possible_day(contract)
    if last is not None and day > last:
        return (
            f"{what} est daté du {day:%d/%m/%Y}, après la fin du marché, reconductions "
            f"comprises ({last:%d/%m/%Y}) : vérifiez la date ou le marché."
        )
    return None


def series_values(values: Iterable[IndexValue]) -> dict[str, dict[str, str]]:
    series: dict[str, dict[str, str]] = {}
    for value in values:
        series.setdefault(value.series, {})[value.period] = format_decimal(value.value)
    return series


def revision_input(
    contract: Contract,
    terms: list[RevisionTerm],
    values: Iterable[IndexValue],
    answers: dict[str, Any],
) -> dict[str, Any]:
    """``amo prix revision`` input: the contract's clause, its index series and the request
    (``revised_on``, ``current_period``, ``base_price_ht``, ``invoiced_price_ht``, ``price_decimals``)."""
    used = {term.index_name for term in terms}
    series = {name: s for name, s in series_values(values).items() if name in used}
    actualisation = contract.price_form == PriceForm.ACTUALISABLE
    data: dict[str, Any] = {
        "base_price_ht": _decimal(answers["base_price_ht"]),
        "fixed_part": _decimal(contract.fixed_part),
        "terms": [
            {
                "weight": format_decimal(term.weight),
                "index": term.index_name,
                "base_period": term.base_period,
                "current_period": answers["current_period"],
            }
            for term in terms
        ],
        "kind": "actualisation" if actualisation else "revision",
        "coefficient_decimals": contract.coefficient_decimals,
        "coefficient_rounding": contract.coefficient_rounding,
        "price_decimals": answers.get("price_decimals"),
        "series": series,
        "invoiced_price_ht": _decimal(answers.get("invoiced_price_ht")),
        "drift_tolerance_ht": _amount(contract.drift_tolerance_ht),
        "safeguard_percent": _decimal(contract.safeguard_percent),
        "date": _iso(answers.get("revised_on")),
    }
    if actualisation:
        data.update(
            nature=contract.nature,
            standard_supplies=contract.standard_supplies,
            price_date=_iso(contract.price_date),
            execution_start=_iso(execution_start(contract)),
        )
    return _present(data)


def payment_input(
    contract: Contract, invoice: Invoice, as_of: datetime.date | None = None
) -> dict[str, Any]:
    """``amo paiement retard`` input. The suspension the user records is, in law, an
    interruption of the period (R2192-27 since decree 2013-269): it is sent as such."""
    interruption = None
    if invoice.suspended_on and invoice.documents_received_on:
        interruption = {
            "notified_on": invoice.suspended_on.isoformat(),
            "documents_received_on": invoice.documents_received_on.isoformat(),
        }
    return _present(
        {
            "buyer": contract.payment_buyer,
            "invoice_received_on": invoice.received_on.isoformat(),
            "paid_on": _iso(invoice.paid_on),
            "amount_ttc": format_amount(invoice.amount_ttc),
            "ecb_rate_percent": _decimal(invoice.ecb_rate_percent),
            "contractual_days": contract.payment_days,
            "interruption": interruption,
            "as_of": None if invoice.paid_on else _iso(as_of),
        }
    )


def framework_input(
    contract: Contract,
    orders: Iterable[Order],
    end_date: datetime.date | None,
    as_of: datetime.date,
) -> dict[str, Any]:
    return _present(
        {
            "minimum_ht": _amount(contract.minimum_amount_ht),
            "maximum_ht": _amount(contract.maximum_amount_ht),
            "orders": [
                {
                    "reference": order.reference,
                    "date": order.issued_on.isoformat(),
                    "amount_ht": format_amount(order.amount_ht),
                }
                for order in orders
            ],
            "end_date": _iso(end_date),
            "as_of": as_of.isoformat(),
        }
    )


def penalty_input(
    contract: Contract, answers: dict[str, Any], previous_ht: Decimal
) -> dict[str, Any]:
    return _present(
        {
            "clause": contract.penalty_clause or None,
            "contract_amount_ht": format_amount(contract.initial_amount_ht),
            "late_value_ht": _amount(answers.get("late_value_ht")),
            "due_on": answers["due_on"].isoformat(),
            "delivered_on": answers["delivered_on"].isoformat(),
            "daily_amount_ht": _amount(contract.penalty_daily_amount_ht),
            "daily_rate_percent": _decimal(contract.penalty_daily_rate_percent),
            "cap_percent": _decimal(contract.penalty_cap_percent),
            "exemption_ht": _amount(contract.penalty_exemption_ht),
            "previous_penalties_ht": format_amount(previous_ht),
        }
    )


def advance_input(contract: Contract) -> dict[str, Any]:
    return _present(
        {
            "consultation_date": (contract.consultation_on or contract.notified_on).isoformat(),
            "buyer": ADVANCE_BUYERS.get(contract.payment_buyer, AdvanceBuyer.AUTRE.value),
            "large_buyer": contract.large_buyer,
            "sme": contract.holder_is_sme,
            "initial_amount_ht": format_amount(contract.initial_amount_ht),
            "initial_amount_ttc": format_amount(
                with_vat(contract.initial_amount_ht, contract.vat_rate)
            ),
            "duration_months": contract.duration_months,
            "contractual_rate_percent": _decimal(contract.advance_rate_percent),
        }
    )


def retention_input(contract: Contract, modifications_ht: Decimal) -> dict[str, Any]:
    return _present(
        {
            "consultation_date": (contract.consultation_on or contract.notified_on).isoformat(),
            "buyer": ADVANCE_BUYERS.get(contract.payment_buyer, AdvanceBuyer.AUTRE.value),
            "large_buyer": contract.large_buyer,
            "sme": contract.holder_is_sme,
            "initial_amount_ht": format_amount(contract.initial_amount_ht),
            "modifications_amount_ht": format_amount(modifications_ht),
            "rate_percent": _decimal(contract.retention_rate_percent),
        }
    )
