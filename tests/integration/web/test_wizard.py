"""The procedure wizard asks, calls openamo.procurement, shows its verdict; nothing re-implemented."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from openamo.money import format_euros
from openamo.procurement import choose_procedure_from_dict
from openamo.web.audit.models import AuditEvent
from openamo.web.operations.models import Consultation, ConsultationStatus, Lot, Operation
from tests import clock
from tests.integration.web.conftest import Cast, client_for, text

pytestmark = pytest.mark.usefixtures("frozen_today")

LAUNCH = clock.TODAY + datetime.timedelta(days=60)


def answers(**overrides: str) -> dict[str, str]:
    data = {
        "date": LAUNCH.isoformat(),
        "object": "Denrées alimentaires",
        "nature": "fournitures",
        "estimated_amount_ht": "170 000,00",
        "duration_months": "12",
        "renewals": "3",
        "renewal_duration_months": "12",
        "options_amount_ht": "",
        "electronic_submission": "on",
        "planned_response_days": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_wizard_is_prefilled_with_the_need(cast: Cast, operation: Operation) -> None:
    response = client_for(cast.consultant).get(reverse("operations:wizard", args=[operation.pk]))
    form = response.context["form"]
    assert form.initial["estimated_amount_ht"] == operation.need.estimated_amount_ht
    assert form.initial["renewals"] == 3
    assert "Frais" in text(response)


def test_the_verdict_is_the_domain_s_answer_for_the_stored_need_and_lots(
    cast: Cast, operation: Operation
) -> None:
    client = client_for(cast.consultant)
    response = client.post(reverse("operations:wizard", args=[operation.pk]), answers())
    assert response["Location"] == reverse("operations:consultation", args=[operation.pk])

    consultation = Consultation.objects.get(operation=operation)
    expected = choose_procedure_from_dict(consultation.input).model_dump(mode="json")
    assert consultation.result == expected
    assert consultation.input["lots"] == [
        {"name": "Bio", "estimated_amount_ht": "62000.00"},
        {"name": "Local", "estimated_amount_ht": "48000.00"},
        {"name": "Frais", "estimated_amount_ht": "41000.00"},
    ]
    assert consultation.input["buyer"] == "collectivite"
    assert consultation.status == ConsultationStatus.A_VALIDER
    assert consultation.procedure == expected["procedure"]
    min_days = expected["min_response_days"]
    assert consultation.response_deadline == LAUNCH + datetime.timedelta(days=min_days)

    page = text(client.get(reverse("operations:consultation", args=[operation.pk])))
    for reference in expected["references"]:
        assert reference in page
    for warning in expected["warnings"]:
        assert warning in page
    for lot in expected["lots"]:
        assert lot["explanation"] in page
    assert f"{min_days} jours" in page
    assert expected["procedure"] == "formalisee"
    assert "Appel d'offres ouvert — réception des offres : 30 jours" in page
    assert "appel_offres" not in page


def test_a_planned_response_delay_sets_the_deadline_and_a_short_one_is_warned(
    cast: Cast, operation: Operation
) -> None:
    client = client_for(cast.mo)
    client.post(
        reverse("operations:wizard", args=[operation.pk]), answers(planned_response_days="3")
    )
    consultation = Consultation.objects.get(operation=operation)
    assert consultation.response_deadline == LAUNCH + datetime.timedelta(days=3)
    assert (
        consultation.result["warnings"]
        == choose_procedure_from_dict(consultation.input).model_dump(mode="json")["warnings"]
    )
    assert any("3 jours" in w for w in consultation.result["warnings"])


def test_a_date_the_law_data_does_not_cover_is_explained_next_to_the_date(
    cast: Cast, operation: Operation
) -> None:
    client = client_for(cast.mo)
    response = client.post(
        reverse("operations:wizard", args=[operation.pk]),
        answers(date="2000-01-01", estimated_amount_ht="999 999,00"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "n'est pas connu avant" in " ".join(form.errors["date"])
    assert 'value="999 999,00"' in text(response)
    # Nothing was saved: neither the new amount nor an analysis.
    operation.need.refresh_from_db()
    assert str(operation.need.estimated_amount_ht) == "170000.00"
    assert not Consultation.objects.filter(operation=operation).exists()


def test_changing_a_lot_after_the_analysis_withdraws_it_from_validation(
    cast: Cast, operation: Operation, lot: Lot
) -> None:
    client = client_for(cast.consultant)
    client.post(reverse("operations:wizard", args=[operation.pk]), answers())
    client.post(
        reverse("operations:lot_edit", args=[operation.pk, lot.pk]),
        {"number": "1", "name": "Bio", "estimated_amount_ht": "90000"},
    )
    consultation = Consultation.objects.get(operation=operation)
    assert consultation.status == ConsultationStatus.BROUILLON
    page = text(client_for(cast.mo).get(reverse("operations:consultation", args=[operation.pk])))
    assert "Analyse à refaire" in page
    assert "Valider ce choix" not in page


def test_the_whole_workflow_is_in_the_history_with_before_and_after(
    cast: Cast, operation: Operation
) -> None:
    client_for(cast.consultant).post(reverse("operations:wizard", args=[operation.pk]), answers())
    client_for(cast.mo).post(reverse("operations:validate", args=[operation.pk]))
    events: list[Any] = list(
        AuditEvent.objects.filter(operation=operation)
        .order_by("pk")
        .values_list("action", "object_type", "actor__username")
    )
    assert events[-3:] == [
        ("analyse", "consultation", "alice"),
        ("validate", "consultation", "marie"),
        ("update", "operation", "marie"),
    ]
    validation = AuditEvent.objects.get(action="validate")
    assert validation.before is not None and validation.after is not None
    assert (validation.before["status"], validation.after["status"]) == ("a_valider", "validee")

    page = text(client_for(cast.reader).get(reverse("operations:history", args=[operation.pk])))
    assert "Validation" in page
    assert "statut : En attente de validation → Validée" in page
    assert "étape : Amont → Passation" in page


def test_a_framework_agreement_is_analysed_on_its_maximum(cast: Cast, operation: Operation) -> None:
    client = client_for(cast.consultant)
    response = client.post(
        reverse("operations:wizard", args=[operation.pk]),
        answers(
            is_framework="on",
            framework_execution="bons_de_commande",
            framework_holders="multi_attributaire",
            framework_holders_count="3",
            framework_minimum_ht="50 000,00",
            framework_maximum_ht="900 000,00",
        ),
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get(operation=operation)
    assert consultation.input["framework"] == {
        "execution": "bons_de_commande",
        "holders": "multi_attributaire",
        "holders_count": 3,
        "minimum_ht": "50000.00",
        "maximum_ht": "900000.00",
    }
    expected = choose_procedure_from_dict(consultation.input).model_dump(mode="json")
    assert consultation.result == expected
    assert expected["estimated_value_ht"] == "900000.00"
    page = text(client.get(reverse("operations:consultation", args=[operation.pk])))
    assert f"son maximum de {format_euros(Decimal('900000'))} HT" in page
    detail = text(client.get(reverse("operations:detail", args=[operation.pk])))
    assert "Accord-cadre multi-attributaire (plusieurs titulaires), 3 titulaires" in detail


def test_a_framework_minimum_above_its_maximum_is_refused_in_french_and_kept(
    cast: Cast, operation: Operation
) -> None:
    response = client_for(cast.consultant).post(
        reverse("operations:wizard", args=[operation.pk]),
        answers(
            is_framework="on",
            framework_minimum_ht="500 000,00",
            framework_maximum_ht="400 000,00",
        ),
    )
    assert response.status_code == 200
    page = text(response)
    assert "le minimum dépasse le maximum de l'accord-cadre" in page
    assert 'value="500 000,00"' in page
    assert "framework" not in " ".join(str(e) for e in response.context["form"].errors.values())
    assert not Consultation.objects.filter(operation=operation).exists()


def test_a_framework_without_maximum_is_warned_and_a_long_one_asks_for_its_justification(
    cast: Cast, operation: Operation
) -> None:
    client = client_for(cast.consultant)
    client.post(
        reverse("operations:wizard", args=[operation.pk]),
        answers(
            is_framework="on", duration_months="24", renewals="2", renewal_duration_months="24"
        ),
    )
    warnings = " ".join(Consultation.objects.get(operation=operation).result["warnings"])
    assert "R2162-4" in warnings
    assert "justification de la durée" in warnings
    assert "duration_justification" not in warnings


def test_unticking_the_framework_clears_its_figures(cast: Cast, operation: Operation) -> None:
    client = client_for(cast.consultant)
    url = reverse("operations:need", args=[operation.pk])
    base = {
        "nature": "fournitures",
        "estimated_amount_ht": "170 000,00",
        "duration_months": "12",
        "renewals": "0",
    }
    client.post(url, {**base, "is_framework": "on", "framework_maximum_quantity": "12 000 repas"})
    operation.need.refresh_from_db()
    assert operation.need.is_framework
    assert operation.need.framework_maximum_quantity == "12 000 repas"
    client.post(url, {**base, "framework_maximum_quantity": "12 000 repas"})
    operation.need.refresh_from_db()
    assert not operation.need.is_framework
    assert operation.need.framework_maximum_quantity == ""
    detail = text(client.get(reverse("operations:detail", args=[operation.pk])))
    assert "Marché ordinaire" in detail
