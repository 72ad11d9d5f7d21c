"""The API: same services as the pages, CSRF-checked session auth, French JSON errors."""

from __future__ import annotations

import json
import secrets
import string
from typing import Any

import pytest
from django.test import Client

from openamo.procurement import choose_procedure_from_dict
from openamo.web.audit.models import AuditEvent
from openamo.web.operations.models import Operation
from openamo.web.users import AuthenticatedUser
from tests.integration.web.conftest import Cast

CHOICE = {
    "date": "2026-09-01",
    "buyer": "collectivite",
    "nature": "fournitures",
    "estimated_amount_ht": "170000.00",
    "duration_months": 12,
    "renewals": 3,
    "lots": [{"name": "Bio", "estimated_amount_ht": "62000.00"}],
}


def api_client(user: AuthenticatedUser) -> Client:
    """A browser-like client: CSRF enforced, token sent in X-CSRFToken."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    token = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    client.cookies["csrftoken"] = token
    client.defaults["HTTP_X_CSRFTOKEN"] = token
    return client


def send(client: Client, method: str, url: str, body: Any = None) -> Any:
    kwargs: dict[str, Any] = {"content_type": "application/json"}
    if body is not None:
        kwargs["data"] = body if isinstance(body, str) else json.dumps(body)
    return getattr(client, method)(url, **kwargs)


def test_the_stateless_choice_returns_the_domain_result(cast: Cast) -> None:
    response = send(api_client(cast.reader), "post", "/api/procedure/choix", CHOICE)
    assert response.status_code == 200
    assert response.json() == choose_procedure_from_dict(CHOICE).model_dump(mode="json")


@pytest.mark.parametrize(
    ("body", "status", "location", "message"),
    [
        ({**CHOICE, "colour": "bleu"}, 422, "colour", "champ inconnu"),
        ({**CHOICE, "nature": "bijoux"}, 422, "nature", "valeur non reconnue"),
        ({**CHOICE, "estimated_amount_ht": "douze"}, 422, "estimated_amount_ht", "montant"),
        ({k: v for k, v in CHOICE.items() if k != "date"}, 422, "date", "obligatoire"),
        ({**CHOICE, "renewals": 2, "duration_months": None}, 422, "", "reconductions"),
    ],
)
def test_bad_input_is_a_4xx_with_french_messages(
    cast: Cast, body: dict[str, Any], status: int, location: str, message: str
) -> None:
    response = send(api_client(cast.reader), "post", "/api/procedure/choix", body)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["message"] == "Entrée invalide."
    assert any(location in d["location"] and message in d["message"] for d in error["details"]), (
        error
    )


def test_a_body_that_is_not_json_is_a_400_in_french(cast: Cast) -> None:
    response = send(api_client(cast.reader), "post", "/api/procedure/choix", "{pas du json")
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("Requête invalide")


def test_a_domain_refusal_is_a_400_with_its_french_message(cast: Cast) -> None:
    response = send(
        api_client(cast.reader), "post", "/api/procedure/choix", {**CHOICE, "date": "2000-01-01"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "date_out_of_range"


def test_changes_without_the_csrf_token_are_refused(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.mo)
    response = send(client, "post", "/api/procedure/choix", CHOICE)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf"


def test_the_full_workflow_through_the_api(cast: Cast) -> None:
    mo, consultant = api_client(cast.mo), api_client(cast.consultant)
    created = send(
        mo,
        "post",
        "/api/operations",
        {"organisation_id": cast.commune.pk, "title": "Nouveau logiciel de gestion RH"},
    )
    assert created.status_code == 201, created.json()
    op_id = created.json()["id"]
    base = f"/api/operations/{op_id}"
    assert send(consultant, "get", base).status_code == 404  # not shared yet
    from openamo.web.operations import services
    from openamo.web.operations.access import operation_access
    from tests.integration.web.conftest import fresh

    marie = fresh(cast.mo)
    services.share_operation(operation_access(marie, op_id), marie, cast.amo_firm)

    need = {"nature": "services", "estimated_amount_ht": "38000.00", "duration_months": 48}
    assert send(consultant, "put", f"{base}/besoin", need).json()["estimated_amount_ht"] == (
        "38000.00"
    )
    lot = send(consultant, "post", f"{base}/lots", {"name": "Licences", "estimated_amount_ht": "1"})
    assert lot.status_code == 201
    lot_id = lot.json()["id"]
    patched = send(consultant, "patch", f"{base}/lots/{lot_id}", {"estimated_amount_ht": "20000"})
    assert patched.json()["estimated_amount_ht"] == "20000.00"
    assert send(consultant, "delete", f"{base}/lots/{lot_id}").status_code == 204
    assert send(consultant, "get", f"{base}/lots").json() == []

    analysed = send(consultant, "post", f"{base}/consultation/analyse", {"date": "2026-09-01"})
    assert analysed.status_code == 200, analysed.json()
    assert analysed.json()["result"] == choose_procedure_from_dict(
        analysed.json()["input"]
    ).model_dump(mode="json")
    refused = send(consultant, "post", f"{base}/consultation/validation")
    assert refused.status_code == 403
    assert "maître d'ouvrage" in refused.json()["error"]["message"]
    validated = send(mo, "post", f"{base}/consultation/validation")
    assert validated.json()["status"] == "validee"
    assert validated.json()["validated_by"] == "marie"

    history = send(mo, "get", f"{base}/historique").json()
    assert [h["action"] for h in history][:3] == ["update", "validate", "analyse"]
    assert send(mo, "delete", base).status_code == 204
    assert send(mo, "get", base).status_code == 404
    assert Operation.objects.get(pk=op_id).deleted_at is not None
    assert AuditEvent.objects.filter(operation_id=op_id, action="delete").count() == 2


def test_unknown_fields_on_resources_are_refused(cast: Cast, operation: Operation) -> None:
    response = send(api_client(cast.mo), "patch", f"/api/operations/{operation.pk}", {"titre": "X"})
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["location"] == "titre"


def test_a_reader_gets_a_403_on_changes(cast: Cast, operation: Operation) -> None:
    response = send(
        api_client(cast.reader), "patch", f"/api/operations/{operation.pk}", {"title": "X"}
    )
    assert response.status_code == 403
    assert "lecteur" in response.json()["error"]["message"]


def test_the_list_is_paginated_and_bounded(cast: Cast, operation: Operation) -> None:
    client = api_client(cast.mo)
    page = client.get("/api/operations", {"page_size": 1}).json()
    assert (page["count"], len(page["results"])) == (1, 1)
    assert page["results"][0]["consultation_status"] is None
    assert client.get("/api/operations", {"page_size": 1000}).status_code == 422


def test_the_openapi_schema_is_published(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "API OpenAMO"
    assert "/api/operations/{operation_id}/consultation/validation" in schema["paths"]
    assert client.get("/api/docs").status_code == 200
