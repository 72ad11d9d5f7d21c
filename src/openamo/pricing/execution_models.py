"""Inputs and outputs of advances, retention money, framework orders and penalties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import Field, StrictBool, model_validator

from openamo.pricing._decimals import DecimalOut, Percent
from openamo.pricing.enums import (
    AdvanceBuyer,
    DefenceSubcontractor,
    PenaltyClause,
    RetentionSubstitute,
)
from openamo.validation import Amount, InputModel, OutputModel


class AdvanceOrderInput(InputModel):
    """A purchase order of a framework agreement without a minimum (R2191-16)."""

    reference: str | None = Field(default=None, max_length=100)
    amount_ht: Amount
    amount_ttc: Amount
    duration_months: int = Field(ge=1, le=600)


class AdvanceFramework(InputModel):
    """An accord-cadre executed by purchase orders: its minimum, or its orders (R2191-16 ff.)."""

    minimum_ht: Amount | None = None
    minimum_ttc: Amount | None = None
    orders: list[AdvanceOrderInput] = Field(default_factory=list, max_length=10_000)

    @model_validator(mode="after")
    def _minimum_whole(self) -> AdvanceFramework:
        if (self.minimum_ht is None) != (self.minimum_ttc is None):
            raise ValueError("indiquez le minimum de l'accord-cadre en HT et en TTC")
        return self


class AdvanceInput(InputModel):
    consultation_date: dt.date
    buyer: AdvanceBuyer
    large_buyer: StrictBool = False
    operating_expenses_ht: Amount | None = None
    sme: StrictBool = False
    initial_amount_ht: Amount
    initial_amount_ttc: Amount
    duration_months: int = Field(ge=1, le=600)
    contractual_rate_percent: Percent | None = None
    framework: AdvanceFramework | None = None


class AdvanceOrderResult(OutputModel):
    reference: str | None
    amount_ht: Amount
    mandatory: bool
    base_ttc: Amount
    minimum_amount_ttc: Amount


class Repayment(OutputModel):
    """When the advance is repaid, in the silence of the contract (R2191-11, R2191-12)."""

    starts_at_percent: DecimalOut | None
    starts_with_first_payment: bool
    ends_at_percent: DecimalOut | None
    explanation: str


class AdvanceResult(OutputModel):
    mandatory: bool
    minimum_rate_percent: DecimalOut
    base_ttc: Amount
    minimum_amount_ttc: Amount
    contractual_amount_ttc: Amount | None
    large_buyer: bool = False
    basis: str = "montant_initial"
    orders: list[AdvanceOrderResult] = Field(default_factory=list)
    repayment: Repayment | None = None
    warnings: list[str]
    ambiguities: list[str] = Field(default_factory=list)
    references: list[str]
    explanation: str


class RetentionInput(InputModel):
    consultation_date: dt.date
    buyer: AdvanceBuyer
    large_buyer: StrictBool = False
    operating_expenses_ht: Amount | None = None
    sme: StrictBool = False
    initial_amount_ht: Amount
    modifications_amount_ht: Amount = Decimal(0)
    rate_percent: Percent
    substitute: RetentionSubstitute | None = None
    buyer_opposes_caution: StrictBool = False
    guarantee_period_ends_on: dt.date | None = None
    reserves_lifted_on: dt.date | None = None


class RetentionResult(OutputModel):
    allowed: bool
    cap_percent: DecimalOut
    cap_amount_ht: Amount
    retention_ht: Amount
    large_buyer: bool = False
    substitute: RetentionSubstitute | None = None
    substitute_allowed: bool | None = None
    release_on: dt.date | None = None
    substitute_release_on: dt.date | None = None
    """R2191-42: when the guarantor of the substitute is released (one month, not 30 days)."""
    warnings: list[str]
    ambiguities: list[str]
    references: list[str]
    explanation: str


class SubcontractingInput(InputModel):
    date: dt.date
    subcontract_amount_ttc: Amount
    accepted: StrictBool = True
    declaration_received_on: dt.date | None = None
    payment_request_received_on: dt.date | None = None
    defence_services: StrictBool = False
    """A contract of services, works or supplies with installation or services passed by the
    defence services, or a defence or security contract of that kind (R2193-10, R2393-33)."""
    contract_amount_ttc: Amount | None = None
    subcontractor: DefenceSubcontractor | None = None

    @model_validator(mode="after")
    def _defence(self) -> SubcontractingInput:
        if self.defence_services and (
            self.contract_amount_ttc is None or self.subcontractor is None
        ):
            raise ValueError(
                "un marché des services de la défense demande le montant total du marché TTC et "
                "la catégorie du sous-traitant (PME, entreprise liée au titulaire ou autre)"
            )
        if not self.defence_services and self.subcontractor is not None:
            raise ValueError(
                "la catégorie du sous-traitant ne compte que pour un marché des services de la "
                "défense"
            )
        amount = self.contract_amount_ttc
        if amount is not None and amount < self.subcontract_amount_ttc:
            raise ValueError("le sous-traité dépasse le montant total du marché")
        return self


class SubcontractingResult(OutputModel):
    direct_payment: bool
    threshold_ttc: Amount
    tacit_acceptance_on: dt.date | None
    holder_deadline_on: dt.date | None
    warnings: list[str]
    references: list[str]
    explanation: str


class Order(InputModel):
    reference: str | None = Field(default=None, max_length=100)
    date: dt.date
    amount_ht: Amount


class FrameworkInput(InputModel):
    minimum_ht: Amount | None = None
    maximum_ht: Amount | None = None
    orders: list[Order] = Field(default_factory=list, max_length=100_000)
    alert_ratio: Percent = Decimal(80)
    end_date: dt.date | None = None
    as_of: dt.date | None = None

    @model_validator(mode="after")
    def _min_below_max(self) -> FrameworkInput:
        low, high = self.minimum_ht, self.maximum_ht
        if low is not None and high is not None and low > high:
            raise ValueError("le minimum dépasse le maximum de l'accord-cadre")
        return self


class OrderCheck(OutputModel):
    reference: str | None
    date: dt.date
    amount_ht: Amount
    cumulative_ht: Amount
    exceeds_maximum: bool


class FrameworkResult(OutputModel):
    ordered_ht: Amount
    remaining_to_maximum_ht: Amount | None
    remaining_to_minimum_ht: Amount | None
    consumption_percent: str | None
    maximum_exceeded: bool
    alert: bool
    orders: list[OrderCheck]
    warnings: list[str]
    references: list[str]
    explanation: str


class PenaltyInput(InputModel):
    clause: PenaltyClause
    contract_amount_ht: Amount
    late_value_ht: Amount | None = None
    due_on: dt.date
    delivered_on: dt.date
    daily_amount_ht: Amount | None = None
    daily_rate_percent: Percent | None = None
    cap_percent: Percent | None = None
    exemption_ht: Amount | None = None
    previous_penalties_ht: Amount = Decimal(0)


class PenaltyResult(OutputModel):
    days_late: int
    computed_ht: Amount
    exempted: bool
    capped: bool
    penalty_ht: Amount
    formula: str
    warnings: list[str]
    references: list[str]
    explanation: str
