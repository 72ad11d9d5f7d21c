"""Estimated value, procedure choice, publicity, minimum deadlines, lots and splitting warnings."""

from openamo.procurement.choice import choose_procedure, choose_procedure_from_dict
from openamo.procurement.enums import Buyer, Nature, ProcedureKind, Publicity
from openamo.procurement.models import (
    LotInput,
    LotVerdict,
    PastPurchase,
    ProcedureInput,
    ProcedureResult,
)

__all__ = [
    "Buyer",
    "LotInput",
    "LotVerdict",
    "Nature",
    "PastPurchase",
    "ProcedureInput",
    "ProcedureKind",
    "ProcedureResult",
    "Publicity",
    "choose_procedure",
    "choose_procedure_from_dict",
]
