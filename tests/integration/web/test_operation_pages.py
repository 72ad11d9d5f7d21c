"""Creating and editing an operation, its need and its lots through the DSFR pages."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from openamo.web.audit.models import AuditEvent
from openamo.web.operations.models import Lot, Need, Operation
from tests import clock
from tests.integration.web.conftest import Cast, client_for, text

pytestmark = pytest.mark.usefixtures("frozen_today")


def test_a_maitre_d_ouvrage_creates_an_operation_and_it_is_recorded(cast: Cast) -> None:
    client = client_for(cast.mo)
    response = client.post(
        reverse("operations:create"),
        {
            "organisation": cast.commune.pk,
            "title": "Nouveau logiciel de gestion RH",
            "kind": "informatique",
            "description": "Paie et carrières",
            "stage": "amont",
        },
    )
    operation = Operation.objects.get()
    assert response["Location"] == reverse("operations:need", args=[operation.pk])
    assert operation.organisation == cast.commune
    event = AuditEvent.objects.get(operation=operation)
    assert (event.action, event.actor, event.before) == ("create", cast.mo, None)
    assert event.after == {
        "title": "Nouveau logiciel de gestion RH",
        "description": "Paie et carrières",
        "kind": "informatique",
        "stage": "amont",
    }


def test_the_kind_is_asked_at_creation_and_decides_which_modules_the_page_offers(
    cast: Cast,
) -> None:
    client = client_for(cast.mo)
    data = {"organisation": cast.commune.pk, "title": "Cantine", "stage": "amont"}
    refused = client.post(reverse("operations:create"), data)
    assert refused.status_code == 200
    assert "Type d'opération" in text(refused)
    assert not Operation.objects.exists()
    client.post(reverse("operations:create"), {**data, "kind": "restauration"})
    catering = Operation.objects.get()
    page = text(client.get(reverse("operations:detail", args=[catering.pk])))
    assert "Restauration collective" in page
    assert "Suivi EGAlim de l'acheteur" in page
    assert "Cadrer ce projet informatique" not in page
    steering = client.get(reverse("steering:framing_edit", args=[catering.pk]))
    assert steering.status_code == 403
    assert "ne propose pas le pilotage d'un projet informatique" in text(steering)
    client.post(
        reverse("operations:edit", args=[catering.pk]),
        {"title": "Logiciel", "kind": "informatique", "stage": "amont"},
    )
    page = text(client.get(reverse("operations:detail", args=[catering.pk])))
    assert "Cadrer ce projet informatique" in page
    assert "Suivi EGAlim de l'acheteur" not in page
    assert client.get(reverse("steering:framing_edit", args=[catering.pk])).status_code == 200


def test_an_invalid_form_shows_dsfr_errors_next_to_the_fields_and_keeps_the_input(
    cast: Cast, operation: Operation
) -> None:
    client = client_for(cast.mo)
    response = client.post(
        reverse("operations:need", args=[operation.pk]),
        {"object": "Repas des écoles", "nature": "fournitures", "estimated_amount_ht": "douze"},
    )
    html = text(response)
    assert response.status_code == 200
    assert "fr-input-group--error" in html
    assert "Saisissez un nombre." in html
    assert "Repas des écoles" in html
    assert 'value="douze"' in html


def test_renewals_without_a_duration_are_refused_next_to_the_duration(
    cast: Cast, operation: Operation
) -> None:
    response = client_for(cast.mo).post(
        reverse("operations:need", args=[operation.pk]),
        {"nature": "services", "estimated_amount_ht": "1000", "renewals": "2"},
    )
    assert "valoriser les reconductions" in text(response)


def test_editing_the_need_records_before_and_after(cast: Cast, operation: Operation) -> None:
    client = client_for(cast.consultant)
    response = client.post(
        reverse("operations:need", args=[operation.pk]),
        {
            "object": "Denrées alimentaires",
            "nature": "fournitures",
            "estimated_amount_ht": "180 000,00",
            "duration_months": "12",
            "renewals": "3",
            "renewal_duration_months": "12",
        },
    )
    assert response.status_code == 302
    assert Need.objects.get(operation=operation).estimated_amount_ht == Decimal("180000.00")
    event = AuditEvent.objects.filter(object_type="need", action="update").get()
    assert event.actor == cast.consultant
    assert event.before is not None and event.after is not None
    assert (event.before["estimated_amount_ht"], event.after["estimated_amount_ht"]) == (
        "170000.00",
        "180000.00",
    )


def test_lots_are_added_numbered_edited_and_soft_deleted(cast: Cast, operation: Operation) -> None:
    client = client_for(cast.mo)
    client.post(
        reverse("operations:lot_create", args=[operation.pk]),
        {"name": "Épicerie", "estimated_amount_ht": "19000"},
    )
    lot = Lot.objects.get(name="Épicerie")
    assert lot.number == 4
    client.post(
        reverse("operations:lot_edit", args=[operation.pk, lot.pk]),
        {"number": "4", "name": "Épicerie et produits secs", "estimated_amount_ht": "21000"},
    )
    client.post(reverse("operations:lot_delete", args=[operation.pk, lot.pk]))
    lot.refresh_from_db()
    assert lot.name == "Épicerie et produits secs"
    assert lot.deleted_at is not None
    detail = client.get(reverse("operations:detail", args=[operation.pk]))
    names = [row[1]["text"] for row in detail.context["lots_table"]["rows"]]
    assert names == ["Bio", "Local", "Frais"]
    actions = list(
        AuditEvent.objects.filter(object_type="lot", object_id=str(lot.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]


def test_deleting_an_operation_keeps_it_and_its_history(cast: Cast, operation: Operation) -> None:
    client = client_for(cast.mo)
    confirm = client.get(reverse("operations:delete", args=[operation.pk]))
    assert "Supprimer l'opération" in text(confirm)
    client.post(reverse("operations:delete", args=[operation.pk]))
    operation.refresh_from_db()
    assert operation.deleted_at is not None
    assert AuditEvent.objects.filter(operation=operation, action="delete").exists()
    listing = client.get(reverse("operations:list"))
    assert listing.context["page_obj"].paginator.count == 0


def test_the_list_filters_by_stage_and_searches_titles(cast: Cast, operation: Operation) -> None:
    client = client_for(cast.mo)
    found = text(client.get(reverse("operations:list"), {"q": "restauration"}))
    assert operation.title in found
    missing = text(client.get(reverse("operations:list"), {"etape": "execution"}))
    assert operation.title not in missing
    assert "Aucune opération ne correspond." in missing


def test_the_dashboard_counts_stages_and_lists_what_awaits_the_decision(
    cast: Cast, operation: Operation
) -> None:
    consultant = client_for(cast.consultant)
    launch = clock.TODAY + datetime.timedelta(days=30)
    consultant.post(
        reverse("operations:wizard", args=[operation.pk]),
        {
            "date": launch.isoformat(),
            "nature": "fournitures",
            "estimated_amount_ht": "170000",
            "duration_months": "12",
            "renewals": "3",
            "electronic_submission": "on",
        },
    )
    mo_page = text(client_for(cast.mo).get(reverse("operations:dashboard")))
    assert "1 choix de procédure à valider" in mo_page
    assert "Commune de Saint-Exemple" in mo_page
    assert "remise des offres" in mo_page
    consultant_page = text(consultant.get(reverse("operations:dashboard")))
    assert "Rien n'attend votre décision." in consultant_page


def test_error_pages_are_french_dsfr_pages(cast: Cast) -> None:
    response = client_for(cast.mo).get("/nexiste-pas/")
    html = text(response)
    assert response.status_code == 404
    assert "Page non trouvée" in html
    assert "fr-header" in html


def test_a_lot_with_a_contract_is_not_deleted_and_the_buyer_is_told_why(
    cast: Cast, operation: Operation
) -> None:
    """The lot of an operation in execution could be deleted under its notified contract."""
    from tests.integration.web.contracts_factories import make_contract

    contract = make_contract(cast, operation)
    lot = contract.lot
    assert lot is not None
    # … and the button is not offered (the other lots keep theirs)
    page = text(client_for(cast.mo).get(reverse("operations:detail", args=[operation.pk])))
    assert f"Modifier le lot {lot.number}" in page
    assert f"Supprimer le lot {lot.number}" not in page
    others = Lot.objects.filter(operation=operation, deleted_at__isnull=True).exclude(pk=lot.pk)
    assert all(f"Supprimer le lot {other.number}" in page for other in others)
    response = client_for(cast.mo).post(
        reverse("operations:lot_delete", args=[operation.pk, lot.pk]), follow=True
    )
    lot.refresh_from_db()
    assert lot.deleted_at is None
    assert "ne peut pas être supprimé" in text(response)
    assert contract.reference in text(response)


def test_an_operation_without_lots_shows_no_zero_amount_of_lots(
    cast: Cast, operation: Operation
) -> None:
    """« 0 lot — 0,00 € » next to a contract of 36 500 € read as a contradiction."""
    Lot.objects.filter(operation=operation).update(deleted_at=datetime.datetime.now(datetime.UTC))
    page = client_for(cast.mo).get(reverse("operations:list"))
    (row,) = [r for r in page.context["table"]["rows"] if r[0]["text"] == operation.title]
    assert [row[3]["text"], row[4]["text"]] == ["0", "—"]
