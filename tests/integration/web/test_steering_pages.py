"""The steering pages: what they show (the domain's figures and charts), and bad input that
keeps what the user typed and says what is wrong in French, next to the field."""

from __future__ import annotations

import datetime
import re
import time
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openamo.steering import roi_from_dict
from openamo.web.operations.kinds import OperationKind
from openamo.web.operations.models import Operation
from openamo.web.steering.inputs import MeasurementEntry
from openamo.web.steering.models import ChangeRequest, Framing, KpiMeasurement, RoiSimulation
from openamo.web.steering.presenters.changes import drift_chart
from openamo.web.steering.presenters.follow_up import kpi_cards
from openamo.web.steering.presenters.labels import euros, number
from openamo.web.steering.presenters.roi import roi_chart
from openamo.web.steering.services import changes as change_service
from openamo.web.steering.services import follow_up as follow_up_service
from openamo.web.steering.services import state as state_service
from tests.integration.web.conftest import Cast, client_for, make_operation, text
from tests.integration.web.steering_data import (
    TODAY,
    access_of,
    change,
    decision,
    drifted,
    management,
    steered,
)

pytestmark = pytest.mark.usefixtures("frozen_today")

PAGES = [
    "dashboard",
    "framing",
    "framing_edit",
    "baseline",
    "changes",
    "change_create",
    "schedule",
    "risks",
    "risk_create",
    "kpis",
    "roi",
]


@pytest.fixture
def operation(cast: Cast) -> Operation:
    """Steering is offered to IT projects only (``operations.kinds``)."""
    return make_operation(cast, kind=OperationKind.INFORMATIQUE)


def url(name: str, operation: Operation, *args: Any) -> str:
    return reverse(f"steering:{name}", args=[operation.pk, *args])


def errors_next_to(page: str, field: str) -> list[str]:
    """The DSFR error messages rendered for ``field`` (its ``…-desc-error`` block)."""
    block = re.search(rf'id="id_{field}-desc-error">(.*?)</div>', page, re.S)
    return re.findall(r"<li[^>]*>\s*(.*?)\s*</li>", block.group(1), re.S) if block else []


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_before_and_after_the_framing(
    cast: Cast, operation: Operation, page: str
) -> None:
    client = client_for(cast.mo)
    assert client.get(url(page, operation)).status_code == 200
    steered(cast, operation)
    assert client.get(url(page, operation)).status_code == 200


def test_an_operation_page_offers_to_frame_the_project_then_shows_its_steering(
    cast: Cast, operation: Operation
) -> None:
    detail = reverse("operations:detail", args=[operation.pk])
    page = text(client_for(cast.consultant).get(detail))
    assert "Pilotage du projet informatique" in page
    assert "Cadrer ce projet informatique" in page
    assert "Cadrer ce projet informatique" not in text(client_for(cast.reader).get(detail))

    steered(cast, operation)
    access = access_of(cast.mo, operation)
    request = change_service.create_change_request(access, cast.mo, change())
    change_service.decide_change_request(access, cast.mo, request, decision())
    page = text(client_for(cast.reader).get(detail))
    assert "score de complétude <strong>100/100</strong>" in page
    assert "<strong>6,58\u00a0%</strong> du budget" in page
    assert "Cadrer ce projet informatique" not in page


def test_the_questionnaire_keeps_every_answer_and_shows_the_missing_ones(
    cast: Cast, operation: Operation
) -> None:
    client = client_for(cast.consultant)
    data = {
        "objective_statement": "Diviser par trois le délai des congés",
        "budget_maximum_ht": "38 000,00",
        "margin_percent": "10",
        "kickoff_on": "2027-01-11",
        "go_live_on": "2027-06-01",
        "key_users": "Gestionnaire paie\nRéférent services techniques",
        **management("kpi"),
        **management("irritant"),
        "feature-TOTAL_FORMS": "2",
        "feature-INITIAL_FORMS": "0",
        "feature-0-name": "Dossier agent",
        "feature-0-priority": "indispensable",
        "feature-0-estimated_cost_ht": "20 000",
    }
    response = client.post(url("framing_edit", operation), data)
    assert response.status_code == 302
    framing = Framing.objects.get(operation=operation)
    assert framing.answers["resources"]["key_users"] == [
        "Gestionnaire paie",
        "Référent services techniques",
    ]
    assert framing.answers["features"] == [
        {"name": "Dossier agent", "priority": "indispensable", "estimated_cost_ht": "20000.00"}
    ]
    page = text(client.get(url("framing", operation)))
    assert f"Score de complétude : {number(framing.score, 1)}/100" in page
    assert "date de recette" in page  # what is missing in question 7
    assert "Sans jalons datés, le retard ne se mesure pas" in page  # why it matters (domain)

    edit = text(client.get(url("framing_edit", operation)))
    assert "Diviser par trois le délai des congés" in edit
    assert 'value="Dossier agent"' in edit
    assert "Gestionnaire paie\nRéférent services techniques" in edit


