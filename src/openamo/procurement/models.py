"""Input and output of the procedure choice (CLI JSON contract ``amo procedure choose``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import Field, StrictBool, model_validator

from openamo.procurement.enums import (
    Buyer,
    Nature,
    ProcedureKind,
    Publicity,
    SocialConditionException,
)
from openamo.procurement.execution_conditions import ExecutionConditions
from openamo.procurement.framework import FrameworkAgreementInput, FrameworkVerdict
from openamo.validation import Amount, InputModel, OutputModel


class LotInput(InputModel):
    name: str = Field(min_length=1, max_length=200)
    estimated_amount_ht: Amount


class PastPurchase(InputModel):
    """A purchase already made for a need of the same family (to detect splitting and habits)."""

    date: date
    amount_ht: Amount
    supplier: str | None = Field(default=None, max_length=200)
    procedure: ProcedureKind | None = None


class ProcedureInput(InputModel):
    date: date
    buyer: Buyer
    nature: Nature
    estimated_amount_ht: Amount
    duration_months: int | None = Field(default=None, ge=1, le=600)
    lots: list[LotInput] | None = Field(default=None, max_length=500)
    social_and_specific_services: StrictBool = False
    # Optional refinements (additions to the contract, all defaulted):
    renewals: int = Field(default=0, ge=0, le=50)
    renewal_duration_months: int | None = Field(default=None, ge=1, le=600)
    options_amount_ht: Amount = Decimal(0)
    primes_amount_ht: Amount = Decimal(0)
    object: str | None = Field(default=None, max_length=500)
    electronic_submission: StrictBool = True
    urgency: StrictBool = False
    prior_information_notice: StrictBool = False
    site_visit: StrictBool = False
    planned_response_days: int | None = Field(default=None, ge=0, le=365)
    supplier: str | None = Field(default=None, max_length=200)
    previous_purchases: list[PastPurchase] = Field(default_factory=list, max_length=1000)
    social_condition_exception: SocialConditionException | None = None
    framework: FrameworkAgreementInput | None = None

    @model_validator(mode="after")
    def _renewals_need_a_duration(self) -> ProcedureInput:
        if self.renewals and self.duration_months is None:
            raise ValueError(
                "la durée de la période initiale (en mois) est nécessaire pour valoriser les "
                "reconductions (R2121-1)"
            )
        return self


class LotVerdict(OutputModel):
    name: str
    estimated_amount_ht: Amount
    procedure: ProcedureKind
    petit_lot: bool
    explanation: str


class ProcedureResult(OutputModel):
    date: date
    estimated_value_ht: Amount
    procedure: ProcedureKind
    allowed_procedures: list[str]
    conditional_procedures: list[dict[str, str]]
    publicity: Publicity
    dce_on_buyer_profile: bool
    min_response_days: int | None
    deadlines: dict[str, int]
    thresholds: dict[str, str]
    lots: list[LotVerdict]
    execution_conditions: ExecutionConditions
    framework: FrameworkVerdict | None = None
    warnings: list[str]
    ambiguities: list[str]
    references: list[str]
    explanation: str
