"""Rows of a construction operation → the domain's inputs (typed, validated by the domain).

What people type reaches the domain through ``openamo.web.construction.requests``; the inputs
here are read from the stored rows. A value the domain refuses raises one French
:class:`~openamo.errors.OpenAMOError`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from openamo.construction.enums import Buyer, Phase, PhaseDecision, WorkKind
from openamo.construction.models import (
    EnvelopeChange as EnvelopeChangeInput,
)
from openamo.construction.models import (
    MoeInput,
    OrganisationInput,
    PhaseEntry,
    PhasesInput,
    Programme,
)
from openamo.validation import french_errors, parse_input
from openamo.web.construction.models import EnvelopeChange, PhaseReview, Project
from openamo.web.construction.requests import OrganisationAnswers


def buyer_of(category: str) -> Buyer:
    """The construction domain's buyer from the organisation's category (« etat » or else)."""
    return Buyer.ETAT if category == "etat" else Buyer.COLLECTIVITE


def phase_entry(row: PhaseReview) -> PhaseEntry:
    decided = bool(row.decision)
    return PhaseEntry(
        phase=Phase(row.phase),
        started_on=row.started_on,
        submitted_on=row.submitted_on,
        estimate_ht=row.estimate_ht,
        decided_on=row.decided_on,
        decision=PhaseDecision(row.decision) if decided else None,
        decided_by=row.decided_by.get_full_name() if decided and row.decided_by else None,
    )


def phases_input(
    project: Project,
    phases: Iterable[PhaseReview],
    changes: Iterable[EnvelopeChange],
    day: datetime.date,
) -> PhasesInput:
    assert project.envelope_works_ht is not None and project.envelope_set_on is not None
    programme = parse_input(Programme, project.programme) if project.programme else None
    with french_errors():
        return PhasesInput(
            date=day,
            work_kind=WorkKind(project.work_kind),
            complex_operation=project.complex_operation,
            programme=programme,
            envelope_works_ht=project.envelope_works_ht,
            envelope_total_ht=project.envelope_total_ht,
            envelope_set_on=project.envelope_set_on,
            envelope_changes=[
                EnvelopeChangeInput(
                    date=c.date, works_ht=c.works_ht, decided_by=c.decided_by_label, reason=c.reason
                )
                for c in changes
            ],
            phases=[phase_entry(row) for row in phases],
        )


def moe_input(project: Project, buyer: str, day: datetime.date) -> MoeInput:
    assert project.moe_fee_estimate_ht is not None
    with french_errors():
        return MoeInput(
            date=day,
            buyer=buyer_of(buyer),
            work_kind=WorkKind(project.work_kind),
            estimated_fee_ht=project.moe_fee_estimate_ht,
            studies_estimate_ht=project.studies_estimate_ht,
            jury_members=project.jury_members,
        )


def organisation_input(project: Project, buyer: str, day: datetime.date) -> OrganisationInput:
    """The stored answers (``Project.organisation_answers``) as the domain's input."""
    answers = OrganisationAnswers.from_stored(project.organisation_answers)
    assert answers is not None
    return answers.to_domain(buyer_of(buyer), day)