def test_a_bad_questionnaire_keeps_the_input_and_says_what_is_wrong_in_french(
    cast: Cast, operation: Operation
) -> None:
    data = {
        "objective_statement": "Objectif à garder",
        "budget_maximum_ht": "beaucoup",
        "kickoff_on": "2027-13-45",
        **management("kpi"),
        **management("irritant"),
        "feature-TOTAL_FORMS": "1",
        "feature-INITIAL_FORMS": "0",
        "feature-0-priority": "indispensable",
    }
    response = client_for(cast.consultant).post(url("framing_edit", operation), data)
    assert response.status_code == 200
    page = text(response)
    assert errors_next_to(page, "budget_maximum_ht") == ["Saisissez un nombre."]
    assert errors_next_to(page, "kickoff_on") == ["Saisissez une date valide."]
    assert errors_next_to(page, "feature-0-name") == [
        "Renseignez ce champ ou videz toute la ligne."
    ]
    assert "Objectif à garder" in page and 'value="beaucoup"' in page
    assert not Framing.objects.exists()


def test_a_duplicate_feature_is_refused_by_the_domain_with_its_french_message(
    cast: Cast, operation: Operation
) -> None:
    rows = {
        "feature-TOTAL_FORMS": "2",
        "feature-INITIAL_FORMS": "0",
        "feature-0-name": "Portail",
        "feature-0-priority": "importante",
        "feature-1-name": "Portail",
        "feature-1-priority": "souhaitable",
    }
    data = {**management("kpi"), **management("irritant"), **rows}
    response = client_for(cast.mo).post(url("framing_edit", operation), data)
    assert response.status_code == 200
    assert "fonctionnalité « Portail » en double" in text(response)
    assert not Framing.objects.exists()


def test_a_bad_change_request_keeps_the_input(cast: Cast, operation: Operation) -> None:
    steered(cast, operation)
    data = {
        "title": "Signature électronique",
        "kind": "ajout",
        "requested_on": (TODAY + datetime.timedelta(days=3)).isoformat(),
        "cost_ht": "mille",
        "delay_days": "7",
        "value": "forte",
        "justification": "Justification à garder",
    }
    response = client_for(cast.consultant).post(url("change_create", operation), data)
    assert response.status_code == 200
    page = text(response)
    assert errors_next_to(page, "cost_ht") == ["Saisissez un nombre."]
    assert errors_next_to(page, "requested_on") == [
        "Cette date est dans le futur : indiquez la date où c'est arrivé."
    ]
    assert 'value="Signature électronique"' in page and "Justification à garder" in page
    assert not ChangeRequest.objects.exists()


def test_the_decision_form_says_what_is_missing(cast: Cast, operation: Operation) -> None:
    steered(cast, operation)
    request = change_service.create_change_request(access_of(cast.mo, operation), cast.mo, change())
    response = client_for(cast.mo).post(
        url("change_decide", operation, request.pk), {"decided_on": TODAY.isoformat()}
    )
    assert response.status_code == 200
    assert errors_next_to(text(response), "decision") == ["Ce champ est obligatoire."]
    request.refresh_from_db()
    assert request.is_pending


def test_the_maitre_d_ouvrage_decides_from_the_request_page(
    cast: Cast, operation: Operation
) -> None:
    steered(cast, operation)
    request = change_service.create_change_request(
        access_of(cast.consultant, operation), cast.consultant, change()
    )
    consultant_view = text(
        client_for(cast.consultant).get(url("change_detail", operation, request.pk))
    )
    assert "Enregistrer la décision" not in consultant_view
    assert "Seul un maître d'ouvrage de l'acheteur peut accepter ou refuser" in consultant_view

    client = client_for(cast.mo)
    assert "Enregistrer la décision" in text(
        client.get(url("change_detail", operation, request.pk))
    )
    posted = {"decision": "acceptee", "decided_on": TODAY, "decision_note": "Vu en comité."}
    response = client.post(url("change_decide", operation, request.pk), posted)
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.decision == "acceptee"


