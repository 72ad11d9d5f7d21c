"""The contract forms hand the services typed requests (``contracts/requests.py``), never
their cleaned_data: blank fields become the request's defaults, and what the user typed
arrives with its type (dates, amounts, marks)."""

from __future__ import annotations

import datetime
from dataclasses import fields
from decimal import Decimal

from django import forms

from openamo.pricing.models import RevisionResult
from openamo.web.contracts.forms.contract import ContractForm, SubcontractorForm
from openamo.web.contracts.forms.payments import InvoiceForm, OrderForm
from openamo.web.contracts.forms.prices import FormulaForm, IndexValueForm, TermForm
from openamo.web.contracts.forms.quality import (
    EvaluationForm,
    IssueForm,
    LiftForm,
    ReceptionDecisionForm,
    ReceptionForm,
    ReserveForm,
    ServiceOrderForm,
)
from openamo.web.contracts.models import Order
from openamo.web.contracts.presenters.prices import revision_figures
from openamo.web.contracts.requests import (
    ContractEntry,
    DecisionOnReception,
    EvaluationEntry,
    Formula,
    IndexValueEntry,
    InvoiceEntry,
    Issue,
    Lifting,
    OrderEntry,
    ReceptionDraft,
    ReserveEntry,
    ServiceOrderDraft,
    SubcontractorEntry,
    TermEntry,
)
from openamo.web.contracts.services.contract import FRAME_FIELDS
from openamo.web.operations.models import Operation
from tests.integration.web.conftest import Cast
from tests.integration.web.contracts_factories import furnish, make_company, make_contract


def _valid(form: forms.Form) -> None:
    assert form.is_valid(), form.errors


def test_a_service_order_s_blank_fields_are_its_request_s_defaults() -> None:
    form = ServiceOrderForm({"kind": "demarrage", "subject": "Démarrage des livraisons"})
    _valid(form)
    assert form.request() == ServiceOrderDraft("demarrage", "Démarrage des livraisons")
    form = ServiceOrderForm(
        {"kind": "prestations", "subject": "Micropieux", "effective_on": "04/05/2026"}
    )
    _valid(form)
    assert form.request().effective_on == datetime.date(2026, 5, 4)


def test_an_issue_without_acknowledgement_keeps_it_blank() -> None:
    form = IssueForm({"issued_on": "27/04/2026"})
    _valid(form)
    assert form.request() == Issue(datetime.date(2026, 4, 27), None)
    form = IssueForm({"issued_on": "27/04/2026", "acknowledged_on": "26/04/2026"})
    assert not form.is_valid()
    assert "acknowledged_on" in form.errors


def test_reception_reserve_decision_and_lifting_requests() -> None:
    reception = ReceptionForm({"label": "Admission", "inspected_on": "05/12/2025"})
    _valid(reception)
    assert reception.request() == ReceptionDraft("Admission", datetime.date(2025, 12, 5))
    reserve = ReserveForm({"description": "Yaourts à 9 °C"})
    _valid(reserve)
    assert reserve.request() == ReserveEntry("Yaourts à 9 °C", None)
    decision = ReceptionDecisionForm(
        {"decision": "avec_reserves", "decided_on": "08/12/2025", "effective_on": "05/12/2025"}
    )
    _valid(decision)
    assert decision.request() == DecisionOnReception(
        "avec_reserves", datetime.date(2025, 12, 8), datetime.date(2025, 12, 5), ""
    )
    lifting = LiftForm({"lifted_on": "16/12/2025", "lifting_note": "Certificats fournis."})
    _valid(lifting)
    assert lifting.request() == Lifting(datetime.date(2025, 12, 16), "Certificats fournis.")


def test_an_evaluation_carries_only_the_criteria_marked_as_integers() -> None:
    form = EvaluationForm(
        {
            "stage": "jalon",
            "milestone": "Premier trimestre",
            "evaluated_on": "10/12/2025",
            "qualite": "4",
            "delais": "",
            "relation": "5",
        }
    )
    _valid(form)
    assert form.request() == EvaluationEntry(
        stage="jalon",
        milestone="Premier trimestre",
        marks={"qualite": 4, "relation": 5},
        evaluated_on=datetime.date(2025, 12, 10),
    )


def test_an_order_is_typed_with_its_confirmation_beyond_the_maximum() -> None:
    form = OrderForm({"reference": "BC-1", "issued_on": "02/09/2025", "amount_ht": "15 200,00"})
    _valid(form)
    assert form.request() == OrderEntry(
        "BC-1", datetime.date(2025, 9, 2), Decimal("15200.00"), "", beyond_maximum=False
    )
    form = OrderForm(
        {"reference": "BC-2", "issued_on": "02/09/2025", "amount_ht": "1", "beyond_maximum": "on"}
    )
    _valid(form)
    assert form.request().beyond_maximum is True


def test_an_invoice_carries_the_order_chosen_and_its_suspension() -> None:
    orders = [Order(pk=7, reference="BC-7"), Order(pk=8, reference="BC-8")]
    form = InvoiceForm(
        {
            "reference": "F-118",
            "received_on": "06/10/2025",
            "amount_ttc": "16 036,00",
            "order": "8",
            "suspended_on": "10/10/2025",
            "documents_received_on": "15/10/2025",
            "suspension_reason": "Bon de livraison manquant",
            "ecb_rate_percent": "2,15",
        },
        orders=orders,
    )
    _valid(form)
    entry = form.request()
    assert entry.order is orders[1]
    assert entry == InvoiceEntry(
        reference="F-118",
        received_on=datetime.date(2025, 10, 6),
        amount_ttc=Decimal("16036.00"),
        order=orders[1],
        suspended_on=datetime.date(2025, 10, 10),
        documents_received_on=datetime.date(2025, 10, 15),
        suspension_reason="Bon de livraison manquant",
        ecb_rate_percent=Decimal("2.15"),
    )
    form = InvoiceForm(
        {"reference": "F-119", "received_on": "06/10/2025", "amount_ttc": "1"}, orders=orders
    )
    _valid(form)
    assert form.request().order is None


