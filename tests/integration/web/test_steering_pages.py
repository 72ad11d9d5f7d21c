"""Every steering page renders for each role, with the domain's figures."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openamo.web.operations.models import Operation
from tests.integration.web.conftest import Cast, client_for, text
from tests.integration.web.steering_data import steered

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


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_for_the_maitre_d_ouvrage(
    cast: Cast, operation: Operation, page: str
) -> None:
    steered(cast, operation)
    response = client_for(cast.mo).get(reverse(f"steering:{page}", args=[operation.pk]))
    assert response.status_code == 200, text(response)[:3000]