def test_the_drift_chart_follows_the_accepted_requests_against_the_margin(
    cast: Cast, operation: Operation
) -> None:
    report = drifted(cast, operation)
    chart = drift_chart(report)
    day = f"{TODAY:%d/%m/%Y}"
    assert chart.table_header == [
        "",
        "Dérive budgétaire cumulée (évolutions acceptées)",
        "Projection avec les demandes en attente",
    ]
    assert chart.table_rows == [
        ["Base de référence", "0\u00a0%", "—"],
        [f"{day} (DE-01)", "3,95\u00a0%", "—"],  # 1 500 / 38 000
        [f"{day} (DE-02)", "8,42\u00a0%", "8,42\u00a0%"],  # 3 200 / 38 000
        [day, "—", "10,79\u00a0%"],  # with the pending 900 €: 4 100 / 38 000
    ]
    assert [rule.label for rule in chart.rules] == ["Marge budgétaire : 10\u00a0%"]
    page = text(client_for(cast.reader).get(url("changes", operation)))
    assert "Dérive budgétaire cumulée face à la marge" in page and "<svg" in page
    assert "84,21\u00a0%" in page  # margin consumed: 3 200 / 3 800


def test_kpis_are_charted_against_their_target(cast: Cast, operation: Operation) -> None:
    steered(cast, operation)
    access = access_of(cast.consultant, operation)
    kpi = "Part des agents utilisant le portail"
    for days, value in ((60, "20"), (30, "35"), (1, "52")):
        follow_up_service.add_measurement(
            access,
            cast.consultant,
            MeasurementEntry(
                kpi=kpi, measured_on=TODAY - datetime.timedelta(days=days), value=Decimal(value)
            ),
        )
    report = state_service.load_state(operation).report
    assert report is not None
    card = next(c for c in kpi_cards(report) if c.key == kpi)
    assert [row[1] for row in card.chart.table_rows] == ["20\u00a0%", "35\u00a0%", "52\u00a0%"]
    assert card.chart.rules[0].label == "Cible : 80\u00a0%"
    assert card.latest == "52\u00a0%"
    page = text(client_for(cast.reader).get(url("kpis", operation)))
    assert "Part des agents utilisant le portail — mesures et cible" in page
    assert "Enregistrer la mesure" not in page  # a reader sees, does not record


def test_a_measurement_the_domain_refuses_is_shown_next_to_the_form(
    cast: Cast, operation: Operation
) -> None:
    steered(cast, operation)
    client = client_for(cast.consultant)
    data = {"kpi": "Part des agents utilisant le portail", "measured_on": TODAY.isoformat()}
    assert client.post(url("kpis", operation), {**data, "value": "30"}).status_code == 302
    response = client.post(url("kpis", operation), {**data, "value": "31,5"})
    assert response.status_code == 200
    page = text(response)
    assert f"Deux mesures de « Part des agents utilisant le portail » le {TODAY:%d/%m/%Y}" in page
    assert 'value="31,5"' in page
    assert KpiMeasurement.objects.count() == 1


def test_the_simulation_page_runs_the_monte_carlo_and_draws_both_distributions(
    cast: Cast, operation: Operation
) -> None:
    steered(cast, operation)
    client = client_for(cast.consultant)
    form = text(client.get(url("roi", operation)))
    assert 'value="38\u202f000,00"' in form and 'value="26,66666667"' in form  # domain defaults
    data = {
        "mode": "monte_carlo",
        "runs": "100000",
        "seed": "7",
        "baseline_budget_ht": "38 000",
        "amo_cost_ht": "4 200",
        "margin_percent": "10",
        "drift_without_percent": "26,66666667",
        "drift_with_percent": "10",
    }
    started = time.perf_counter()
    assert client.post(url("roi", operation), data).status_code == 302
    # 100 000 draws, their percentiles and histogram, stored and audited: well under a second.
    assert time.perf_counter() - started < 1.0
    simulation = RoiSimulation.objects.get()
    expected = roi_from_dict(simulation.input)
    assert simulation.input["runs"] == 100_000 and simulation.input["seed"] == 7
    assert simulation.result == expected.model_dump(mode="json")

    page = text(client.get(url("roi", operation)))
    assert euros(expected.cost_without_amo_ht) in page
    assert euros(expected.savings_ht) in page
    assert expected.percentiles is not None
    assert euros(expected.percentiles["cost_without_amo_ht"].p90) in page
    chart = roi_chart(simulation.to_domain())
    assert chart is not None
    assert chart.table_header == ["", "Sans AMO", "Avec AMO"]
    assert len(chart.table_rows) == 12
    assert expected.distribution is not None
    assert [int(r[1].replace("\u202f", "")) for r in chart.table_rows] == (
        expected.distribution.without_amo
    )
    assert "Distribution du coût final simulé" in page


