"""Inputs and outputs of the EGAlim ratios (CLI contract ``amo egalim ratios`` and ``import``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, StrictBool, field_validator, model_validator

from openamo.catering.enums import LEGACY_LABELS, CateringBuyer, Family, Label, Territory
from openamo.validation import MAX_AMOUNT, Amount, InputModel, OutputModel, PastDate


def _code(value: Any) -> Any:
    """ma cantine writes codes in capitals (``LABEL_ROUGE``); the contract uses lowercase."""
    return value.strip().lower() if isinstance(value, str) else value


class Period(InputModel):
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError("la fin de la période précède son début")
        return self


class PurchaseInput(InputModel):
    family: Family
    amount_ht: Amount
    labels: list[Label] = Field(default_factory=list, max_length=20)
    is_meat_or_fish: StrictBool | None = None
    date: PastDate | None = None
    description: str | None = Field(default=None, max_length=500)

    @field_validator("family", mode="before")
    @classmethod
    def _family_code(cls, value: Any) -> Any:
        return _code(value)

    @field_validator("labels", mode="before")
    @classmethod
    def _label_codes(cls, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        codes = [_code(v) for v in value]
        return [LEGACY_LABELS[c].value if c in LEGACY_LABELS else c for c in codes]


class RatiosInput(InputModel):
    period: Period
    purchases: list[PurchaseInput] = Field(max_length=500_000)
    buyer: CateringBuyer = CateringBuyer.AUTRE
    territory: Territory = Territory.METROPOLE


class Compliance(OutputModel):
    quality_50: bool
    organic_20: bool
    meat_fish_60: bool


class FamilyTotals(OutputModel):
    total_ht: Amount
    quality_sustainable_ht: Amount
    organic_ht: Amount


class RatiosResult(OutputModel):
    period: Period
    purchases: int
    total_ht: Amount
    quality_sustainable_ht: Amount
    organic_ht: Amount
    meat_fish_ht: Amount
    meat_fish_quality_ht: Amount
    quality_sustainable_share: str
    organic_share: str
    meat_fish_quality_share: str
    quality_sustainable_percent: str
    organic_percent: str
    meat_fish_quality_percent: str
    targets: dict[str, str]
    buyer: CateringBuyer = CateringBuyer.AUTRE
    territory: Territory = Territory.METROPOLE
    compliant: Compliance
    missing_ht: dict[str, Amount]
    by_category: dict[str, Amount]
    by_family: dict[str, FamilyTotals]
    warnings: list[str]
    references: list[str]
    explanation: str


class DqeLine(InputModel):
    """One line of a catering DQE (détail quantitatif estimatif) before award."""

    designation: str = Field(min_length=1, max_length=300)
    family: Family
    unit_price_ht: Amount
    quantity: Amount
    labels: list[Label] = Field(default_factory=list, max_length=20)
    is_meat_or_fish: StrictBool | None = None

    @field_validator("family", mode="before")
    @classmethod
    def _family_code(cls, value: Any) -> Any:
        return _code(value)

    @field_validator("labels", mode="before")
    @classmethod
    def _label_codes(cls, value: Any) -> Any:
        return [_code(v) for v in value] if isinstance(value, list) else value

    @model_validator(mode="after")
    def _bounded(self) -> DqeLine:
        if self.unit_price_ht * self.quantity >= MAX_AMOUNT:
            raise ValueError("montant de la ligne (prix × quantité) hors limites")
        return self


class ForecastInput(InputModel):
    year: int = Field(ge=2019, le=2100)
    lines: list[DqeLine] = Field(min_length=1, max_length=20_000)
    other_purchases: list[PurchaseInput] = Field(default_factory=list, max_length=100_000)
    buyer: CateringBuyer = CateringBuyer.AUTRE
    territory: Territory = Territory.METROPOLE


class ForecastResult(OutputModel):
    year: int
    lines: int
    dqe_total_ht: Amount
    ratios: RatiosResult
    warnings: list[str]
    references: list[str]
    explanation: str


class LineError(OutputModel):
    line: int
    field: str
    message: str


class MonthRatios(OutputModel):
    month: str
    total_ht: Amount
    quality_sustainable_share: str
    organic_share: str
    meat_fish_quality_share: str


class YearRatios(OutputModel):
    year: int
    total_ht: Amount
    quality_sustainable_share: str
    organic_share: str
    meat_fish_quality_share: str
    compliant: Compliance


class ImportResult(RatiosResult):
    """``amo egalim import``: the ratios of the imported purchases, plus the file's diagnosis."""

    format: str
    encoding: str
    separator: str
    establishments: list[str]
    errors: list[LineError]
    by_year: list[YearRatios]
    by_month: list[MonthRatios]
