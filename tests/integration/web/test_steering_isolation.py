"""Every steering URL, GET and POST: a 404 for another organisation and for an AMO firm whose
share was revoked, exactly as for an object that does not exist; a 403 for a reader on every
write, with nothing changed; the same requests succeed for the maître d'ouvrage."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from openamo.web.audit.models import AuditEvent
from openamo.web.operations import services as operation_services
from openamo.web.operations.access import operation_access
from openamo.web.operations.kinds import OperationKind
from openamo.web.operations.models import Operation, Share
from openamo.web.steering.inputs import MeasurementEntry
from openamo.web.steering.models import ChangeRequest, KpiMeasurement
from openamo.web.steering.services import changes as change_service
from openamo.web.steering.services import follow_up as follow_up_service
from tests.integration.web.conftest import Cast, client_for, fresh, make_operation, text
from tests.integration.web.steering_data import TODAY, access_of, change, management, steered

pytestmark = pytest.mark.usefixtures("frozen_today")

KPI = "Part des agents utilisant le portail"
READ_PAGES = ["dashboard", "framing", "baseline", "changes", "schedule", "risks", "kpis", "roi"]
DOWNLOADS = ["report_pdf", "report_docx"]


@pytest.fixture
def operation(cast: Cast) -> Operation:
    """Steering is offered to IT projects only (``operations.kinds``)."""
    return make_operation(cast, kind=OperationKind.INFORMATIQUE)


@dataclass
class Steered:
    operation: Operation
    change: ChangeRequest
    measurement: KpiMeasurement

    def urls(self) -> dict[str, str]:
        pk = self.operation.pk
        by_name = {
            name: reverse(f"steering:{name}", args=[pk])
            for name in [
                *READ_PAGES,
                *DOWNLOADS,
                "framing_edit",
                "baseline_produce",
                "baseline_validate",
                "change_create",
                "risk_create",
            ]
        }
        for name in ("change_detail", "change_edit", "change_decide"):
            by_name[name] = reverse(f"steering:{name}", args=[pk, self.change.pk])
        by_name["milestone_edit"] = reverse("steering:milestone_edit", args=[pk, "recette"])
        by_name["risk_edit"] = reverse("steering:risk_edit", args=[pk, "sponsor_absent"])
        by_name["measurement_delete"] = reverse(
            "steering:measurement_delete", args=[pk, self.measurement.pk]
        )
        return by_name


def payloads() -> dict[str, dict[str, Any]]:
    """A valid POST for every write URL (the maître d'ouvrage's requests succeed with them)."""
    request = {
        "title": "Export vers le coffre-fort numérique",
        "kind": "ajout",
        "requested_on": TODAY.isoformat(),
        "cost_ht": "1 200,00",
        "delay_days": "5",
        "value": "forte",
        "justification": "Obligation d'archivage.",
    }
    risk = {"title": "Départ du chef de projet", "probability": "2", "impact": "4"}
    risk["status"] = "ouvert"
    return {
        "framing_edit": {
            "budget_maximum_ht": "40 000",
            "margin_percent": "10",
            **management("kpi"),
            **management("irritant"),
            **management("feature"),
        },
        "change_create": request,
        "change_edit": request,
        "change_decide": {"decision": "refusee", "decided_on": TODAY.isoformat()},
        "milestone_edit": {"forecast_on": (TODAY + datetime.timedelta(days=40)).isoformat()},
        "risk_create": risk,
        "risk_edit": risk,
        "kpis": {"kpi": KPI, "measured_on": TODAY.isoformat(), "value": "55"},
        "measurement_delete": {},
        "roi": {
            "mode": "deterministe",
            "baseline_budget_ht": "38000",
            "amo_cost_ht": "4000",
            "margin_percent": "10",
            "drift_without_percent": "26,67",
            "drift_with_percent": "10",
        },
        "baseline_produce": {},
        "baseline_validate": {},
    }


@pytest.fixture
def steered_operation(cast: Cast, operation: Operation) -> Steered:
    steered(cast, operation)
    access = access_of(cast.mo, operation)
    request = change_service.create_change_request(access, cast.mo, change())
    item = follow_up_service.add_measurement(
        access,
        cast.mo,
        MeasurementEntry(
            kpi=KPI, measured_on=TODAY - datetime.timedelta(days=1), value=Decimal(20)
        ),
    )
    return Steered(operation, request, item)


def state_of(operation: Operation) -> tuple[Any, ...]:
    """Everything a request could change, to prove that refused requests changed nothing."""
    return (
        AuditEvent.objects.filter(operation=operation).count(),
        list(ChangeRequest.objects.values_list("title", "decision", "cost_ht")),
        list(KpiMeasurement.objects.values_list("value", "deleted_at")),
        operation.framing.updated_at,
        operation.baseline.status,
        operation.risks.count(),
        operation.milestone_progress.count(),
        operation.roi_simulations.count(),
    )


def test_every_url_of_the_app_is_covered(steered_operation: Steered) -> None:
    included = [
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and p.namespace == "steering"
    ]
    names = {
        pattern.name
        for include in included
        for pattern in include.url_patterns
        if isinstance(pattern, URLPattern)
    }
    assert names == set(steered_operation.urls())


@pytest.mark.parametrize("outsider", ["outsider_mo", "other_consultant"])
def test_every_steering_url_is_a_404_for_another_organisation(
    cast: Cast, steered_operation: Steered, outsider: str
) -> None:
    client = client_for(getattr(cast, outsider))
    before = state_of(steered_operation.operation)
    bodies = payloads()
    for name, url in steered_operation.urls().items():
        assert client.get(url).status_code == 404, name
        assert client.post(url, bodies.get(name, {})).status_code == 404, name
    assert state_of(steered_operation.operation) == before


def test_an_amo_firm_loses_every_steering_url_when_the_share_is_revoked(
    cast: Cast, steered_operation: Steered
) -> None:
    client = client_for(cast.consultant)
    urls = steered_operation.urls()
    assert client.get(urls["dashboard"]).status_code == 200
    mo = fresh(cast.mo)
    operation = steered_operation.operation
    access = operation_access(mo, operation.pk)
    share = Share.objects.get(operation=operation, revoked_at__isnull=True)
    operation_services.revoke_share(access, mo, share)
    before = state_of(operation)
    for name, url in urls.items():
        assert client.get(url).status_code == 404, name
        assert client.post(url, payloads().get(name, {})).status_code == 404, name
    assert state_of(operation) == before


@pytest.mark.parametrize("reader", ["reader", "firm_reader"])
def test_a_reader_reads_every_page_and_every_write_is_refused(
    cast: Cast, steered_operation: Steered, reader: str
) -> None:
    client = client_for(getattr(cast, reader))
    urls = steered_operation.urls()
    for name in [*READ_PAGES, "change_detail"]:
        assert client.get(urls[name]).status_code == 200, name
    for name in DOWNLOADS:  # journaled: asked for by POST, a reader included
        assert client.get(urls[name]).status_code == 405, name
        assert client.post(urls[name]).status_code == 200, name
    before = state_of(steered_operation.operation)
    for name, body in payloads().items():
        response = client.post(urls[name], body)
        assert response.status_code == 403, name
        page = text(response)
        assert "lecteur" in page or "Seul un maître d'ouvrage" in page, name
    assert state_of(steered_operation.operation) == before


def test_the_same_requests_succeed_for_the_maitre_d_ouvrage(
    cast: Cast, steered_operation: Steered
) -> None:
    """The payloads above are valid: the 403 and 404 are about access, not about the input."""
    client = client_for(cast.mo)
    urls = steered_operation.urls()
    order = [
        "change_create",
        "change_edit",
        "change_decide",
        "milestone_edit",
        "risk_create",
        "risk_edit",
        "kpis",
        "measurement_delete",
        "roi",
        "framing_edit",
    ]
    bodies = payloads()
    for name in order:
        before = AuditEvent.objects.count()
        response = client.post(urls[name], bodies[name])
        assert response.status_code == 302, (name, response.content.decode()[:2000])
        assert AuditEvent.objects.count() > before, name


def test_an_object_of_another_operation_is_a_404_even_for_a_member(
    cast: Cast, steered_operation: Steered
) -> None:
    other = make_operation(cast, kind=OperationKind.INFORMATIQUE)
    client = client_for(cast.mo)
    pk = other.pk
    for url in (
        reverse("steering:change_detail", args=[pk, steered_operation.change.pk]),
        reverse("steering:change_decide", args=[pk, steered_operation.change.pk]),
        reverse("steering:measurement_delete", args=[pk, steered_operation.measurement.pk]),
        reverse("steering:milestone_edit", args=[pk, "recette"]),
        reverse("steering:risk_edit", args=[pk, "inconnu"]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"decision": "acceptee"}).status_code == 404, url
