"""Property-based run of the whole OpenAPI schema: whatever the input, never a server error."""

from __future__ import annotations

import secrets
import string
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings

from openamo.web.operations.models import Operation
from tests.integration.web.conftest import Cast

EXAMPLES = 8


@dataclass
class Auth:
    headers: dict[str, str]
    cookies: dict[str, str]


@pytest.fixture
def api_schema(db: None) -> Iterator[Any]:
    # As Django's test client does: keep the test's transaction open across WSGI requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def auth(cast: Cast, operation: Operation) -> Auth:
    client = Client()
    client.force_login(cast.mo)
    token = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    return Auth(
        headers={"X-CSRFToken": token},
        cookies={"sessionid": client.cookies["sessionid"].value, "csrftoken": token},
    )


def test_the_api_never_answers_with_a_server_error(api_schema: Any, auth: Auth) -> None:
    checked = []
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def never_5xx(case: Any) -> None:
            response = case.call(headers=auth.headers, cookies=auth.cookies)
            where = (case.method, case.formatted_path, response.text[:500])
            assert response.status_code < 500, where
            if response.status_code >= 400:
                error = response.json()["error"]
                assert error["message"] and error["code"], where

        never_5xx()
        checked.append(operation.label)
    assert len(checked) >= 15
