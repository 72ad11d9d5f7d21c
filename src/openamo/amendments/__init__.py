"""Contract modifications (CCP L2194-1, R2194-1 … R2194-10): legal check, duties, lifecycle.

Pure Python: no Django, no I/O at import time. Every figure is read from the dated law
parameters (``law/parameters/amendments``, ``cgct``, ``procurement.thresholds``, ``opendata``).
"""

from openamo.amendments.decision import Decision, decide, decide_from_dict
from openamo.amendments.duties import attributed_by_cao
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
from openamo.amendments.history import AmendmentHistory, HistoryPoint, amendment_history
from openamo.amendments.lifecycle import (
    Action,
    Event,
    Lifecycle,
    Role,
    Stage,
    allowed_actions,
    apply,
    replay,
    start,
    step_index,
    steps,
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
    "Action",
    "AmendmentCheckInput",
    "AmendmentCheckResult",
    "AmendmentHistory",
    "Basis",
    "BasisCheck",
    "ContractInput",
    "ContractProcedure",
    "Decision",
    "Event",
    "HistoryPoint",
    "Lifecycle",
    "Limits",
    "ModificationForm",
    "ModificationInput",
    "ModificationKind",
    "PreviousModification",
    "PriceDriftAdvice",
    "PriceRoute",
    "Role",
    "Stage",
    "SubstantialCondition",
    "TransferCause",
    "Verdict",
    "allowed_actions",
    "amendment_history",
    "apply",
    "attributed_by_cao",
    "check_amendment",
    "check_amendment_from_dict",
    "decide",
    "decide_from_dict",
    "replay",
    "start",
    "step_index",
    "steps",
]
