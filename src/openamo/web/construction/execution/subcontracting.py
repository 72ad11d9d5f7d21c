"""The subcontractors of a works contract and their direct payment."""

from __future__ import annotations

from dataclasses import dataclass

from openamo.errors import OpenAMOError
from openamo.money import with_vat
from openamo.pricing.execution_models import (
    SubcontractingInput,
    SubcontractingResult,
)
from openamo.pricing.subcontracting import subcontracting
from openamo.web.contracts.models import (
    Contract,
    Subcontractor,
)
from openamo.web.contracts.services.subcontractors import live_subcontractors


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
