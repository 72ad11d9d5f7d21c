"""Estimated value, procedure choice, publicity, minimum deadlines, lots and splitting warnings."""

from openamo.procurement.choice import (
    Decision,
    choose_procedure,
    choose_procedure_from_dict,
    decide,
)
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
    "Decision",
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
    "decide",
]
