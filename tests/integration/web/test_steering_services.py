"""The steering services: every write goes through the domain, is refused to the wrong role,
and leaves an audit event with the state before and after."""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from openamo.errors import OpenAMOError
from openamo.steering import FramingAnswers, RoiInput, assess_framing, compute_roi
from openamo.steering.enums import RiskStatus
from openamo.validation import parse_input
from openamo.web.audit.models import Action, AuditEvent
from openamo.web.operations.kinds import OperationKind
from openamo.web.operations.models import Operation
from openamo.web.steering.inputs import (
    MeasurementEntry,
    MilestoneEntry,
    RiskFields,
)
from openamo.web.steering.models import (
    Baseline,
    ChangeRequest,
    Framing,
    KpiMeasurement,
    Risk,
    RoiSimulation,
)
from openamo.web.steering.services import changes as change_service
from openamo.web.steering.services import follow_up as follow_up_service
from openamo.web.steering.services import framing as framing_service
from openamo.web.steering.services import report as report_service
from openamo.web.steering.services import roi as roi_service
from openamo.web.steering.services import state as state_service
from tests.integration.web.conftest import Cast, make_operation
from tests.integration.web.steering_data import (
    TODAY,
    access_of,
    change,
    decision,
    drifted,
    framing_answers,
    steered,
)

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def operation(cast: Cast) -> Operation:
    """Steering is offered to IT projects only (``operations.kinds``)."""
    return make_operation(cast, kind=OperationKind.INFORMATIQUE)


def answers_of(data: dict[str, Any]) -> FramingAnswers:
    """The framing answers of a record written as the CLI's JSON."""
    return parse_input(FramingAnswers, data)


def events(operation: Operation, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(operation=operation, action=action).order_by("pk"))


# ---------------------------------------------------------------------------------------------
# Framing and baseline


def test_the_framing_is_assessed_by_the_domain_and_stored_with_its_score(
    cast: Cast, operation: Operation
) -> None:
    answers = framing_answers()
    del answers["irritants"]
    answers["compliance"]["dpo_consulted"] = False
    framing = framing_service.save_framing(
        access_of(cast.consultant, operation), cast.consultant, answers_of(answers)
    )

    expected = assess_framing(framing_service.framing_input(operation, answers_of(answers), TODAY))
    # Irritants (10 points) missing, compliance (10 points) partial: 100 - 10 - 5.
    assert framing.score == expected.completeness_score == Decimal("85.0")
    assert framing.result["missing_answers"] == expected.missing_answers
    assert framing.to_answers() == answers_of(answers)
    created = events(operation, Action.CREATE)[-1]
    assert created.object_type == "framing"
    assert created.after is not None and created.after["score"] == "85.00"


def test_an_update_of_the_framing_is_audited_with_before_and_after(
    cast: Cast, operation: Operation
) -> None:
    access = access_of(cast.mo, operation)
    framing_service.save_framing(
        access, cast.mo, answers_of({"budget": {"maximum_ht": "38000.00"}})
    )
    framing_service.save_framing(access, cast.mo, answers_of(framing_answers()))
    update = events(operation, Action.UPDATE)[-1]
    assert update.before is not None and update.after is not None
    assert update.before["input"] == {"budget": {"maximum_ht": "38000.00"}}
    assert Decimal(update.after["score"]) == Decimal(100)


def test_input_the_domain_refuses_saves_nothing(cast: Cast, operation: Operation) -> None:
    answers = framing_answers()
    answers["features"].append(dict(answers["features"][0]))  # the same feature twice
    with pytest.raises(OpenAMOError):
        framing_service.save_framing(access_of(cast.mo, operation), cast.mo, answers_of(answers))
    assert not Framing.objects.filter(operation=operation).exists()
    assert events(operation, Action.CREATE)[-1].object_type != "framing"


def test_a_reader_cannot_frame_the_project(cast: Cast, operation: Operation) -> None:
    with pytest.raises(PermissionDenied):
        framing_service.save_framing(
            access_of(cast.reader, operation), cast.reader, answers_of(framing_answers())
        )


