"""The amendments of a works contract, against the small-change threshold."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from openamo import law
from openamo.money import format_share
from openamo.web.contracts.models import (
    Contract,
)
from openamo.web.contracts.services import signed_amendments_ht

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
