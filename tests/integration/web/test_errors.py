"""Error pages: French DSFR pages with DEBUG off, a request id shown to the user and logged with
the traceback, 503 (page and JSON) while the database is unreachable."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client
from django.urls import reverse

from openamo.award.consultation import IndexTerm, Penalty
from openamo.errors import OpenAMOError
from openamo.web.errors import LocatedErrors
from openamo.web.operations.models import Lot, Operation
from tests.integration.web.conftest import Cast, client_for, text

FAILING = "tests.integration.web.failing_urls"


def anonymous() -> Client:
    return Client(raise_request_exception=False)


def test_an_unknown_address_gives_the_french_dsfr_page_not_djangos(cast: Cast) -> None:
    response = client_for(cast.mo).get("/nulle-part/")
    page = text(response)
    assert response.status_code == 404
    assert "Page non trouvée" in page and "fr-header" in page and "République" in page
    assert "URLconf" not in page and "Page not found" not in page


def test_a_reader_is_refused_with_a_french_403(cast: Cast, operation: Operation, lot: Lot) -> None:
    url = reverse("operations:lot_edit", args=[operation.pk, lot.pk])
    response = client_for(cast.reader).post(url, {})
    assert response.status_code == 403
    assert "Action non autorisée" in text(response) and "fr-header" in text(response)


@pytest.mark.urls(FAILING)
def test_a_server_error_shows_a_reference_that_the_log_repeats_with_the_traceback(
    db: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        response = anonymous().get("/panne/")
    assert response.status_code == 500
    reference = response["X-Request-ID"]
    page = text(response)
    assert "Erreur inattendue" in page and reference in page
    assert "RuntimeError" not in page and "Traceback" not in page
    logged = [r for r in caplog.records if r.name == "django.request"]
    assert logged and logged[0].request_id == reference  # type: ignore[attr-defined]
    assert logged[0].exc_info and logged[0].exc_info[0] is RuntimeError


@pytest.mark.urls(FAILING)
def test_a_proxy_request_id_is_kept_and_a_malformed_one_replaced(db: None) -> None:
    given = anonymous().get("/panne/", headers={"X-Request-ID": "nginx-0123456789abcdef"})
    assert given["X-Request-ID"] == "nginx-0123456789abcdef"
    forged = anonymous().get("/panne/", headers={"X-Request-ID": "a\nb <script>"})
    assert forged["X-Request-ID"] != "a\nb <script>" and len(forged["X-Request-ID"]) == 32


@pytest.mark.urls(FAILING)
def test_an_api_server_error_is_french_json_with_its_reference(db: None) -> None:
    response = anonymous().get("/api/panne/")
    assert response.status_code == 500
    error = json.loads(response.content)["error"]
    assert error["code"] == "internal_error" and error["request_id"] == response["X-Request-ID"]


@pytest.mark.urls(FAILING)
def test_an_unreachable_database_gives_a_503_page_and_json_asking_to_retry(
    db: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        page = anonymous().get("/panne-base/")
        api = anonymous().get("/api/panne-base/")
    assert page.status_code == 503 and page["Retry-After"]
    assert "Service momentanément indisponible" in text(page)
    assert "n'a pas été enregistré" in text(page)
    assert api.status_code == 503
    assert json.loads(api.content)["error"]["code"] == "database_unavailable"
    assert len([r for r in caplog.records if r.name == "django.request"]) == 2


def test_located_errors_gather_the_refusals_of_each_part_where_the_whole_json_puts_them() -> None:
    errors = LocatedErrors()
    good = errors.build("penalties[0]", lambda: Penalty(event="Retard", amount_ht="50", per="jour"))
    bad = errors.build("penalties[1]", lambda: Penalty(event="", amount_ht="-1", per="jour"))
    assert good is not None and bad is None
    errors.build("price", lambda: IndexTerm(weight="2", index_name="ICHT"))
    with pytest.raises(OpenAMOError) as raised:
        errors.raise_if_any("Le DCE n'est pas prêt.")
    assert raised.value.message == "Le DCE n'est pas prêt."
    assert [(d.location, d.message) for d in raised.value.details] == [
        ("penalties[1].event", "texte vide ou trop court (au moins 1)"),
        ("penalties[1].amount_ht", "le montant ne peut pas être négatif"),
        ("price.weight", "valeur trop grande (maximum 1)"),
    ]
    LocatedErrors().raise_if_any()  # nothing refused: nothing raised