def test_the_baseline_comes_from_the_framing_and_only_the_maitre_d_ouvrage_validates_it(
    cast: Cast, operation: Operation
) -> None:
    baseline = steered(cast, operation, validated=False)
    assert baseline.budget_ht == Decimal("38000.00")
    assert baseline.summary["budget_with_margin_ht"] == "41800.00"
    assert baseline.data["features"][0]["name"] == "Dossier agent"
    for user in (cast.internal_amo, cast.consultant, cast.reader):
        with pytest.raises(PermissionDenied):
            framing_service.validate_baseline(access_of(user, operation), user)

    framing_service.validate_baseline(access_of(cast.mo, operation), cast.mo)
    baseline.refresh_from_db()
    assert baseline.is_validated and baseline.validated_by == cast.mo
    validated = events(operation, Action.VALIDATE)[-1]
    assert validated.before is not None and validated.after is not None
    assert (validated.before["status"], validated.after["status"]) == ("brouillon", "validee")


def test_a_validated_baseline_is_frozen(cast: Cast, operation: Operation) -> None:
    steered(cast, operation)
    with pytest.raises(OpenAMOError, match="figée"):
        framing_service.produce_baseline(access_of(cast.consultant, operation), cast.consultant)


def test_a_baseline_with_gaps_or_an_outdated_framing_cannot_be_validated(
    cast: Cast, operation: Operation
) -> None:
    access = access_of(cast.mo, operation)
    framing_service.save_framing(
        access, cast.mo, answers_of({"budget": {"maximum_ht": "38000.00"}})
    )
    framing_service.produce_baseline(access, cast.mo)
    with pytest.raises(OpenAMOError, match="compléter avant validation"):
        framing_service.validate_baseline(access, cast.mo)

    framing_service.save_framing(access, cast.mo, answers_of(framing_answers()))
    with pytest.raises(OpenAMOError, match="produisez-la à nouveau"):
        framing_service.validate_baseline(access, cast.mo)
    framing_service.produce_baseline(access, cast.mo)
    assert framing_service.validate_baseline(access, cast.mo).is_validated


# ---------------------------------------------------------------------------------------------
# Change requests and drift


def test_change_requests_wait_for_a_validated_baseline(cast: Cast, operation: Operation) -> None:
    steered(cast, operation, validated=False)
    with pytest.raises(OpenAMOError, match="valider la base de référence"):
        change_service.create_change_request(access_of(cast.mo, operation), cast.mo, change())


def test_the_amo_proposes_and_only_the_maitre_d_ouvrage_decides(
    cast: Cast, operation: Operation
) -> None:
    steered(cast, operation)
    request = change_service.create_change_request(
        access_of(cast.consultant, operation), cast.consultant, change()
    )
    assert request.code == "DE-01" and request.is_pending
    for user in (cast.consultant, cast.internal_amo, cast.reader):
        with pytest.raises(PermissionDenied):
            change_service.decide_change_request(
                access_of(user, operation), user, request, decision()
            )

    change_service.decide_change_request(
        access_of(cast.mo, operation), cast.mo, request, decision()
    )
    request.refresh_from_db()
    assert request.decision == "acceptee" and request.decided_by == cast.mo
    decided = events(operation, Action.DECIDE)[-1]
    assert decided.before is not None and decided.after is not None
    assert decided.before["decision"] == "en_attente"
    # 2 500 € on a 38 000 € budget with a 3 800 € margin: hand-computed drift after decision.
    assert decided.before["dérive budgétaire (% du budget)"] == "0.00"
    assert decided.after["dérive budgétaire (% du budget)"] == "6.58"
    assert decided.after["marge consommée (%)"] == "65.79"
    assert decided.after["niveau d'alerte"] == "vigilance"


def test_a_decided_request_no_longer_changes(cast: Cast, operation: Operation) -> None:
    steered(cast, operation)
    access = access_of(cast.mo, operation)
    request = change_service.create_change_request(access, cast.mo, change())
    change_service.decide_change_request(access, cast.mo, request, decision("refusee"))
    with pytest.raises(OpenAMOError, match="déjà décidée"):
        change_service.update_change_request(access, cast.mo, request, change(title="Autre"))
    with pytest.raises(OpenAMOError, match="déjà décidée"):
        change_service.decide_change_request(access, cast.mo, request, decision())


def test_a_decision_dated_before_the_request_is_refused_by_the_domain(
    cast: Cast, operation: Operation
) -> None:
    steered(cast, operation)
    access = access_of(cast.mo, operation)
    request = change_service.create_change_request(access, cast.mo, change())
    too_early = replace(decision(), decided_on=TODAY - datetime.timedelta(days=30))
    with pytest.raises(OpenAMOError) as refused:
        change_service.decide_change_request(access, cast.mo, request, too_early)
    assert "antérieure" in str(refused.value)
    request.refresh_from_db()
    assert request.is_pending


