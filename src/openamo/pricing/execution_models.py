"""Inputs and outputs of advances, retention money, framework orders and penalties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import Field, StrictBool, model_validator

from openamo.pricing._decimals import DecimalOut, Percent
from openamo.pricing.enums import AdvanceBuyer, PenaltyClause
from openamo.validation import Amount, InputModel, OutputModel


class AdvanceInput(InputModel):
    consultation_date: dt.date
    buyer: AdvanceBuyer
    large_buyer: StrictBool = False
    sme: StrictBool = False
    initial_amount_ht: Amount
    initial_amount_ttc: Amount
    duration_months: int = Field(ge=1, le=600)
    contractual_rate_percent: Percent | None = None


class AdvanceResult(OutputModel):
    mandatory: bool
    minimum_rate_percent: DecimalOut
    base_ttc: Amount
    minimum_amount_ttc: Amount
    contractual_amount_ttc: Amount | None
    warnings: list[str]
    references: list[str]
    explanation: str


class RetentionInput(InputModel):
    consultation_date: dt.date
    buyer: AdvanceBuyer
    large_buyer: StrictBool = False
    sme: StrictBool = False
    initial_amount_ht: Amount
    modifications_amount_ht: Amount = Decimal(0)
    rate_percent: Percent


class RetentionResult(OutputModel):
    allowed: bool
    cap_percent: DecimalOut
    cap_amount_ht: Amount
    retention_ht: Amount
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
