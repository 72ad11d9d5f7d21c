"""What the user asks the domain to compute on a contract, typed: the forms produce these, the
services take them and the mappers turn them, with the contract's clauses, into the domain's
input models."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from openamo.pricing.enums import PaymentBuyer, Rounding
from openamo.web.contracts.models import ContractStatus, Order, PriceForm
from openamo.web.operations.models import Lot
from openamo.web.organisations.models import Organisation


@dataclass(frozen=True)
class RevisionRequest:
    """A price revision: its date, the index month (blank: the clause's), P0 and the price
    invoiced, to check the drift."""

    revised_on: datetime.date
    base_price_ht: Decimal
    current_period: str = ""
    invoiced_price_ht: Decimal | None = None
    price_decimals: int | None = None


@dataclass(frozen=True)
class PenaltyRequest:
    """A late execution: what was late, when it was due and done, the value late."""

    reason: str
    due_on: datetime.date
    delivered_on: datetime.date
    late_value_ht: Decimal | None = None


# Quality in execution ------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceOrderDraft:
    """A service order as the AMO prepares it (numbered and issued later)."""

    kind: str
    subject: str
    description: str = ""
    effective_on: datetime.date | None = None


@dataclass(frozen=True)
class Issue:
    """The maître d'ouvrage signs and issues an order; the holder acknowledges it."""

    issued_on: datetime.date
    acknowledged_on: datetime.date | None = None


@dataclass(frozen=True)
class ReceptionDraft:
    """The inspection (opérations de vérification) a reception decision follows."""

    label: str
    inspected_on: datetime.date
    note: str = ""


@dataclass(frozen=True)
class ReserveEntry:
    """A reserve noted at the inspection, and when it is to be lifted."""

    description: str
    due_on: datetime.date | None = None


@dataclass(frozen=True)
class DecisionOnReception:
    """The decision on a reception (its date blank: today) and when it takes effect; a blank
    note keeps the inspection's."""

    decision: str
    decided_on: datetime.date | None = None
    effective_on: datetime.date | None = None
    note: str = ""


@dataclass(frozen=True)
class Lifting:
    """The lifting of a reserve, as the maître d'ouvrage notes it."""

    lifted_on: datetime.date
    lifting_note: str = ""


@dataclass(frozen=True)
class EvaluationEntry:
    """The holder's evaluation: when, at which milestone, a mark from 1 to 5 by criterion
    (criteria left unmarked are absent)."""

    stage: str
    milestone: str
    marks: dict[str, int] = field(default_factory=dict)
    evaluated_on: datetime.date | None = None
    comments: str = ""


# Money going out -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderEntry:
    """A bon de commande; ``beyond_maximum``: the user confirms an order that takes the
    framework past its maximum (a modification of the contract)."""

    reference: str
    issued_on: datetime.date
    amount_ht: Decimal
    description: str = ""
    beyond_maximum: bool = False


@dataclass(frozen=True)
class InvoiceEntry:
    """A payment request as recorded: the domain dates its deadline and interest from it. A
    suspension has both its dates or none."""

    reference: str
    received_on: datetime.date
    amount_ttc: Decimal
    description: str = ""
    order: Order | None = None
    suspended_on: datetime.date | None = None
    documents_received_on: datetime.date | None = None
    suspension_reason: str = ""
    paid_on: datetime.date | None = None
    ecb_rate_percent: Decimal | None = None


# The price clause ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Formula:
    """The price variation clause P = P0 × (a + Σ bᵢ × Iᵢ/I₀ᵢ): its mois zéro, fixed part,
    rounding of the coefficient, revision dates and controls. The defaults are a contract's
    before any clause is described (no fixed part, no lag, no tolerance)."""

    price_date: datetime.date | None = None
    fixed_part: Decimal = Decimal(0)
    coefficient_decimals: int | None = None
    coefficient_rounding: str = Rounding.AU_PLUS_PROCHE.value
    revision_periodicity_months: int | None = None
    index_lag_months: int = 0
    safeguard_percent: Decimal | None = None
    drift_tolerance_ht: Decimal = Decimal(0)
    standard_supplies: bool | None = None


@dataclass(frozen=True)
class TermEntry:
    """One term bᵢ × Iᵢ/I₀ᵢ: the series, its weight and its base period as typed."""

    index_name: str
    weight: Decimal
    base_period: str
    label: str = ""


@dataclass(frozen=True)
class IndexValueEntry:
    """A value of an index series for one period, typed by the user."""

    series: str
    period: str
    value: Decimal
    provisional: bool = False


# The contract itself -------------------------------------------------------------------------


@dataclass(frozen=True)
class ContractEntry:
    """The contract's sheet as the buyer enters it (its frame: parties, amounts, dates,
    clauses). A text left blank is "" and a count of renewals 0, as stored; the defaults are
    a new contract's. ``holder_organisation`` and ``status`` are decisions of the buyer's
    maître d'ouvrage: the service refuses a change by anyone else."""

    title: str
    nature: str
    procedure: str
    holder_name: str
    initial_amount_ht: Decimal
    notified_on: datetime.date
    lot: Lot | None = None
    reference: str = ""
    holder_siret: str = ""
    holder_address: str = ""
    holder_organisation: Organisation | None = None
    holder_is_sme: bool = False
    vat_rate: Decimal = Decimal("20.00")
    signed_on: datetime.date | None = None
    award_notice_sent_on: datetime.date | None = None
    start_on: datetime.date | None = None
    duration_months: int | None = None
    renewals: int = 0
    renewal_duration_months: int | None = None
    renewal_notice_months: int | None = None
    price_form: str = PriceForm.FERME.value
    is_framework: bool = False
    minimum_amount_ht: Decimal | None = None
    maximum_amount_ht: Decimal | None = None
    framework_maximum_quantity: str = ""
    framework_holders: str = ""
    payment_buyer: str = PaymentBuyer.COLLECTIVITE.value
    payment_days: int | None = None
    consultation_on: datetime.date | None = None
    large_buyer: bool = False
    advance_rate_percent: Decimal | None = None
    retention_rate_percent: Decimal | None = None
    penalty_clause: str = ""
    penalty_daily_amount_ht: Decimal | None = None
    penalty_daily_rate_percent: Decimal | None = None
    penalty_cap_percent: Decimal | None = None
    penalty_exemption_ht: Decimal | None = None
    status: str = ContractStatus.EN_COURS.value


@dataclass(frozen=True)
class SubcontractorEntry:
    """A declared sub-contractor: who, for what, up to which amount, paid directly or not."""

    name: str
    siret: str
    services: str
    amount_ht: Decimal
    direct_payment: bool = True
    accepted_on: datetime.date | None = None
