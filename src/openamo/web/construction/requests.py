"""What people ask the construction pages to record, typed: the forms produce these
(``form.request()``), the services take them, and the ones the domain reads turn into its input
models (``to_domain``). Fields that fill a row's columns bear the columns' names
(:func:`columns`)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING

from openamo.construction.enums import (
    Buyer,
    Organisation,
    PhaseDecision,
    ReceptionDecision,
    WorkKind,
)
from openamo.construction.models import DgdInput, OrganisationInput, Programme
from openamo.pricing.enums import RetentionSubstitute
from openamo.validation import french_errors

if TYPE_CHECKING:
    from _typeshed import DataclassInstance
    from django.db.models import Model

    from openamo.web.audit.services import JSONValue
    from openamo.web.construction.models import FinalAccount


def columns(request: DataclassInstance) -> dict[str, object]:
    """The fields of ``request`` as the columns of the row it fills (an enum as its value)."""
    values: dict[str, object] = {}
    for item in fields(request):
        value = getattr(request, item.name)
        values[item.name] = value.value if isinstance(value, Enum) else value
    return values


def initial_of(row: Model | None, request: type[DataclassInstance]) -> dict[str, object] | None:
    """What a form shows before it is changed: the columns of ``row`` that ``request`` fills
    (None without a row yet)."""
    if row is None:
        return None
    return {item.name: getattr(row, item.name) for item in fields(request)}


@dataclass(frozen=True)
class ProjectStart:
    """The opening of the construction file: the nature of the works decides the mission."""

    work_kind: WorkKind
    complex_operation: bool = False


@dataclass(frozen=True)
class ProgrammeRequest:
    """The programme (L2421-2) in the domain's shape, with the nature of the works."""

    work_kind: WorkKind
    programme: Programme
    complex_operation: bool = False


@dataclass(frozen=True)
class EnvelopeDecision:
    """The first financial envelope, or a change of it (then with its reason and who decided:
    blank, the person recording it)."""

    date: datetime.date
    works_ht: Decimal
    total_ht: Decimal | None = None
    decided_by_label: str = ""
    reason: str = ""


@dataclass(frozen=True)
class MoeEstimates:
    """The figures of the MOE consultation, as the project's columns."""

    moe_fee_estimate_ht: Decimal
    studies_estimate_ht: Decimal | None = None
    jury_members: int | None = None


@dataclass(frozen=True)
class OrganisationAnswers:
    """What the maître d'ouvrage said of its means (stored with the project as JSON)."""

    in_house_skills: str
    wants_acts_in_its_name: bool = False
    complex_operation: bool = False

    @classmethod
    def from_stored(cls, answers: Mapping[str, JSONValue]) -> OrganisationAnswers | None:
        """The answers stored with a project (``Project.organisation_answers``); None before."""
        if not answers:
            return None
        return cls(
            in_house_skills=str(answers.get("in_house_skills", "")),
            wants_acts_in_its_name=bool(answers.get("wants_acts_in_its_name")),
            complex_operation=bool(answers.get("complex_operation")),
        )

    def stored(self) -> dict[str, JSONValue]:
        return {
            "in_house_skills": self.in_house_skills,
            "wants_acts_in_its_name": self.wants_acts_in_its_name,
            "complex_operation": self.complex_operation,
        }

    def to_domain(self, buyer: Buyer, day: datetime.date) -> OrganisationInput:
        with french_errors():
            return OrganisationInput(
                date=day,
                buyer=buyer,
                in_house_skills=self.in_house_skills,
                wants_acts_in_its_name=self.wants_acts_in_its_name,
                complex_operation=self.complex_operation,
            )


@dataclass(frozen=True)
class OrganisationDecision:
    """The answers and the organisation chosen (None: the one the domain recommends)."""

    answers: OrganisationAnswers
    choice: Organisation | None = None


@dataclass(frozen=True)
class PhaseProposal:
    """The MOE's dates and estimate on one element of its mission."""

    started_on: datetime.date | None = None
    submitted_on: datetime.date | None = None
    estimate_ht: Decimal | None = None


