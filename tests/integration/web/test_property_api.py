"""Every write of the API with the wrong content type or random bytes (issue 14, item 2): a
French JSON error (4xx), never a server error. Hypothesis draws the bodies; schemathesis'
run of the schema (``test_api_schemathesis``) covers the well-typed JSON."""

from __future__ import annotations

import os

from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openamo.web.api.api import api
from openamo.web.operations.models import Operation
from tests.integration.web.conftest import Cast, client_for
from tests.integration.web.property_walk import REPORT

EXAMPLES = 60 if os.environ.get("OPENAMO_FUZZ_DEEP") else 6
CONTENT_TYPES = [
    "multipart/form-data; boundary=xyz",
    "multipart/form-data",
    "application/x-www-form-urlencoded",
    "text/plain",
    "application/json",
    "application/json; charset=latin-1",
    "application/xml",
    "",
]
BODIES = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(str.encode),
    st.just(b'--xyz\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n--xyz--\r\n'),
    st.just(b"title=x&stage=execution"),
    st.just(b'{"title": "x\\u0000"}'),
    st.just(b'{"title": "' + b"x" * 1_000_000 + b'"}'),
    st.just('{"title": "été"}'.encode("latin-1")),
)


def write_routes(operation_id: int, contract_id: int) -> list[tuple[str, str]]:
    """(method, path) of every write of the schema, with real identifiers."""
    schema = api.get_openapi_schema()
    found = []
    for path, methods in schema["paths"].items():
        for method in methods:
            if method in ("post", "put", "patch", "delete"):
                real = path.replace("{operation_id}", str(operation_id))
                real = real.replace("{contract_id}", str(contract_id)).replace("{lot_id}", "1")
                found.append((method, real))
    return found


def test_every_api_write_answers_a_wrong_body_with_a_french_error(
    cast: Cast, operation: Operation
) -> None:
    client: Client = client_for(cast.mo)
    routes = write_routes(operation.pk, 1)
    assert len(routes) >= 8
    statuses: dict[int, int] = {}

    @given(
        route=st.sampled_from(routes),
        content_type=st.sampled_from(CONTENT_TYPES),
        body=BODIES,
    )
    @settings(
        max_examples=EXAMPLES * len(routes),
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def never_5xx(route: tuple[str, str], content_type: str, body: bytes) -> None:
        method, path = route
        response = client.generic(method.upper(), path, body, content_type=content_type)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        assert response.status_code < 500, (method, path, content_type, body[:80])
        if response.status_code >= 400:
            assert response.json()["error"]["message"], (method, path)

    never_5xx()
    REPORT.info("API : %s requêtes, réponses %s", sum(statuses.values()), statuses)
