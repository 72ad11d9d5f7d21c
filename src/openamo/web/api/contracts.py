"""Contracts in execution, their invoices and the invoices at risk: the pages' services as JSON.

Same access rules as the pages (404 outside, 403 for readers and the holder's writes); every
payment figure is the domain's (``openamo.pricing.late_payment``).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field, model_validator

from openamo.pricing import PaymentResult
from openamo.validation import Amount, PastDate
from openamo.web.api.schemas import ErrorOut, In
from openamo.web.contracts import payments, queries
from openamo.web.contracts.access import ContractAccess, contract_access
from openamo.web.contracts.models import Contract, ContractStatus, Invoice, PriceForm
from openamo.web.contracts.requests import InvoiceEntry
from openamo.web.contracts.services import renewals as renewal_service
from openamo.web.users import AuthenticatedRequest

router = Router(tags=["marchés"])
ERRORS: dict[int, type[ErrorOut]] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
MAX_ID = 2**62
MAX_AMOUNT = Decimal("1e13")
"""Amounts are stored with 15 digits, two of them decimals."""


class ListQuery(In):
    page: int = Field(default=1, ge=1, le=100000)
    page_size: int = Field(default=25, ge=1, le=100)
    search: str = Field(default="", max_length=200)


class RenewalOut(Schema):
    number: int
    starts_on: datetime.date
    ends_on: datetime.date
    decision_deadline: datetime.date | None
    decision: str


class ContractOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    operation_id: int | None
    lot_id: int | None
    reference: str
    title: str
    nature: str
    procedure: str
    holder_name: str
    holder_siret: str
    initial_amount_ht: Amount
    vat_rate: str
    notified_on: datetime.date
    start_on: datetime.date | None
    duration_months: int | None
    price_form: PriceForm
    is_framework: bool
    minimum_amount_ht: Amount | None
    maximum_amount_ht: Amount | None
    payment_buyer: str
    status: ContractStatus


class ContractDetailOut(ContractOut):
    renewal_periods: list[RenewalOut]


class ContractPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ContractOut]


class InvoiceIn(In):
    reference: str = Field(min_length=1, max_length=60)
    received_on: PastDate
    amount_ttc: Amount
    description: str = Field(default="", max_length=300)
    suspended_on: PastDate | None = None
    documents_received_on: PastDate | None = None
    suspension_reason: str = Field(default="", max_length=2000)
    paid_on: PastDate | None = None
    ecb_rate_percent: str | None = Field(default=None, pattern=r"^\d{1,2}(\.\d{1,3})?$")

    @model_validator(mode="after")
    def _dates(self) -> InvoiceIn:
        if self.amount_ttc >= MAX_AMOUNT:
            raise ValueError("« amount_ttc » dépasse le montant maximal enregistrable")
        if self.paid_on and self.paid_on < self.received_on:
            raise ValueError("« paid_on » précède « received_on »")
        if bool(self.suspended_on) != bool(self.documents_received_on):
            raise ValueError("une suspension a deux dates : suspended_on et documents_received_on")
        return self


class InvoiceOut(Schema):
    id: int
    reference: str
    received_on: datetime.date
    amount_ttc: Amount
    paid_on: datetime.date | None
    due_on: datetime.date
    days_late: int
    interest: Amount | None
    indemnity: Amount | None
    missing_rate: str | None
    payment: PaymentResult | None
    """The domain's answer (``amo paiement retard``), as the command line writes it."""


class AtRiskOut(Schema):
    late: list[InvoiceOut]
    due_soon: list[InvoiceOut]
    late_count: int
    due_soon_count: int


def _access(request: AuthenticatedRequest, contract_id: int) -> ContractAccess:
    if not 1 <= contract_id <= MAX_ID:
        raise Http404("Marché introuvable.")
    return contract_access(request.user, contract_id)


