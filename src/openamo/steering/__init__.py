"""IT project steering for a public buyer: framing (ten questions), baseline, change requests and
scope creep, schedule slip, risk register, KPIs, and the Monte-Carlo cost of drift with and
without AMO. Pure Python and NumPy; figures that are not law live in ``steering/data/*.yaml``.
"""

from openamo.steering.baseline import Baseline, BaselineSummary, Feature, KpiTarget, Milestone
from openamo.steering.changes import ChangeRequest, ChangeSummary, alert_level, analyse_changes
from openamo.steering.enums import (
    AlertLevel,
    AnswerStatus,
    ChangeKind,
    ChangeValue,
    Decision,
    KpiDirection,
    KpiStatus,
    MilestoneKind,
    MilestoneStatus,
    Priority,
    RiskLevel,
    RiskStatus,
    SimulationMode,
)
from openamo.steering.framing import (
    FramingAnswers,
    FramingInput,
    FramingResult,
    ProjectInfo,
    assess_framing,
    assess_framing_from_dict,
)
from openamo.steering.kpis import Measurement, track_kpis
from openamo.steering.report import (
    SteeringInput,
    SteeringReport,
    steering_report,
    steering_report_from_dict,
)
from openamo.steering.risks import RiskEntry, RiskItem, build_register, prefilled_register
from openamo.steering.roi import RoiInput, RoiResult, compute_roi, roi_from_dict, simulate_costs
from openamo.steering.schedule import MilestoneProgress, analyse_schedule

__all__ = [
    "AlertLevel",
    "AnswerStatus",
    "Baseline",
    "BaselineSummary",
    "ChangeKind",
    "ChangeRequest",
    "ChangeSummary",
    "ChangeValue",
    "Decision",
    "Feature",
    "FramingAnswers",
    "FramingInput",
    "FramingResult",
    "KpiDirection",
    "KpiStatus",
    "KpiTarget",
    "Measurement",
    "Milestone",
    "MilestoneKind",
    "MilestoneProgress",
    "MilestoneStatus",
    "Priority",
    "ProjectInfo",
    "RiskEntry",
    "RiskItem",
    "RiskLevel",
    "RiskStatus",
    "RoiInput",
    "RoiResult",
    "SimulationMode",
    "SteeringInput",
    "SteeringReport",
    "alert_level",
    "analyse_changes",
    "analyse_schedule",
    "assess_framing",
    "assess_framing_from_dict",
    "build_register",
    "compute_roi",
    "prefilled_register",
    "roi_from_dict",
    "simulate_costs",
    "steering_report",
    "steering_report_from_dict",
    "track_kpis",
]