@dataclass(frozen=True)
class PhaseVerdict:
    """The maître d'ouvrage's decision on a phase submitted."""

    decision: PhaseDecision
    decided_on: datetime.date
    note: str = ""


@dataclass(frozen=True)
class FinalAccountDates:
    """The dates of the final account of one works contract (CCAG-Travaux 2021, art. 12), as
    the columns of :class:`~openamo.web.construction.models.FinalAccount`."""

    reception_notified_on: datetime.date
    reception_decision: ReceptionDecision
    reserves_lifted_on: datetime.date | None = None
    final_draft_received_by_moe_on: datetime.date | None = None
    final_draft_received_by_buyer_on: datetime.date | None = None
    general_account_notified_on: datetime.date | None = None
    contractor_returned_on: datetime.date | None = None
    contractor_reserves: bool = False
    claim_received_on: datetime.date | None = None
    tacit_draft_notified_on: datetime.date | None = None

    @classmethod
    def from_row(cls, account: FinalAccount) -> FinalAccountDates:
        return cls(
            reception_notified_on=account.reception_notified_on,
            reception_decision=ReceptionDecision(account.reception_decision),
            reserves_lifted_on=account.reserves_lifted_on,
            final_draft_received_by_moe_on=account.final_draft_received_by_moe_on,
            final_draft_received_by_buyer_on=account.final_draft_received_by_buyer_on,
            general_account_notified_on=account.general_account_notified_on,
            contractor_returned_on=account.contractor_returned_on,
            contractor_reserves=account.contractor_reserves,
            claim_received_on=account.claim_received_on,
            tacit_draft_notified_on=account.tacit_draft_notified_on,
        )

    def to_domain(self, consultation_date: datetime.date, as_of: datetime.date) -> DgdInput:
        """The domain's input; French :class:`~openamo.errors.OpenAMOError` if it refuses."""
        with french_errors():
            return DgdInput(
                consultation_date=consultation_date,
                as_of=as_of,
                reception_notified_on=self.reception_notified_on,
                reception_decision=self.reception_decision,
                reserves_lifted_on=self.reserves_lifted_on,
                final_draft_received_by_moe_on=self.final_draft_received_by_moe_on,
                final_draft_received_by_buyer_on=self.final_draft_received_by_buyer_on,
                general_account_notified_on=self.general_account_notified_on,
                contractor_returned_on=self.contractor_returned_on,
                contractor_reserves=self.contractor_reserves,
                claim_received_on=self.claim_received_on,
                tacit_draft_notified_on=self.tacit_draft_notified_on,
            )


@dataclass(frozen=True)
class ReservesReceived:
    """The holder's reserves on an ordre de service, as received (art. 3.8.2)."""

    received_on: datetime.date
    text: str


@dataclass(frozen=True)
class ReservesAnswer:
    """The maître d'ouvrage's answer to the holder's reserves."""

    answered_on: datetime.date
    answer: str


@dataclass(frozen=True)
class StatementRequest:
    """The holder's monthly request as received and the MOE's état d'acompte (if drawn)."""

    month: datetime.date
    received_by_moe_on: datetime.date
    claimed_cumulative_ht: Decimal
    accepted_cumulative_ht: Decimal | None = None
    note: str = ""


@dataclass(frozen=True)
class StatementPayment:
    """The order to pay an état d'acompte, then the payment."""

    decided_on: datetime.date
    paid_on: datetime.date | None = None


@dataclass(frozen=True)
class GuaranteeRequest:
    """The guarantee replacing the retention money (R2191-36)."""

    kind: RetentionSubstitute
    guarantor: str
    provided_on: datetime.date


@dataclass(frozen=True)
class NoticeRequest:
    """The holder's notice of completion (CCAG-Travaux 2021, art. 41.1)."""

    notice_on: datetime.date
    announced_completion_on: datetime.date | None = None


@dataclass(frozen=True)
class PossessionRequest:
    """The buyer taking possession of the works (CCAG-Travaux 2021, art. 41.8, 42.2)."""

    possession_on: datetime.date
    condition_survey_on: datetime.date | None = None
    urgency: str = ""
