"""A contract's amendment history as a series, against its legal limits (for the chart of the
cumulative percentage on the contract page and for reports)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openamo.amendments._context import net_cumulation, rules_for_contract
from openamo.amendments.enums import Basis
from openamo.amendments.models import ContractInput, Percent, PreviousModification
from openamo.money import percent
from openamo.procurement.enums import Buyer
from openamo.validation import Amount, OutputModel, SignedAmount


class HistoryPoint(OutputModel):
    number: int
    date: dt.date | None
    basis: Basis
    amount_ht: SignedAmount
    new_amount_ht: Amount
    cumulative_percent: Percent
    faible_montant_cumulative_percent: Percent


class AmendmentHistory(OutputModel):
    points: list[HistoryPoint]
    faible_montant_percent: Percent
    cao_percent: Percent
    cap_percent: Percent | None
    references: list[str]


def amendment_history(
    contract: ContractInput, modifications: list[PreviousModification], on: dt.date
) -> AmendmentHistory:
    """Cumulative percentages after each modification, and the limits in force on ``on``."""
    rules = rules_for_contract(contract, on)
    initial = contract.initial_amount_ht
    total = low_value = Decimal(0)
    points = []
    for number, modification in enumerate(modifications, start=1):
        total += modification.amount_ht
        if modification.basis is Basis.FAIBLE_MONTANT:
            low_value += modification.amount_ht
        points.append(
            HistoryPoint(
                number=number,
                date=modification.date,
                basis=modification.basis,
                amount_ht=modification.amount_ht,
                new_amount_ht=max(initial + total, Decimal(0)),
                cumulative_percent=percent(total, initial),
                faible_montant_cumulative_percent=percent(net_cumulation(low_value), initial),
            )
        )
    pouvoir_adjudicateur = contract.buyer is not Buyer.ENTITE_ADJUDICATRICE
    return AmendmentHistory(
        points=points,
        faible_montant_percent=rules.faible_montant_rate * 100,
        cao_percent=rules.cao_rate * 100,
        cap_percent=rules.cap_rate * 100 if pouvoir_adjudicateur else None,
        references=[
            rules.faible_montant_reference,
            rules.article("cumul_faible_montant"),
            rules.cap_reference,
            rules.cao_reference,
        ],
    )
