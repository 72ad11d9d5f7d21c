"""The amendments of a works contract, against the small-change threshold."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from openamo import law
from openamo.errors import LawDataError
from openamo.money import format_share
from openamo.web.contracts.models import (
    Contract,
)
from openamo.web.contracts.services.contract import signed_amendments_ht

WORKS_SMALL_CHANGE = "amendments.faible_montant_travaux"
CUMULATED = "amendments.articles.cumul_faible_montant"


@dataclass
class AmendmentsSummary:
    total_ht: Decimal
    share_percent: Decimal
    small_change_limit: str
    reference: str
    cumulated_reference: str


def amendments_summary(contract: Contract) -> AmendmentsSummary:
    """The amendments in force on a works contract against the small-change share for works
    (R2194-8, 15 % of the initial amount, the successive ones cumulated by R2194-9): the
    amendments app checks each one; this page only shows where the total stands. The share is
    the one of the contract's regime, read at the launch of its consultation (else at its
    notification), as the amendments engine reads it."""
    total = signed_amendments_ht(contract)
    rules = law.at(contract.consultation_on or contract.notified_on)
    try:
        rules.value(WORKS_SMALL_CHANGE)
    except LawDataError:  # a consultation before the 2016 regime: read at the notification
        rules = law.at(contract.notified_on)
    share = (total / contract.initial_amount_ht * 100).quantize(Decimal("0.1"))
    return AmendmentsSummary(
        total_ht=total,
        share_percent=share,
        small_change_limit=format_share(Decimal(str(rules.value(WORKS_SMALL_CHANGE)))),
        reference=rules.reference(WORKS_SMALL_CHANGE),
        cumulated_reference=rules.reference(CUMULATED),
    )