def test_cumulative_drift_and_the_alert_before_the_margin_is_consumed(
    cast: Cast, operation: Operation
) -> None:
    report = drifted(cast, operation)
    drift = report.changes
    # 3 200 / 38 000 = 8.42 % of the budget; 3 200 / 3 800 = 84.21 % of the margin: "alerte".
    assert drift.budget_drift_percent == Decimal("8.42")
    assert drift.margin_consumed_percent == Decimal("84.21")
    assert drift.alert.value == "alerte"
    # With the pending 900 €: 4 100 / 3 800 = 107.89 %, beyond the margin.
    assert drift.projected_margin_consumed_percent == Decimal("107.89")
    assert drift.projected_alert.value == "depassement"
    # Two accepted additions on four features in scope: +50 % of scope.
    assert drift.scope_drift_percent == Decimal("50.00")


# ---------------------------------------------------------------------------------------------
# Milestones, risks, KPIs


def test_a_milestone_reached_late_shows_the_slip(cast: Cast, operation: Operation) -> None:
    steered(cast, operation)
    access = access_of(cast.consultant, operation)
    forecast = TODAY + datetime.timedelta(days=78)  # go-live planned in 60 days
    follow_up_service.update_milestone(
        access, cast.consultant, "mise_en_service", MilestoneEntry(forecast_on=forecast)
    )
    report = state_service.load_state(operation).report
    assert report is not None
    assert report.schedule.go_live_slip_days == 18
    # 18 days on 180 planned days = 10 % of the duration: the tolerance is consumed.
    assert report.schedule.slip_percent == Decimal("10.00")
    assert report.schedule.alert.value == "alerte"


def test_a_milestone_cannot_be_reached_in_the_future(cast: Cast, operation: Operation) -> None:
    steered(cast, operation)
    access = access_of(cast.consultant, operation)
    with pytest.raises(OpenAMOError, match="après la date du rapport"):
        follow_up_service.update_milestone(
            access,
            cast.consultant,
            "recette",
            MilestoneEntry(actual_on=TODAY + datetime.timedelta(days=1)),
        )


def test_the_register_starts_with_the_five_pitfalls_and_keeps_committee_changes(
    cast: Cast, operation: Operation
) -> None:
    steered(cast, operation, validated=False)
    state = state_service.load_state(operation)
    register = state_service.risk_register(state)
    assert {r.id for r in register} == {
        "derive_perimetre",
        "besoins_mal_recueillis",
        "sponsor_absent",
        "dependance_integrateur",
        "conduite_changement_tardive",
    }
    access = access_of(cast.consultant, operation)
    lock_in = next(r for r in register if r.id == "dependance_integrateur")
    follow_up_service.save_risk(
        access,
        cast.consultant,
        lock_in.id,
        RiskFields(
            title=lock_in.title,
            description=lock_in.description,
            probability=1,
            impact=5,
            owner="Commande publique",
            mitigation="Clause de réversibilité\nExport CSV testé",
            status=RiskStatus.EN_TRAITEMENT,
            review_on=None,
        ),
    )
    follow_up_service.save_risk(
        access,
        cast.consultant,
        None,
        RiskFields(
            title="Clôture annuelle de la paie",
            description="",
            probability=3,
            impact=3,
            owner="",
            mitigation="",
            status=RiskStatus.OUVERT,
            review_on=None,
        ),
    )
    register = state_service.risk_register(state_service.load_state(operation))
    adjusted = next(r for r in register if r.id == "dependance_integrateur")
    assert (adjusted.probability, adjusted.score, adjusted.owner) == (1, 5, "Commande publique")
    assert adjusted.mitigation == ["Clause de réversibilité", "Export CSV testé"]
    assert adjusted.contract_clauses  # reversibility and data export clauses stay attached
    added = next(r for r in register if r.id == "risque_1")
    assert (added.score, added.level.value) == (9, "modere")
    assert Risk.objects.filter(operation=operation).count() == 2
    assert len(events(operation, Action.CREATE)) >= 2


def test_kpi_measurements_are_tracked_and_a_second_one_the_same_day_is_refused(
    cast: Cast, operation: Operation
) -> None:
    steered(cast, operation)
    access = access_of(cast.consultant, operation)
    kpi = "Part des agents utilisant le portail"
    first = MeasurementEntry(kpi=kpi, measured_on=TODAY, value=Decimal("40"))
    follow_up_service.add_measurement(access, cast.consultant, first)
    with pytest.raises(OpenAMOError, match="Deux mesures"):
        follow_up_service.add_measurement(
            access, cast.consultant, replace(first, value=Decimal("41"))
        )
    assert KpiMeasurement.objects.filter(operation=operation).count() == 1
    report = state_service.load_state(operation).report
    assert report is not None
    adoption = next(k for k in report.kpis if k.key == kpi)
    assert adoption.latest_value == Decimal("40")
    assert adoption.progress_percent == Decimal("50.0")


