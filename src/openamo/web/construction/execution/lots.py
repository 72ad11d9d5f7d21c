"""The live lots of the operation, each with its works contracts, and the allotment's review."""

from __future__ import annotations

from dataclasses import dataclass, field

from openamo.construction.lots import AllotmentReview, review_allotment
from openamo.web.construction.services import works_contracts
from openamo.web.contracts.models import (
    Contract,
)
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
