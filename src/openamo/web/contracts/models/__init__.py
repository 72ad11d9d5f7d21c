"""Contracts in execution: the signed marché, its holder and its financial frame, then what
happens while it runs (renewals, sub-contractors, prices, orders, invoices, quality).

A contract belongs to its buyer organisation; it usually comes from an operation (and one of
its lots) but may be entered directly for a contract signed before OpenAMO was used. The rules
(revision, payment deadlines, late interest, penalties, advance, retention, framework limits)
live in ``openamo.pricing``: these rows keep what the user entered and what the domain answered.

One module per family of pages (``contract``, ``subcontractors``, ``prices``, ``payments``,
``quality``); this package re-exports every model, as Django and the other apps import them
from ``openamo.web.contracts.models``.
"""

from __future__ import annotations

from openamo.web.contracts.models.contract import (
    PAYMENT_BUYER_CHOICES,
    PENALTY_CLAUSE_CHOICES,
    PENALTY_CLAUSE_LABELS,
    ROUNDING_CHOICES,
    Contract,
    ContractPart,
    ContractStatus,
    PriceForm,
    Renewal,
    RenewalDecision,
)
from openamo.web.contracts.models.payments import Invoice, Order
from openamo.web.contracts.models.prices import IndexSource, IndexValue, PriceRevision, RevisionTerm
from openamo.web.contracts.models.quality import (
    Evaluation,
    EvaluationStage,
    Penalty,
    PenaltyStatus,
    Reception,
    ReceptionDecision,
    Reserve,
    ServiceOrder,
    ServiceOrderKind,
)
from openamo.web.contracts.models.subcontractors import Subcontractor

__all__ = [
    "PAYMENT_BUYER_CHOICES",
    "PENALTY_CLAUSE_CHOICES",
    "PENALTY_CLAUSE_LABELS",
    "ROUNDING_CHOICES",
    "Contract",
    "ContractPart",
    "ContractStatus",
    "Evaluation",
    "EvaluationStage",
    "IndexSource",
    "IndexValue",
    "Invoice",
    "Order",
    "Penalty",
    "PenaltyStatus",
    "PriceForm",
    "PriceRevision",
    "Reception",
    "ReceptionDecision",
    "Renewal",
    "RenewalDecision",
    "Reserve",
    "RevisionTerm",
    "ServiceOrder",
    "ServiceOrderKind",
    "Subcontractor",
]
