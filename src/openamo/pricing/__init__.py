"""Prices and payments in execution: revision and actualisation formulas, index series,
payment deadlines and late-payment interest, advances, retention money, framework orders and
penalties. Pure Python: every legal figure comes from ``openamo.law``.
"""

from openamo.pricing.indices import IndexSeriesResult, read_index_series
from openamo.pricing.models import PaymentInput, PaymentResult, RevisionInput, RevisionResult
from openamo.pricing.payment import late_payment, late_payment_from_dict
from openamo.pricing.revision import revise, revise_from_dict

__all__ = [
    "IndexSeriesResult",
    "PaymentInput",
    "PaymentResult",
    "RevisionInput",
    "RevisionResult",
    "late_payment",
    "late_payment_from_dict",
    "read_index_series",
    "revise",
    "revise_from_dict",
]