def test_a_bad_simulation_keeps_the_input(cast: Cast, operation: Operation) -> None:
    data = {
        "mode": "monte_carlo",
        "runs": "5000000",
        "baseline_budget_ht": "38000",
        "amo_cost_ht": "",
        "margin_percent": "10",
        "drift_without_percent": "trente",
        "drift_with_percent": "10",
    }
    response = client_for(cast.mo).post(url("roi", operation), data)
    assert response.status_code == 200
    page = text(response)
    assert errors_next_to(page, "runs") == [
        "Assurez-vous que cette valeur est inférieure ou égale à 100000."
    ]
    assert errors_next_to(page, "amo_cost_ht") == ["Ce champ est obligatoire."]
    assert errors_next_to(page, "drift_without_percent") == ["Saisissez un nombre."]
    assert 'value="trente"' in page
    assert not RoiSimulation.objects.exists()


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("pdf", "application/pdf"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_the_report_downloads_as_an_attachment(
    cast: Cast, operation: Operation, fmt: str, content_type: str
) -> None:
    steered(cast, operation)
    response = client_for(cast.reader).post(url(f"report_{fmt}", operation))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="rapport-de-pilotage-renouvellement-de-la-restauration-scolaire-2027'
        f'-{TODAY:%Y-%m-%d}.{fmt}"'
    )


def test_the_report_of_an_unvalidated_baseline_is_explained_not_a_traceback(
    cast: Cast, operation: Operation
) -> None:
    steered(cast, operation, validated=False)
    response = client_for(cast.mo).post(url("report_pdf", operation), follow=True)
    assert response.status_code == 200
    assert "Le maître d'ouvrage doit d'abord valider la base de référence" in text(response)


def test_the_change_list_runs_a_fixed_number_of_queries(cast: Cast, operation: Operation) -> None:
    steered(cast, operation)
    access = access_of(cast.mo, operation)
    client = client_for(cast.mo)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("changes", operation)).status_code == 200
        return len(captured)

    for _ in range(2):
        change_service.decide_change_request(
            access,
            cast.mo,
            change_service.create_change_request(access, cast.mo, change()),
            decision(),
        )
    few = queries()
    for _ in range(8):
        change_service.decide_change_request(
            access,
            cast.mo,
            change_service.create_change_request(access, cast.mo, change()),
            decision(),
        )
    assert queries() == few


def test_the_operation_history_tells_the_steering_story_in_french(
    cast: Cast, operation: Operation
) -> None:
    steered(cast, operation)
    access = access_of(cast.mo, operation)
    request = change_service.create_change_request(access, cast.mo, change())
    change_service.decide_change_request(access, cast.mo, request, decision())
    page = text(client_for(cast.reader).get(reverse("operations:history", args=[operation.pk])))
    assert "Demande d'évolution — DE-01 — Module de gestion des astreintes" in page
    assert "Base de référence — Base de référence — " in page
    assert "décision : en_attente → acceptee" not in page
    assert "décision : en attente de décision → acceptée" in page
    assert "dérive budgétaire (% du budget) : 0,00 → 6,58" in page
    assert "réponses au cadrage" not in page  # the framing record itself is not dumped


def test_saving_the_questionnaire_unchanged_keeps_the_same_framing(
    cast: Cast, operation: Operation
) -> None:
    """The form shows the stored record and gives it back: same score, same baseline."""
    steered(cast, operation, validated=False)
    before = Framing.objects.get(operation=operation)
    client = client_for(cast.mo)
    response = client.get(url("framing_edit", operation))
    data: dict[str, Any] = {}
    for form in [response.context["form"], *response.context["formsets"].values()]:
        forms = form.forms if hasattr(form, "forms") else [form]
        if hasattr(form, "management_form"):
            for bound in form.management_form:
                data[bound.html_name] = bound.value()
        for item in forms:
            for bound in item:
                value = bound.value()
                if isinstance(value, bool):
                    if value:
                        data[bound.html_name] = "on"
                elif value is not None:
                    data[bound.html_name] = bound.field.widget.format_value(value) or ""
    assert client.post(url("framing_edit", operation), data).status_code == 302
    after = Framing.objects.get(operation=operation)
    assert after.score == before.score == Decimal(100)
    old, new = before.result["baseline"], after.result["baseline"]
    assert Decimal(new.pop("margin_rate")) == Decimal(old.pop("margin_rate")) == Decimal("0.1")
    assert new == old
    assert after.result["questions"] == before.result["questions"]


def test_the_dashboard_lists_the_requests_awaiting_the_maitre_d_ouvrage(
    cast: Cast, operation: Operation
) -> None:
    steered(cast, operation)
    change_service.create_change_request(
        access_of(cast.consultant, operation), cast.consultant, change()
    )
    mine = text(client_for(cast.mo).get(url("dashboard", operation)))
    assert "Demandes en attente de votre décision" in mine
    assert "DE-01 — Module de gestion des astreintes</a> : 2\u202f500,00\u00a0€ HT" in mine
    theirs = text(client_for(cast.consultant).get(url("dashboard", operation)))
    assert "Demandes en attente de la décision du maître d'ouvrage" in theirs
