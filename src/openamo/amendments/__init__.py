"""Contract modifications (CCP L2194-1, R2194-1 … R2194-10): legal check, duties, lifecycle.

Pure Python: no Django, no I/O at import time. Every figure is read from the dated law
parameters (``law/parameters/amendments``, ``cgct``, ``procurement.thresholds``, ``opendata``).
"""

from openamo.amendments.enums import (
    Basis,
    ContractProcedure,
    ModificationForm,
    ModificationKind,
    PriceRoute,
    SubstantialCondition,
    TransferCause,
    Verdict,
)
from openamo.amendments.models import (
    AmendmentCheckInput,
    AmendmentCheckResult,
    BasisCheck,
    ContractInput,
    Limits,
    ModificationInput,
    PreviousModification,
    PriceDriftAdvice,
)
from openamo.amendments.verdict import check_amendment, check_amendment_from_dict

__all__ = [
    "AmendmentCheckInput",
    "AmendmentCheckResult",
    "Basis",
    "BasisCheck",
    "ContractInput",
    "ContractProcedure",
    "Limits",
    "ModificationForm",
    "ModificationInput",
    "ModificationKind",
    "PreviousModification",
    "PriceDriftAdvice",
    "PriceRoute",
    "SubstantialCondition",
    "TransferCause",
    "Verdict",
    "check_amendment",
    "check_amendment_from_dict",
]
