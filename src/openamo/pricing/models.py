"""Inputs and outputs of price revision and actualisation (CLI contract ``amo prix revision``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import Field, StrictBool, field_validator, model_validator

from openamo.pricing._decimals import DecimalOut, IndexValue, Percent, Share
from openamo.pricing.enums import ContractNature, PaymentBuyer, RevisionKind, Rounding
from openamo.pricing.periods import parse_period
from openamo.validation import Amount, InputModel, OutputModel, SignedAmount

SeriesValues = dict[str, IndexValue]


def _period(value: str | None) -> str | None:
    if value is None:
        return None
    canonical = parse_period(value)
    if canonical is None:
        raise ValueError(f"période illisible « {value} » (attendu par exemple « 2024-01 »)")
    return canonical


class RevisionTerm(InputModel):
    """One term bᵢ × Iᵢ/I₀ᵢ: either the two index values, or a series name and two periods."""

    weight: Share
    index_base: IndexValue | None = None
    index_current: IndexValue | None = None
    index: str | None = Field(default=None, min_length=1, max_length=80)
    base_period: str | None = Field(default=None, max_length=20)
    current_period: str | None = Field(default=None, max_length=20)

    @field_validator("base_period", "current_period")
    @classmethod
    def _canonical_period(cls, value: str | None) -> str | None:
        return _period(value)

    @model_validator(mode="after")
    def _values_or_series(self) -> RevisionTerm:
        if self.weight == 0:
            raise ValueError("le poids d'un terme doit être strictement positif")
        has_values = self.index_base is not None and self.index_current is not None
        has_series = self.index is not None and self.base_period and self.current_period
        if not has_values and not has_series:
            raise ValueError(
                "chaque terme donne la valeur de base et la valeur actuelle de son indice, ou le "
                "nom de la série avec sa période de base et sa période actuelle"
            )
        return self


class RevisionInput(InputModel):
    base_price_ht: Amount
    fixed_part: Share = Decimal(0)
    terms: list[RevisionTerm] = Field(min_length=1, max_length=30)
    kind: RevisionKind = RevisionKind.REVISION
    coefficient_decimals: int | None = Field(default=None, ge=0, le=10)
    coefficient_rounding: Rounding = Rounding.AU_PLUS_PROCHE
    price_decimals: int = Field(default=2, ge=0, le=6)
    series: dict[str, SeriesValues] | None = Field(default=None, max_length=50)
    invoiced_price_ht: Amount | None = None
    drift_tolerance_ht: Amount = Decimal(0)
    safeguard_percent: Percent | None = None
    date: dt.date | None = None
    # Actualisation of a firm price (R2112-10 to R2112-12):
    nature: ContractNature | None = None
    standard_supplies: StrictBool | None = None
    price_date: dt.date | None = None
    execution_start: dt.date | None = None

    @model_validator(mode="after")
    def _consistent_dates(self) -> RevisionInput:
        if self.price_date and self.execution_start and self.execution_start < self.price_date:
            raise ValueError(
                "le début d'exécution est antérieur à la date des prix du marché (mois zéro) : "
                "date antérieure à celle de l'offre"
            )
        return self


class TermResult(OutputModel):
    weight: DecimalOut
    index: str | None
    base_period: str | None
    current_period: str | None
    index_base: DecimalOut
    index_current: DecimalOut
    ratio: DecimalOut
    contribution: DecimalOut


class Drift(OutputModel):
    invoiced_price_ht: Amount
    allowed_price_ht: str
    difference_ht: SignedAmount
    difference_percent: str
    alert: bool


class Actualisation(OutputModel):
    required_by_law: bool | None
    applies: bool | None
    months_between: int | None
    economic_conditions_month: str | None


class RevisionResult(OutputModel):
    kind: RevisionKind
    base_price_ht: str
    fixed_part: DecimalOut
    terms: list[TermResult]
    coefficient: DecimalOut
    coefficient_unrounded: DecimalOut
    coefficient_rounding: str
    revised_price_ht: str
    variation_percent: str
    applied: bool
    actualisation: Actualisation | None
    drift: Drift | None
    warnings: list[str]
    references: list[str]
    explanation: str


class Interruption(InputModel):
    """Interruption of the payment period (R2192-27 to R2192-29)."""

    notified_on: dt.date
    documents_received_on: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Interruption:
        if self.documents_received_on < self.notified_on:
            raise ValueError(
                "la date de réception des pièces est antérieure à la notification de la demande"
            )
        return self


class PaymentInput(InputModel):
    buyer: PaymentBuyer
    invoice_received_on: dt.date
    paid_on: dt.date | None = None
    amount_ttc: Amount
    ecb_rate_percent: Percent | None = None
    contractual_days: int | None = Field(default=None, ge=1, le=365)
    interruption: Interruption | None = None
    suspension: Interruption | None = None
    as_of: dt.date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> PaymentInput:
        if self.paid_on is not None and self.paid_on < self.invoice_received_on:
            raise ValueError("la date de paiement est antérieure à la réception de la facture")
        if self.interruption is not None and self.suspension is not None:
            raise ValueError("donnez « interruption » ou « suspension », pas les deux")
        stop = self.interruption or self.suspension
        if stop is not None and stop.notified_on < self.invoice_received_on:
            raise ValueError(
                "l'interruption ne peut précéder la réception de la demande de paiement"
            )
        return self


class PaymentResult(OutputModel):
    buyer: PaymentBuyer
    invoice_received_on: dt.date
    payment_period_days: int
    interrupted: bool
    due_on: dt.date
    paid_on: dt.date | None
    late: bool
    days_late: int
    interest_start_on: dt.date | None
    semester_start: dt.date | None
    ecb_rate_percent: str | None
    ecb_rate_source: str | None
    rate_percent: str | None
    amount_ttc: Amount
    interest: Amount | None
    indemnity: Amount
    total_due: Amount
    interest_payable_by: dt.date | None
    rate_known: bool
    missing_rate: str | None
    warnings: list[str]
    references: list[str]
    explanation: str