def test_a_deleted_measurement_leaves_the_dashboard_but_not_the_history(
    cast: Cast, operation: Operation
) -> None:
    steered(cast, operation)
    access = access_of(cast.consultant, operation)
    item = follow_up_service.add_measurement(
        access,
        cast.consultant,
        MeasurementEntry(
            kpi="Part des agents utilisant le portail", measured_on=TODAY, value=Decimal(5)
        ),
    )
    follow_up_service.delete_measurement(access, cast.consultant, item)
    assert state_service.load_state(operation).measurements == []
    assert KpiMeasurement.objects.deleted().filter(pk=item.pk).exists()
    assert events(operation, Action.DELETE)[-1].before is not None


# ---------------------------------------------------------------------------------------------
# Cost of drift and report


def test_the_simulation_is_the_domain_s_seeded_monte_carlo(
    cast: Cast, operation: Operation
) -> None:
    data = {
        "project": operation.title,
        "baseline_budget_ht": "38000.00",
        "amo_cost_ht": "4200.00",
        "runs": 100_000,
        "seed": 2026,
        "histogram_bins": 12,
    }
    roi = RoiInput.model_validate(data)
    simulation = roi_service.simulate_roi(
        access_of(cast.consultant, operation), cast.consultant, roi
    )
    expected = compute_roi(roi)
    assert simulation.result == expected.model_dump(mode="json")
    assert simulation.savings_ht == expected.savings_ht
    assert len(simulation.result["distribution"]["without_amo"]) == 12
    assert events(operation, Action.CREATE)[-1].object_type == "roisimulation"


def test_the_deterministic_mode_reproduces_the_worked_example(
    cast: Cast, operation: Operation
) -> None:
    data = RoiInput(baseline_budget_ht=Decimal("75000.00"), amo_cost_ht=Decimal("7352.94"))
    result = roi_service.simulate_roi(access_of(cast.mo, operation), cast.mo, data).result
    assert (result["cost_without_amo_ht"], result["cost_with_amo_ht"]) == ("95000.00", "82500.00")
    assert result["savings_ht"] == "12500.00"
    assert result["drift_prevented_per_euro"] == "1.70"


def test_the_defaults_of_the_simulation_form_come_from_the_baseline_and_the_domain(
    cast: Cast, operation: Operation
) -> None:
    steered(cast, operation)
    defaults = roi_service.roi_defaults(state_service.load_state(operation))
    assert defaults.baseline_budget_ht == Decimal("38000.00")
    assert defaults.margin_percent == Decimal("10.00")
    assert defaults.drift_without_percent == Decimal("26.66666667")
    assert defaults.drift_with_percent == Decimal("10.00")
    assert defaults.baseline_duration_months == 6  # 180 days kick-off → go-live
    # The AMO cost the article's 1.7 € per euro implies: 38 000 × 16.67 % / 1.7.
    assert defaults.amo_cost_ht == Decimal("3725.49")


def test_a_reader_cannot_simulate(cast: Cast, operation: Operation) -> None:
    with pytest.raises(PermissionDenied):
        roi_service.simulate_roi(
            access_of(cast.reader, operation),
            cast.reader,
            RoiInput(baseline_budget_ht=Decimal(1000), amo_cost_ht=Decimal(100)),
        )
    assert not RoiSimulation.objects.exists()


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_steering_report_is_generated_and_audited(
    cast: Cast, operation: Operation, fmt: str
) -> None:
    steered(cast, operation)
    name, content = report_service.steering_document(
        access_of(cast.reader, operation), cast.reader, fmt
    )
    assert name.endswith(f".{fmt}") and name.startswith("rapport-de-pilotage-")
    assert content[:4] == (b"%PDF" if fmt == "pdf" else b"PK\x03\x04")
    generated = events(operation, Action.GENERATE)[-1]
    assert generated.after == {"document": name, "situation": "normal"}
    assert generated.actor == cast.reader


def test_the_report_needs_a_validated_baseline(cast: Cast, operation: Operation) -> None:
    steered(cast, operation, validated=False)
    with pytest.raises(OpenAMOError):
        report_service.steering_document(access_of(cast.mo, operation), cast.mo, "pdf")
    assert Baseline.objects.get(operation=operation).status == "brouillon"
    assert not ChangeRequest.objects.exists()
