"""What the buyer asks the operation pages to record, typed: the forms produce these
(``form.to_input()``), the API builds them from its payloads, the demonstration data and the
other apps write them, and the services take them (nothing else: no dictionaries).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from openamo.procurement.enums import FrameworkExecution, FrameworkHolders, Nature
from openamo.procurement.framework import FrameworkAgreementInput
from openamo.procurement.models import ProcedureInput
from openamo.validation import french_errors
from openamo.web.audit.services import JSONValue
from openamo.web.operations.kinds import OperationKind
from openamo.web.operations.models import Need, Stage

Column = str | int | bool | Decimal | None
"""A value the services set on a column of a row."""


@dataclass(frozen=True)
class OperationEntry:
    """A new operation as typed on its form."""

    title: str
    description: str = ""
    kind: OperationKind = OperationKind.AUTRE
    stage: Stage = Stage.AMONT


@dataclass(frozen=True)
class OperationChanges:
    """What an edit changes on an operation (``None`` = left as it is)."""

    title: str | None = None
    description: str | None = None
    kind: OperationKind | None = None
    stage: Stage | None = None

    def values(self) -> dict[str, Column]:
        """The columns to set, by name."""
        found = {
            "title": self.title,
            "description": self.description,
            "kind": self.kind,
            "stage": self.stage,
        }
        return {name: value for name, value in found.items() if value is not None}


@dataclass(frozen=True)
class FrameworkTerms:
    """The accord-cadre columns of a need as typed (blank = the domain's default)."""

    execution: FrameworkExecution | None = None
    holders: FrameworkHolders | None = None
    holders_count: int | None = None
    minimum_ht: Decimal | None = None
    maximum_ht: Decimal | None = None
    maximum_quantity: str = ""
    duration_justification: str = ""

    @classmethod
    def of_need(cls, need: Need) -> FrameworkTerms:
        return cls(
            execution=FrameworkExecution(need.framework_execution)
            if need.framework_execution
            else None,
            holders=FrameworkHolders(need.framework_holders) if need.framework_holders else None,
            holders_count=need.framework_holders_count,
            minimum_ht=need.framework_minimum_ht,
            maximum_ht=need.framework_maximum_ht,
            maximum_quantity=need.framework_maximum_quantity,
            duration_justification=need.framework_duration_justification,
        )

    def columns(self) -> dict[str, Column]:
        """The need's ``framework_*`` columns (a blank choice stored blank, not NULL)."""
        return {
            "framework_execution": self.execution.value if self.execution else "",
            "framework_holders": self.holders.value if self.holders else "",
            "framework_holders_count": self.holders_count,
            "framework_minimum_ht": self.minimum_ht,
            "framework_maximum_ht": self.maximum_ht,
            "framework_maximum_quantity": self.maximum_quantity,
            "framework_duration_justification": self.duration_justification,
        }

    def to_domain(self, within: str = "") -> FrameworkAgreementInput:
        """The domain's ``framework`` input; a French :class:`OpenAMOError` located on the
        domain's field names (under ``within``) when the terms do not hold together."""
        given = {
            "execution": self.execution,
            "holders": self.holders,
            "holders_count": self.holders_count,
            "minimum_ht": self.minimum_ht,
            "maximum_ht": self.maximum_ht,
            "maximum_quantity": self.maximum_quantity or None,
            "duration_justification": self.duration_justification or None,
        }
        with french_errors(within):
            return FrameworkAgreementInput.model_validate(
                {key: value for key, value in given.items() if value is not None}
            )


@dataclass(frozen=True)
class NotAFramework:
    """The buyer said the need is not covered by an accord-cadre."""


NOT_A_FRAMEWORK = NotAFramework()


@dataclass(frozen=True)
class NeedEntry:
    """The need as typed on its form or the wizard.

    ``constraints=None``: left as stored (the wizard does not ask). ``framework=None``: the
    accord-cadre columns left as stored (the API and the demonstration do not describe them);
    else :data:`NOT_A_FRAMEWORK` or the accord-cadre's terms.
    """

    nature: Nature
    estimated_amount_ht: Decimal
    object: str = ""
    duration_months: int | None = None
    renewals: int = 0
    renewal_duration_months: int | None = None
    options_amount_ht: Decimal = Decimal(0)
    social_and_specific_services: bool = False
    constraints: str | None = None
    framework: FrameworkTerms | NotAFramework | None = None

    def columns(self) -> dict[str, Column]:
        """The need's columns this entry sets, by name."""
        found: dict[str, Column] = {
            "object": self.object,
            "nature": self.nature.value,
            "estimated_amount_ht": self.estimated_amount_ht,
            "duration_months": self.duration_months,
            "renewals": self.renewals,
            "renewal_duration_months": self.renewal_duration_months,
            "options_amount_ht": self.options_amount_ht,
            "social_and_specific_services": self.social_and_specific_services,
        }
        if self.constraints is not None:
            found["constraints"] = self.constraints
        if isinstance(self.framework, FrameworkTerms):
            found.update(is_framework=True, **self.framework.columns())
        elif isinstance(self.framework, NotAFramework):
            found.update(is_framework=False, **FrameworkTerms().columns())
        return found


@dataclass(frozen=True)
class LotEntry:
    """A new lot as typed on its form (no number = numbered after the last one)."""

    name: str
    estimated_amount_ht: Decimal
    number: int | None = None
    description: str = ""


@dataclass(frozen=True)
class LotChanges:
    """What an edit changes on a lot (``None`` = left as it is)."""

    number: int | None = None
    name: str | None = None
    description: str | None = None
    estimated_amount_ht: Decimal | None = None

    def values(self) -> dict[str, Column]:
        found = {
            "number": self.number,
            "name": self.name,
            "description": self.description,
            "estimated_amount_ht": self.estimated_amount_ht,
        }
        return {name: value for name, value in found.items() if value is not None}


@dataclass(frozen=True)
class Circumstances:
    """What the procedure wizard asks beyond the need: the circumstances of the consultation
    (``None`` = not said: the domain's default applies and the analysis does not show it).
    Stored with the consultation (``Consultation.answers``)."""

    date: datetime.date
    electronic_submission: bool | None = None
    urgency: bool | None = None
    prior_information_notice: bool | None = None
    site_visit: bool | None = None
    planned_response_days: int | None = None

    def given(self) -> dict[str, bool | int]:
        """The answers the buyer gave, by the domain's field names."""
        found = {
            "electronic_submission": self.electronic_submission,
            "urgency": self.urgency,
            "prior_information_notice": self.prior_information_notice,
            "site_visit": self.site_visit,
            "planned_response_days": self.planned_response_days,
        }
        return {key: value for key, value in found.items() if value is not None}

    def stored(self) -> dict[str, JSONValue]:
        """As ``Consultation.answers`` keeps them: the date in ISO form, then what was said."""
        return {"date": self.date.isoformat(), **self.given()}

    @classmethod
    def from_stored(cls, answers: Mapping[str, JSONValue]) -> Circumstances | None:
        """The answers stored with a consultation (``None`` when no date was given)."""
        day = answers.get("date")
        if not isinstance(day, str) or not day:
            return None
        return cls(
            date=datetime.date.fromisoformat(day),
            electronic_submission=_flag(answers.get("electronic_submission")),
            urgency=_flag(answers.get("urgency")),
            prior_information_notice=_flag(answers.get("prior_information_notice")),
            site_visit=_flag(answers.get("site_visit")),
            planned_response_days=_days(answers.get("planned_response_days")),
        )


def _flag(value: JSONValue) -> bool | None:
    return value if isinstance(value, bool) else None


def _days(value: JSONValue) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def stored_input(data: ProcedureInput) -> dict[str, JSONValue]:
    """The domain's input as ``Consultation.input`` keeps it: what was given, no blanks."""
    dumped: dict[str, JSONValue] = data.model_dump(mode="json", exclude_unset=True)
    return {key: value for key, value in dumped.items() if value is not None}