def test_an_edited_invoice_keeps_its_order_when_no_order_is_left_to_choose(
    cast: Cast, operation: Operation
) -> None:
    furnished = furnish(cast, make_contract(cast, operation))
    invoice = furnished.late_invoice
    form = InvoiceForm(
        {"reference": invoice.reference, "received_on": "06/10/2025", "amount_ttc": "16036"},
        orders=[],
        current=invoice,
    )
    _valid(form)
    assert "order" not in form.fields
    assert form.request().order == furnished.order


def test_a_formula_left_blank_is_the_clause_of_a_new_contract() -> None:
    form = FormulaForm({"coefficient_rounding": "au_plus_proche"})
    _valid(form)
    assert form.request() == Formula()
    form = FormulaForm(
        {
            "price_date": "01/06/2025",
            "fixed_part": "0,125",
            "coefficient_decimals": "4",
            "coefficient_rounding": "au_plus_proche",
            "revision_periodicity_months": "12",
            "index_lag_months": "3",
            "drift_tolerance_ht": "0,01",
            "standard_supplies": "non",
        }
    )
    _valid(form)
    assert form.request() == Formula(
        price_date=datetime.date(2025, 6, 1),
        fixed_part=Decimal("0.125"),
        coefficient_decimals=4,
        revision_periodicity_months=12,
        index_lag_months=3,
        drift_tolerance_ht=Decimal("0.01"),
        standard_supplies=False,
    )


def test_a_term_and_an_index_value_carry_canonical_periods() -> None:
    term = TermForm({"index_name": "IPAG", "weight": "0,875", "base_period": "06/2025"})
    _valid(term)
    assert term.request() == TermEntry("IPAG", Decimal("0.875"), "2025-06", "")
    value = IndexValueForm({"series": "IPAG", "period": "juin 2026", "value": "134,9"})
    _valid(value)
    assert value.request() == IndexValueEntry("IPAG", "2026-06", Decimal("134.9"), False)


def test_the_revision_page_reads_its_figures_from_the_typed_result(
    cast: Cast, operation: Operation
) -> None:
    revision = furnish(cast, make_contract(cast, operation)).revision
    figures = revision_figures(RevisionResult.model_validate(revision.result))
    # P = 3,85 × (0,125 + 0,875 × 134,9 / 131,4), coefficient rounded to 4 decimals.
    assert figures.coefficient == "1,0233"
    assert figures.revised == "3,94"
    assert [(t.index, t.weight, t.index_base, t.index_current) for t in figures.terms] == [
        ("IPAG", "0,875", "131,4", "134,9")
    ]
    assert figures.drift is not None and figures.drift.alert
    assert figures.drift.invoiced_price_ht == "4,10"
    assert figures.drift.difference_ht == "0,16"


SHEET = {
    "title": "Denrées biologiques",
    "nature": "fournitures",
    "procedure": "mapa",
    "holder_name": "Restauration du Val SAS",
    "holder_siret": "732 829 320 00074",
    "initial_amount_ht": "62 000,00",
    "vat_rate": "5,5",
    "notified_on": "25/08/2025",
    "price_form": "revisable",
    "payment_buyer": "collectivite",
}


def test_the_contract_entry_carries_every_column_of_the_frame() -> None:
    assert {f.name for f in fields(ContractEntry)} == set(FRAME_FIELDS)


def test_a_new_contract_s_sheet_is_typed_with_the_defaults_of_a_new_contract() -> None:
    form = ContractForm(SHEET, holders=[])
    _valid(form)
    entry = form.request()
    assert entry == ContractEntry(
        title="Denrées biologiques",
        nature="fournitures",
        procedure="mapa",
        holder_name="Restauration du Val SAS",
        holder_siret="73282932000074",
        initial_amount_ht=Decimal("62000.00"),
        vat_rate=Decimal("5.5"),
        notified_on=datetime.date(2025, 8, 25),
        price_form="revisable",
        payment_buyer="collectivite",
    )
    assert (entry.renewals, entry.status, entry.holder_organisation) == (0, "en_cours", None)


def test_an_edit_by_a_role_that_does_not_decide_keeps_the_account_status_and_lot(
    cast: Cast, operation: Operation
) -> None:
    company = make_company(cast)
    contract = make_contract(cast, operation, holder=company.organisation, status="termine")
    assert contract.lot is not None
    form = ContractForm(SHEET, holders=[], editing=True, can_decide=False, current=contract)
    _valid(form)
    entry = form.request()
    assert "status" not in form.fields and "holder_organisation" not in form.fields
    assert entry.holder_organisation == company.organisation
    assert (entry.status, entry.lot) == ("termine", contract.lot)


def test_a_subcontractor_is_typed_with_its_direct_payment() -> None:
    form = SubcontractorForm(
        {
            "name": "Transports Frigorifiques de l'Ouest",
            "siret": "55208131766522",
            "services": "Livraison",
            "amount_ht": "4 800,00",
        }
    )
    _valid(form)
    assert form.request() == SubcontractorEntry(
        "Transports Frigorifiques de l'Ouest",
        "55208131766522",
        "Livraison",
        Decimal("4800.00"),
        direct_payment=False,
    )
