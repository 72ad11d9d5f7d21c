"""Rows of a construction operation → the domain's inputs (typed, validated by the domain)."""

from __future__ import annotations

import datetime
from typing import Any

from openamo.construction.models import (
    DgdInput,
    MoeInput,
    OrganisationInput,
    PhasesInput,
)
from openamo.validation import parse_input
from openamo.web.construction.models import FinalAccount, PhaseReview, Project


def _phase(row: PhaseReview) -> dict[str, Any]:
    entry: dict[str, Any] = {"phase": row.phase}
    for name in ("started_on", "submitted_on", "estimate_ht", "decided_on"):
        value = getattr(row, name)
        if value is not None:
            entry[name] = value
    if row.decision:
        entry["decision"] = row.decision
        entry["decided_by"] = row.decided_by.get_full_name() if row.decided_by else None
    return entry


def phases_input(
    project: Project, phases: list[PhaseReview], changes: list[Any], day: datetime.date
) -> PhasesInput:
    assert project.envelope_works_ht is not None and project.envelope_set_on is not None
    data: dict[str, Any] = {
        "date": day,
        "work_kind": project.work_kind,
        "complex_operation": project.complex_operation,
        "envelope_works_ht": project.envelope_works_ht,
        "envelope_set_on": project.envelope_set_on,
        "envelope_changes": [
            {
                "date": c.date,
                "works_ht": c.works_ht,
                "decided_by": c.decided_by_label,
                "reason": c.reason,
            }
            for c in changes
        ],
        "phases": [_phase(row) for row in phases],
    }
    if project.programme:
        data["programme"] = project.programme
    if project.envelope_total_ht is not None:
        data["envelope_total_ht"] = project.envelope_total_ht
    return parse_input(PhasesInput, data)


def moe_input(project: Project, buyer: str, day: datetime.date) -> MoeInput:
    data: dict[str, Any] = {
        "date": day,
        "buyer": "etat" if buyer == "etat" else "collectivite",
        "work_kind": project.work_kind,
        "estimated_fee_ht": project.moe_fee_estimate_ht,
    }
    if project.studies_estimate_ht is not None:
        data["studies_estimate_ht"] = project.studies_estimate_ht
    if project.jury_members is not None:
        data["jury_members"] = project.jury_members
    return parse_input(MoeInput, data)


def organisation_input(project: Project, buyer: str, day: datetime.date) -> OrganisationInput:
    answers = {
        key: value
        for key, value in project.organisation_answers.items()
        if key in {"in_house_skills", "wants_acts_in_its_name", "complex_operation", "actors"}
    }
    return parse_input(
        OrganisationInput,
        {"date": day, "buyer": "etat" if buyer == "etat" else "collectivite", **answers},
    )


FINAL_ACCOUNT_FIELDS = [
    "reception_notified_on",
    "reception_decision",
    "reserves_lifted_on",
    "final_draft_received_by_moe_on",
    "final_draft_received_by_buyer_on",
    "general_account_notified_on",
    "contractor_returned_on",
    "contractor_reserves",
    "tacit_draft_notified_on",
]


def dgd_input(
    values: dict[str, Any], consultation_date: datetime.date, as_of: datetime.date
) -> DgdInput:
    data = {k: v for k, v in values.items() if k in FINAL_ACCOUNT_FIELDS and v not in (None, "")}
    return parse_input(DgdInput, {"consultation_date": consultation_date, "as_of": as_of, **data})


def final_account_values(account: FinalAccount) -> dict[str, Any]:
    return {name: getattr(account, name) for name in FINAL_ACCOUNT_FIELDS}
