"""The maître d'ouvrage decides, the AMO prepares, the lecteur reads."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from openamo.web.operations import services
from openamo.web.operations.access import operation_access
from openamo.web.operations.models import ConsultationStatus, Lot, Operation
from openamo.web.operations.requests import Circumstances
from tests.integration.web.conftest import Cast, client_for, fresh, text

WIZARD = {
    "date": "2026-09-01",
    "nature": "fournitures",
    "estimated_amount_ht": "170000,00",
    "duration_months": "12",
    "renewals": "3",
    "electronic_submission": "on",
}


@pytest.mark.parametrize("reader", ["reader", "firm_reader"])
def test_a_reader_sees_the_operation_but_every_change_is_refused_with_a_403(
    cast: Cast, operation: Operation, lot: Lot, reader: str
) -> None:
    client = client_for(getattr(cast, reader))
    assert client.get(reverse("operations:detail", args=[operation.pk])).status_code == 200
    assert client.get(reverse("operations:history", args=[operation.pk])).status_code == 200
    for name in ["edit", "need", "lot_create", "wizard", "sharing", "delete"]:
        response = client.post(reverse(f"operations:{name}", args=[operation.pk]), WIZARD)
        assert response.status_code == 403, name
    response = client.post(reverse("operations:lot_edit", args=[operation.pk, lot.pk]), {})
    assert response.status_code == 403
    assert "lecteur" in text(response)


def test_the_shared_amo_firm_prepares_but_cannot_validate_share_or_delete(
    cast: Cast, operation: Operation
) -> None:
    client = client_for(cast.consultant)
    response = client.post(reverse("operations:wizard", args=[operation.pk]), WIZARD)
    assert response.status_code == 302
    consultation = operation.consultation
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.A_VALIDER

    refused = client.post(reverse("operations:validate", args=[operation.pk]))
    assert refused.status_code == 403
    assert "maître d'ouvrage" in text(refused)
    for name in ["sharing", "delete"]:
        assert client.post(reverse(f"operations:{name}", args=[operation.pk])).status_code == 403
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.A_VALIDER


def test_the_buyers_own_amo_member_cannot_validate_either(cast: Cast, operation: Operation) -> None:
    mo = fresh(cast.mo)
    services.analyse_procedure(
        operation_access(mo, operation.pk), mo, Circumstances(datetime.date(2026, 9, 1))
    )
    response = client_for(cast.internal_amo).post(
        reverse("operations:validate", args=[operation.pk])
    )
    assert response.status_code == 403


def test_the_maitre_d_ouvrage_validates_and_the_operation_moves_to_passation(
    cast: Cast, operation: Operation
) -> None:
    consultant = fresh(cast.consultant)
    services.analyse_procedure(
        operation_access(consultant, operation.pk),
        consultant,
        Circumstances(datetime.date(2026, 9, 1)),
    )
    response = client_for(cast.mo).post(reverse("operations:validate", args=[operation.pk]))
    assert response.status_code == 302
    operation.refresh_from_db()
    operation.consultation.refresh_from_db()
    assert operation.consultation.status == ConsultationStatus.VALIDEE
    assert operation.consultation.validated_by == cast.mo
    assert operation.stage == "passation"


def test_validating_without_a_pending_analysis_explains_what_to_do(
    cast: Cast, operation: Operation
) -> None:
    response = client_for(cast.mo).post(
        reverse("operations:validate", args=[operation.pk]), follow=True
    )
    assert "lancez d'abord l'assistant" in text(response)


def test_an_amo_firm_member_cannot_create_an_operation(cast: Cast) -> None:
    client = client_for(cast.consultant)
    response = client.post(reverse("operations:create"), {"title": "X", "stage": "amont"})
    assert response.status_code == 302
    assert Operation.objects.count() == 0
