"""API payloads: French field meanings, English snake_case names, amounts as "120000.00"."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Schema
from pydantic import ConfigDict, Field, StrictBool, ValidationInfo, field_validator

from openamo.procurement.enums import Nature
from openamo.validation import Amount, plausible_dates
from openamo.web.operations.kinds import OperationKind
from openamo.web.operations.models import ConsultationStatus, Stage
from openamo.web.operations.requests import (
    Circumstances,
    LotChanges,
    LotEntry,
    NeedEntry,
    OperationChanges,
    OperationEntry,
)
from openamo.web.organisations.models import OrganisationKind, Role


class In(Schema):
    """Every input refuses unknown fields, as the CLI JSON contract does, text that
    PostgreSQL cannot store and implausible dates, as the forms and the CLI do."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul_character(cls, value: object) -> object:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("le caractère nul (U+0000) n'est pas accepté dans un texte")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _plausible_dates(cls, value: object, info: ValidationInfo) -> object:
        return plausible_dates(cls, value, info)


class ErrorDetailOut(Schema):
    location: str
    message: str


class ErrorBody(Schema):
    code: str
    message: str
    details: list[ErrorDetailOut] = []


class ErrorOut(Schema):
    error: ErrorBody


class MembershipOut(Schema):
    organisation_id: int
    organisation: str
    kind: OrganisationKind
    role: Role


class MeOut(Schema):
    username: str
    full_name: str
    memberships: list[MembershipOut]


class OperationIn(In):
    organisation_id: int = Field(ge=1, le=2**62)
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=10000)
    kind: OperationKind = OperationKind.AUTRE
    stage: Stage = Stage.AMONT

    def to_input(self) -> OperationEntry:
        return OperationEntry(
            title=self.title, description=self.description, kind=self.kind, stage=self.stage
        )


class OperationPatch(In):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=10000)
    kind: OperationKind | None = None
    stage: Stage | None = None

    def changes(self) -> OperationChanges:
        return OperationChanges(
            title=self.title, description=self.description, kind=self.kind, stage=self.stage
        )


class OperationOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    title: str
    description: str
    kind: OperationKind
    stage: Stage
    consultation_status: ConsultationStatus | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class OperationPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[OperationOut]


class NeedIn(In):
    object: str = Field(default="", max_length=10000)
    nature: Nature
    estimated_amount_ht: Amount
    duration_months: int | None = Field(default=None, ge=1, le=600)
    renewals: int = Field(default=0, ge=0, le=50)
    renewal_duration_months: int | None = Field(default=None, ge=1, le=600)
    options_amount_ht: Amount = Decimal(0)
    social_and_specific_services: StrictBool = False
    constraints: str = Field(default="", max_length=10000)

    def to_input(self) -> NeedEntry:
        """The need; the accord-cadre columns are left as stored (the API does not ask)."""
        return NeedEntry(
            nature=self.nature,
            estimated_amount_ht=self.estimated_amount_ht,
            object=self.object,
            duration_months=self.duration_months,
            renewals=self.renewals,
            renewal_duration_months=self.renewal_duration_months,
            options_amount_ht=self.options_amount_ht,
            social_and_specific_services=self.social_and_specific_services,
            constraints=self.constraints,
        )


class NeedOut(Schema):
    object: str
    nature: Nature
    estimated_amount_ht: Amount
    duration_months: int | None
    renewals: int
    renewal_duration_months: int | None
    options_amount_ht: Amount
    social_and_specific_services: bool
    constraints: str


class LotIn(In):
    number: int | None = Field(default=None, ge=1, le=999)
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=10000)
    estimated_amount_ht: Amount

    def to_input(self) -> LotEntry:
        return LotEntry(
            name=self.name,
            estimated_amount_ht=self.estimated_amount_ht,
            number=self.number,
            description=self.description,
        )


class LotPatch(In):
    number: int | None = Field(default=None, ge=1, le=999)
    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=10000)
    estimated_amount_ht: Amount | None = None

    def changes(self) -> LotChanges:
        return LotChanges(
            number=self.number,
            name=self.name,
            description=self.description,
            estimated_amount_ht=self.estimated_amount_ht,
        )


class LotOut(Schema):
    id: int
    number: int
    name: str
    description: str
    estimated_amount_ht: Amount


class AnalyseIn(In):
    """Circumstances of the consultation; the need and lots are those stored."""

    date: datetime.date
    electronic_submission: StrictBool = True
    urgency: StrictBool = False
    prior_information_notice: StrictBool = False
    site_visit: StrictBool = False
    planned_response_days: int | None = Field(default=None, ge=0, le=365)

    def circumstances(self) -> Circumstances:
        return Circumstances(
            date=self.date,
            electronic_submission=self.electronic_submission,
            urgency=self.urgency,
            prior_information_notice=self.prior_information_notice,
            site_visit=self.site_visit,
            planned_response_days=self.planned_response_days,
        )


class ConsultationOut(Schema):
    status: ConsultationStatus
    procedure: str
    launch_date: datetime.date | None
    response_deadline: datetime.date | None
    analysed_at: datetime.datetime | None
    validated_at: datetime.datetime | None
    validated_by: str | None
    input: dict[str, object]
    result: dict[str, object]


class HistoryOut(Schema):
    created_at: datetime.datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    object_label: str
    before: dict[str, object] | None
    after: dict[str, object] | None
