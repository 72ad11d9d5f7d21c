"""What the user asks the domain to compute on a contract, typed: the forms produce these, the
services take them and the mappers turn them, with the contract's clauses, into the domain's
input models."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class RevisionRequest:
    """A price revision: its date, the index month (blank: the clause's), P0 and the price
    invoiced, to check the drift."""

    revised_on: datetime.date
    base_price_ht: Decimal
    current_period: str = ""
    invoiced_price_ht: Decimal | None = None
    price_decimals: int | None = None


@dataclass(frozen=True)
class PenaltyRequest:
    """A late execution: what was late, when it was due and done, the value late."""

    reason: str
    due_on: datetime.date
    delivered_on: datetime.date
    late_value_ht: Decimal | None = None
