"""What the user asks the domain to compute on a contract, typed: the forms produce these, the
services take them and the mappers turn them, with the contract's clauses, into the domain's
input models."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
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


# Quality in execution ------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceOrderDraft:
    """A service order as the AMO prepares it (numbered and issued later)."""

    kind: str
    subject: str
    description: str = ""
    effective_on: datetime.date | None = None


@dataclass(frozen=True)
class Issue:
    """The maître d'ouvrage signs and issues an order; the holder acknowledges it."""

    issued_on: datetime.date
    acknowledged_on: datetime.date | None = None


@dataclass(frozen=True)
class ReceptionDraft:
    """The inspection (opérations de vérification) a reception decision follows."""

    label: str
    inspected_on: datetime.date
    note: str = ""


@dataclass(frozen=True)
class ReserveEntry:
    """A reserve noted at the inspection, and when it is to be lifted."""

    description: str
    due_on: datetime.date | None = None


@dataclass(frozen=True)
class DecisionOnReception:
    """The decision on a reception (its date blank: today) and when it takes effect; a blank
    note keeps the inspection's."""

    decision: str
    decided_on: datetime.date | None = None
    effective_on: datetime.date | None = None
    note: str = ""


@dataclass(frozen=True)
class Lifting:
    """The lifting of a reserve, as the maître d'ouvrage notes it."""

    lifted_on: datetime.date
    lifting_note: str = ""


@dataclass(frozen=True)
class EvaluationEntry:
    """The holder's evaluation: when, at which milestone, a mark from 1 to 5 by criterion
    (criteria left unmarked are absent)."""

    stage: str
    milestone: str
    marks: dict[str, int] = field(default_factory=dict)
    evaluated_on: datetime.date | None = None
    comments: str = ""
