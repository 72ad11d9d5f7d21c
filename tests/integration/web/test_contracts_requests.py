"""The contract forms hand the services typed requests (``contracts/requests.py``), never
their cleaned_data: blank fields become the request's defaults, and what the user typed
arrives with its type (dates, amounts, marks)."""

from __future__ import annotations

import datetime

from django import forms

from openamo.web.contracts.forms.quality import (
    EvaluationForm,
    IssueForm,
    LiftForm,
    ReceptionDecisionForm,
    ReceptionForm,
    ReserveForm,
    ServiceOrderForm,
)
from openamo.web.contracts.requests import (
    DecisionOnReception,
    EvaluationEntry,
    Issue,
    Lifting,
    ReceptionDraft,
    ReserveEntry,
    ServiceOrderDraft,
)


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
