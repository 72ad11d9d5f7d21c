"""The operations border: the wizard's circumstances, the need's entry and its accord-cadre
terms, and the domain's typed ``ProcedureInput`` built from the stored rows."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from openamo.errors import OpenAMOError
from openamo.procurement.enums import Buyer, FrameworkExecution, FrameworkHolders, Nature
from openamo.procurement.framework import FrameworkAgreementInput
from openamo.procurement.models import LotInput
from openamo.web.operations import decisions, services
from openamo.web.operations.access import operation_access
from openamo.web.operations.forms import NeedForm, WizardForm
from openamo.web.operations.mappers import procedure_input, stored_procedure_input
from openamo.web.operations.models import Need, Operation
from openamo.web.operations.requests import (
    NOT_A_FRAMEWORK,
    Circumstances,
    FrameworkTerms,
    NeedEntry,
    stored_input,
)
from tests.integration.web.conftest import Cast, fresh

LAUNCH = datetime.date(2026, 9, 1)


def _need(operation: Operation) -> Need:
    return Need.objects.get(operation=operation)


def test_the_procedure_input_is_the_domains_typed_model(operation: Operation) -> None:
    answers = Circumstances(LAUNCH, urgency=True, planned_response_days=40)
    data = procedure_input(operation, _need(operation), operation.lots.order_by("number"), answers)
    assert data.date == LAUNCH
    assert data.buyer is Buyer.COLLECTIVITE
    assert data.nature is Nature.FOURNITURES
    assert data.estimated_amount_ht == Decimal("170000.00")
    assert data.lots == [
        LotInput(name="Bio", estimated_amount_ht=Decimal("62000")),
        LotInput(name="Local", estimated_amount_ht=Decimal("48000")),
        LotInput(name="Frais", estimated_amount_ht=Decimal("41000")),
    ]
    assert data.urgency is True
    assert data.planned_response_days == 40
    assert data.framework is None


def test_the_stored_input_keeps_what_was_given_and_no_blank(operation: Operation) -> None:
    answers = Circumstances(LAUNCH, electronic_submission=False)
    stored = stored_input(procedure_input(operation, _need(operation), [], answers))
    assert stored == {
        "date": "2026-09-01",
        "buyer": "collectivite",
        "nature": "fournitures",
        "estimated_amount_ht": "170000.00",
        "duration_months": 12,
        "renewals": 3,
        "renewal_duration_months": 12,
        "options_amount_ht": "0.00",
        "social_and_specific_services": False,
        "object": "Denrées alimentaires",
        "electronic_submission": False,
    }


def test_an_answer_not_given_is_not_described(operation: Operation) -> None:
    need = _need(operation)
    said = decisions.describe(procedure_input(operation, need, [], Circumstances(LAUNCH)))
    assert "Urgence dûment justifiée" not in said
    urgent = Circumstances(LAUNCH, urgency=False)
    said = decisions.describe(procedure_input(operation, need, [], urgent))
    assert said["Urgence dûment justifiée"] == "non"
    assert said["Date de lancement envisagée"] == "01/09/2026"
    assert said["Montant estimé HT de la période initiale"] == "170\u202f000,00\u00a0€"


def test_an_analysis_reads_back_the_input_it_was_made_on(cast: Cast, operation: Operation) -> None:
    mo = fresh(cast.mo)
    access = operation_access(mo, operation.pk)
    answers = Circumstances(LAUNCH, site_visit=True)
    consultation = services.analyse_procedure(access, mo, answers)
    assert Circumstances.from_stored(consultation.answers) == answers
    assert stored_procedure_input(consultation) == decisions.current_input(consultation)
    assert consultation.response_deadline is not None


def test_circumstances_without_a_date_are_not_read() -> None:
    assert Circumstances.from_stored({}) is None
    assert Circumstances.from_stored({"date": "2026-09-01", "urgency": "oui"}) == Circumstances(
        LAUNCH
    )


def test_the_accord_cadre_terms_are_the_domains_framework_input() -> None:
    terms = FrameworkTerms(
        execution=FrameworkExecution.BONS_DE_COMMANDE,
        holders=FrameworkHolders.MULTI_ATTRIBUTAIRE,
        holders_count=3,
        maximum_ht=Decimal("500000"),
    )
    assert terms.to_domain() == FrameworkAgreementInput(
        execution=FrameworkExecution.BONS_DE_COMMANDE,
        holders=FrameworkHolders.MULTI_ATTRIBUTAIRE,
        holders_count=3,
        maximum_ht=Decimal("500000"),
    )
    assert FrameworkTerms().to_domain().model_fields_set == set()


def test_incoherent_accord_cadre_terms_are_refused_where_they_sit() -> None:
    terms = FrameworkTerms(holders_count=0)
    with pytest.raises(OpenAMOError) as refused:
        terms.to_domain("framework")
    assert [detail.location for detail in refused.value.details] == ["framework.holders_count"]


def test_a_need_not_under_an_accord_cadre_clears_its_terms(
    cast: Cast, operation: Operation
) -> None:
    mo = fresh(cast.mo)
    access = operation_access(mo, operation.pk)
    framework = FrameworkTerms(
        holders=FrameworkHolders.MONO_ATTRIBUTAIRE, maximum_quantity="12 000"
    )
    entry = NeedEntry(Nature.FOURNITURES, Decimal("1000"), constraints="Été", framework=framework)
    services.save_need(access, mo, entry)
    need = _need(operation)
    assert (need.is_framework, need.framework_holders) == (True, "mono_attributaire")
    # The API describes neither the constraints nor the accord-cadre: both stay as stored.
    services.save_need(access, mo, NeedEntry(Nature.SERVICES, Decimal("2000")))
    need = _need(operation)
    assert (need.nature, need.constraints, need.is_framework) == ("services", "Été", True)
    assert need.framework_maximum_quantity == "12 000"
    services.save_need(
        access, mo, NeedEntry(Nature.SERVICES, Decimal("2000"), framework=NOT_A_FRAMEWORK)
    )
    need = _need(operation)
    assert (need.is_framework, need.framework_holders, need.framework_maximum_quantity) == (
        False,
        "",
        "",
    )


NEED_POST = {
    "nature": "services",
    "estimated_amount_ht": "12 000,00",
    "renewals": "",
    "options_amount_ht": "",
    "constraints": "Continuité",
}


def test_the_need_form_gives_the_typed_entry() -> None:
    form = NeedForm(NEED_POST)
    assert form.is_valid(), form.errors
    assert form.to_input() == NeedEntry(
        Nature.SERVICES, Decimal("12000.00"), constraints="Continuité", framework=NOT_A_FRAMEWORK
    )


def test_the_wizard_leaves_the_constraints_as_stored() -> None:
    form = WizardForm({**NEED_POST, "date": "01/09/2026", "urgency": "on"})
    assert form.is_valid(), form.errors
    assert form.to_input().constraints is None
    assert form.circumstances() == Circumstances(
        LAUNCH,
        electronic_submission=False,
        urgency=True,
        prior_information_notice=False,
        site_visit=False,
    )


def test_the_need_form_shows_the_domains_refusal_of_the_terms() -> None:
    form = NeedForm(
        {
            **NEED_POST,
            "is_framework": "on",
            "framework_holders": "mono_attributaire",
            "framework_holders_count": "2",
        }
    )
    assert not form.is_valid()
    assert form.non_field_errors() == ["un accord-cadre mono-attributaire n'a qu'un titulaire"]
