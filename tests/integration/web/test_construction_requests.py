"""What the construction forms hand to the services, typed: form → request → domain input."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TypeVar

import pytest
import time_machine
from django import forms

from openamo.construction.enums import (
    Buyer,
    Organisation,
    PhaseDecision,
    ReceptionDecision,
    WorkKind,
)
from openamo.errors import OpenAMOError
from openamo.pricing.enums import RetentionSubstitute
from openamo.web.audit.models import Action, AuditEvent
from openamo.web.construction.forms import (
    EnvelopeForm,
    FinalAccountForm,
    OrganisationForm,
    PhaseDecisionForm,
    PhaseForm,
    ProgrammeForm,
    RetentionGuaranteeForm,
    StartForm,
)
from openamo.web.construction.models import FinalAccount, PhaseReview
from openamo.web.construction.requests import (
    FinalAccountDates,
    OrganisationAnswers,
    PhaseProposal,
    PhaseVerdict,
    columns,
    initial_of,
)
from tests.integration.web.conftest import Cast
from tests.integration.web.construction_data import canteen

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2027, 12, 15, 10, tzinfo=datetime.UTC)


F = TypeVar("F", bound=forms.BaseForm)


def valid(form: F) -> F:
    assert form.is_valid(), form.errors
    return form


def test_the_start_form_asks_for_a_work_kind_of_the_domain() -> None:
    form = StartForm({"work_kind": "rehabilitation", "complex_operation": "on"})
    request = valid(form).request()
    assert request.work_kind is WorkKind.REHABILITATION
    assert request.complex_operation is True


def test_the_programme_form_gives_the_domain_s_programme_line_by_line() -> None:
    form = ProgrammeForm({
        "work_kind": "batiment_neuf", "objectives": "Servir 320 repas\n\n  Deux services  ",
        "needs": "", "constraints": "École ouverte", "functional_requirements": "",
        "technical_requirements": "", "environmental_targets": "RE2020",
        "performance_targets": "", "spaces": "Cuisine : 180,5\nSalle ; 360 m²",
    })  # fmt: skip
    request = valid(form).request()
    assert request.work_kind is WorkKind.BATIMENT_NEUF and request.complex_operation is False
    assert request.programme.objectives == ["Servir 320 repas", "Deux services"]
    assert request.programme.needs == []
    assert [(s.name, s.area_m2) for s in request.programme.spaces] == [
        ("Cuisine", Decimal("180.5")),
        ("Salle", Decimal("360")),
    ]


def test_a_space_the_domain_refuses_is_an_error_on_its_line_not_a_crash() -> None:
    form = ProgrammeForm({"work_kind": "batiment_neuf", "spaces": "Cuisine : 180,555"})
    assert not form.is_valid()
    assert "Ligne 1 illisible" in str(form.errors["spaces"])


def test_a_programme_the_domain_refuses_raises_its_french_error() -> None:
    too_many = "\n".join(f"Objectif {n}" for n in range(51))
    form = ProgrammeForm({"work_kind": "batiment_neuf", "objectives": too_many})
    with pytest.raises(OpenAMOError):
        valid(form).request()


def test_the_first_envelope_has_no_reason_and_a_change_keeps_it() -> None:
    first = EnvelopeForm({"date": "2026-06-15", "works_ht": "2 400 000,00"}, first=True)
    decision = valid(first).request()
    assert (decision.works_ht, decision.total_ht, decision.reason) == (
        Decimal("2400000.00"),
        None,
        "",
    )
    change = EnvelopeForm(
        {"date": "2026-06-15", "works_ht": "2 500 000", "reason": "Salle", "decided_by_label": ""},
        first=False,
    )
    assert valid(change).request().reason == "Salle"


def test_the_organisation_left_to_openamo_is_none_and_the_answers_reach_the_domain() -> None:
    form = OrganisationForm({"in_house_skills": "partielles", "wants_acts_in_its_name": "on"})
    decision = valid(form).request()
    assert decision.choice is None
    assert decision.answers == OrganisationAnswers("partielles", wants_acts_in_its_name=True)
    given = OrganisationForm({"in_house_skills": "aucune", "organisation_choice": "mandat"})
    assert valid(given).request().choice is Organisation.MANDAT
    domain = decision.answers.to_domain(Buyer.ETAT, datetime.date(2026, 6, 1))
    assert (domain.buyer, domain.in_house_skills, domain.wants_acts_in_its_name) == (
        Buyer.ETAT,
        "partielles",
        True,
    )
    assert OrganisationAnswers.from_stored(decision.answers.stored()) == decision.answers
    assert OrganisationAnswers.from_stored({}) is None


def test_a_phase_submitted_before_it_started_is_refused_by_the_form() -> None:
    form = PhaseForm({"started_on": "2026-06-10", "submitted_on": "2026-06-01"})
    assert not form.is_valid()
    assert "La remise ne peut pas précéder le démarrage." in str(form.errors["submitted_on"])
    ok = PhaseForm({"started_on": "2026-06-01", "estimate_ht": "1 000"})
    proposal = valid(ok).request()
    assert (proposal.started_on, proposal.submitted_on, proposal.estimate_ht) == (
        datetime.date(2026, 6, 1),
        None,
        Decimal("1000"),
    )


def test_a_phase_decision_fills_the_row_s_columns_with_the_stored_value() -> None:
    form = PhaseDecisionForm(
        {"decision": "ajournee", "decided_on": "2026-06-01", "note": "À revoir"}
    )
    verdict = valid(form).request()
    assert verdict == PhaseVerdict(PhaseDecision.AJOURNEE, datetime.date(2026, 6, 1), "À revoir")
    assert columns(verdict) == {
        "decision": "ajournee",
        "decided_on": datetime.date(2026, 6, 1),
        "note": "À revoir",
    }


def test_the_guarantee_form_gives_the_substitute_of_the_pricing_domain() -> None:
    form = RetentionGuaranteeForm({
        "kind": "caution_personnelle_et_solidaire", "guarantor": "Banque X",
        "provided_on": "2026-06-01",
    })  # fmt: skip
    request = valid(form).request()
    assert request.kind is RetentionSubstitute.CAUTION_PERSONNELLE_ET_SOLIDAIRE
    assert columns(request)["kind"] == "caution_personnelle_et_solidaire"


def test_the_final_account_dates_go_from_the_form_to_the_domain_and_back_from_the_row() -> None:
    form = FinalAccountForm({
        "reception_notified_on": "2026-07-09", "reception_decision": "avec_reserves",
        "general_account_notified_on": "2026-08-30", "contractor_returned_on": "2026-09-29",
        "contractor_reserves": "on", "claim_received_on": "2026-09-29",
    })  # fmt: skip
    dates = valid(form).request()
    assert dates.reception_decision is ReceptionDecision.AVEC_RESERVES
    domain = dates.to_domain(datetime.date(2026, 1, 5), datetime.date(2026, 10, 1))
    assert domain.contractor_reserves is True
    assert domain.claim_received_on == datetime.date(2026, 9, 29)
    assert domain.contractor_returned_on == datetime.date(2026, 9, 29)
    assert domain.as_of == datetime.date(2026, 10, 1)
    row = FinalAccount(**columns(dates))
    assert FinalAccountDates.from_row(row) == dates


def test_final_account_dates_the_domain_refuses_raise_its_french_error() -> None:
    dates = FinalAccountDates(
        datetime.date(2026, 7, 9),
        ReceptionDecision.SANS_RESERVE,
        contractor_returned_on=datetime.date(2026, 9, 29),
    )
    with pytest.raises(OpenAMOError) as refused:
        dates.to_domain(datetime.date(2026, 1, 5), datetime.date(2026, 10, 1))
    assert "notification" in str(refused.value.details)


@time_machine.travel(TODAY, tick=False)
def test_the_history_shows_the_programme_and_the_answers_as_text(cast: Cast) -> None:
    site = canteen(cast)
    created = AuditEvent.objects.get(object_type="project", action=Action.CREATE)
    assert created.before is None and created.after is not None
    assert created.after["programme"] == "" and created.after["work_kind"] == "batiment_neuf"
    update = AuditEvent.objects.filter(object_type="project", action=Action.UPDATE).first()
    assert update is not None and update.after is not None
    assert isinstance(update.after["programme"], str)
    assert "Objectifs : Servir 320 repas par jour" in update.after["programme"]
    assert "Surfaces : Cuisine 180 m² ; Salle 360 m²" in update.after["programme"]
    assert site.project.programme["objectives"] == ["Servir 320 repas par jour"]


def test_a_form_starts_from_the_columns_its_request_fills() -> None:
    row = PhaseReview(phase="aps", started_on=datetime.date(2026, 6, 1), note="Hors formulaire")
    assert initial_of(row, PhaseProposal) == {
        "started_on": datetime.date(2026, 6, 1),
        "submitted_on": None,
        "estimate_ht": None,
    }
    assert initial_of(None, PhaseProposal) is None