def _out(contract: Contract) -> ContractOut:
    return ContractOut(
        id=contract.pk,
        organisation_id=contract.organisation_id,
        organisation=contract.organisation.name,
        operation_id=contract.operation_id,
        lot_id=contract.lot_id,
        reference=contract.reference,
        title=contract.title,
        nature=contract.nature,
        procedure=contract.procedure,
        holder_name=contract.holder_name,
        holder_siret=contract.holder_siret,
        initial_amount_ht=contract.initial_amount_ht,
        vat_rate=f"{contract.vat_rate:.2f}",
        notified_on=contract.notified_on,
        start_on=contract.start_on,
        duration_months=contract.duration_months,
        price_form=PriceForm(contract.price_form),
        is_framework=contract.is_framework,
        minimum_amount_ht=contract.minimum_amount_ht,
        maximum_amount_ht=contract.maximum_amount_ht,
        payment_buyer=contract.payment_buyer,
        status=ContractStatus(contract.status),
    )


def _invoice_out(invoice: Invoice, status: payments.PaymentStatus) -> InvoiceOut:
    result = status.result
    return InvoiceOut(
        id=invoice.pk,
        reference=invoice.reference,
        received_on=invoice.received_on,
        amount_ttc=invoice.amount_ttc,
        paid_on=invoice.paid_on,
        due_on=status.due_on,
        days_late=status.days_late,
        interest=result.interest if result else None,
        indemnity=result.indemnity if result else None,
        missing_rate=status.missing_rate,
        payment=result,
    )


@router.get("", response={200: ContractPage, **ERRORS}, summary="Marchés visibles")
def list_contracts(request: AuthenticatedRequest, filters: Query[ListQuery]) -> ContractPage:
    contracts = queries.contract_list(request.user, filters.search)
    page, rows = queries.paginate(contracts, filters.page, filters.page_size, timezone.localdate())
    return ContractPage(
        count=page.paginator.count,
        page=page.number,
        page_size=filters.page_size,
        results=[_out(contract) for contract in rows],
    )


@router.get(
    "/factures-a-surveiller",
    response={200: AtRiskOut, **ERRORS},
    summary="Factures en retard ou à échéance proche",
)
def invoices_at_risk(request: AuthenticatedRequest) -> AtRiskOut:
    risk = queries.invoices_at_risk(request.user, timezone.localdate())
    return AtRiskOut(
        late=[_invoice_out(i, s) for i, s in risk.late],
        due_soon=[_invoice_out(i, s) for i, s in risk.due_soon],
        late_count=risk.late_count,
        due_soon_count=risk.due_soon_count,
    )


@router.get("/{contract_id}", response={200: ContractDetailOut, **ERRORS}, summary="Un marché")
def get_contract(request: AuthenticatedRequest, contract_id: int) -> ContractDetailOut:
    contract = _access(request, contract_id).contract
    renewals = [
        RenewalOut(
            number=r.number,
            starts_on=r.starts_on,
            ends_on=r.ends_on,
            decision_deadline=r.decision_deadline,
            decision=r.decision,
        )
        for r in renewal_service.live_renewals(contract)
    ]
    return ContractDetailOut(**dict(_out(contract)), renewal_periods=renewals)


@router.get(
    "/{contract_id}/factures",
    response={200: list[InvoiceOut], **ERRORS},
    summary="Factures, échéances et intérêts moratoires",
)
def list_invoices(request: AuthenticatedRequest, contract_id: int) -> list[InvoiceOut]:
    contract = _access(request, contract_id).contract
    today = timezone.localdate()
    return [
        _invoice_out(invoice, payments.payment_status(contract, invoice, today))
        for invoice in payments.live_invoices(contract)
    ]


@router.post(
    "/{contract_id}/factures",
    response={201: InvoiceOut, **ERRORS},
    summary="Enregistrer une facture (échéance et intérêts calculés)",
)
def create_invoice(
    request: AuthenticatedRequest, contract_id: int, payload: InvoiceIn
) -> Status[InvoiceOut]:
    access = _access(request, contract_id)
    rate = payload.ecb_rate_percent
    entry = InvoiceEntry(
        reference=payload.reference,
        received_on=payload.received_on,
        amount_ttc=payload.amount_ttc,
        description=payload.description,
        suspended_on=payload.suspended_on,
        documents_received_on=payload.documents_received_on,
        suspension_reason=payload.suspension_reason,
        paid_on=payload.paid_on,
        ecb_rate_percent=Decimal(rate) if rate is not None else None,
    )
    invoice = payments.save_invoice(access, request.user, entry)
    status = payments.payment_status(access.contract, invoice, timezone.localdate())
    return Status(201, _invoice_out(invoice, status))
