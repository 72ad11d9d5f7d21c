"""Nobody sees a buyer's catering purchases but its members and the AMO firm it shares a live
operation with: every URL of the catering app answers 404 to everyone else, GET and POST, and
every write is a 403 for a lecteur."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, reverse

from openamo.web.catering import services
from openamo.web.catering.models import CateringProfile, Forecast, Purchase, PurchaseImport
from openamo.web.catering.urls import urlpatterns
from openamo.web.operations import services as operation_services
from openamo.web.operations.access import operation_access
from openamo.web.operations.models import Operation, Share
from tests.integration.web.catering_factories import (
    YEAR,
    access_of,
    add_purchase,
    fixture,
)
from tests.integration.web.conftest import Cast, client_for, fresh, text

OBJECT_ARGS = {
    "purchase_edit": "purchase",
    "purchase_delete": "purchase",
    "import_preview": "import",
    "forecast_detail": "forecast",
    "forecast_delete": "forecast",
}
NOT_OF_A_BUYER = {"index", "dqe_template"}
WRITES = {
    "purchase_create",
    "purchase_edit",
    "purchase_delete",
    "import_upload",
    "import_preview",
    "forecasts",
    "forecast_delete",
    "profile",
}
POST_DATA = {
    "date": "2025-01-02",
    "family": "autres",
    "description": "Piraté",
    "amount_ht": "1",
    "confirm": "1",
    "partial": "on",
    "abandon": "1",
    "title": "Piraté",
    "year": "2027",
    "buyer": "etat",
    "territory": "mayotte",
}


@pytest.fixture
def objects(cast: Cast, operation: Operation) -> dict[str, Any]:
    purchase = add_purchase(cast, day=datetime.date(YEAR, 1, 2), description="Yaourts")
    access = access_of(cast.mo, cast)
    found = services.upload_purchases(
        access, fresh(cast.mo), "a.csv", fixture("achats_bad_une_erreur.csv")
    )
    forecast = services.create_forecast(
        access,
        fresh(cast.mo),
        title="DQE",
        year=2027,
        operation=None,
        file_name="dqe.csv",
        content=b"designation;famille_produits;prix_unitaire_ht;quantite\nPain;BOULANGERIE;2;10\n",
    )
    return {"purchase": purchase, "import": found, "forecast": forecast}


def catering_urls(cast: Cast, objects: dict[str, Any]) -> list[tuple[str, str]]:
    """Every URL of the app bound to Saint-Exemple (the test fails if a new one is forgotten)."""
    urls = []
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        name = str(pattern.name)
        if name in NOT_OF_A_BUYER:
            continue
        args = [cast.commune.pk]
        if name in OBJECT_ARGS:
            args.append(objects[OBJECT_ARGS[name]].pk)
        else:
            assert "<int:pk>" not in str(pattern.pattern), name
        urls.append((name, reverse(f"catering:{name}", args=args)))
    return urls


def post_data() -> dict[str, Any]:
    upload = SimpleUploadedFile("a.csv", fixture("achats_good_valeurs_a_rogner.csv"))
    return {**POST_DATA, "file": upload}


def unchanged(objects: dict[str, Any]) -> None:
    purchase = Purchase.objects.get(pk=objects["purchase"].pk)
    assert (purchase.description, purchase.deleted_at) == ("Yaourts", None)
    assert Purchase.objects.count() == 1
    assert PurchaseImport.objects.get().status == PurchaseImport.Status.PREVIEW
    assert Forecast.objects.get().deleted_at is None
    assert not CateringProfile.objects.exists()


@pytest.mark.parametrize("outsider", ["outsider_mo", "other_consultant"])
def test_every_catering_url_is_a_404_for_another_organisation(
    cast: Cast, objects: dict[str, Any], outsider: str
) -> None:
    client = client_for(getattr(cast, outsider))
    urls = catering_urls(cast, objects)
    assert len(urls) == 13
    for name, address in urls:
        assert client.get(address).status_code == 404, name
        assert client.post(address, post_data()).status_code == 404, name
    unchanged(objects)


def test_objects_of_another_buyer_are_a_404_even_for_a_member(
    cast: Cast, objects: dict[str, Any]
) -> None:
    client = client_for(cast.outsider_mo)
    for name, key in OBJECT_ARGS.items():
        address = reverse(f"catering:{name}", args=[cast.outsider.pk, objects[key].pk])
        assert client.get(address).status_code == 404, name
        assert client.post(address, post_data()).status_code == 404, name
    unchanged(objects)


def test_the_amo_firms_own_organisation_is_not_a_buyer(cast: Cast) -> None:
    client = client_for(cast.consultant)
    address = reverse("catering:dashboard", args=[cast.amo_firm.pk])
    assert client.get(address).status_code == 404


@pytest.mark.parametrize("reader", ["reader", "firm_reader"])
def test_a_reader_reads_every_page_but_every_write_is_a_403(
    cast: Cast, objects: dict[str, Any], reader: str
) -> None:
    client = client_for(getattr(cast, reader))
    for name, address in catering_urls(cast, objects):
        if name not in WRITES:
            assert client.get(address).status_code == 200, name
        response = client.post(address, post_data())
        if name in WRITES:
            assert response.status_code == 403, name
            assert "lecteur" in text(response), name
    unchanged(objects)


def test_the_amo_firm_sees_the_purchases_only_while_an_operation_is_shared(
    cast: Cast, objects: dict[str, Any], operation: Operation
) -> None:
    client = client_for(cast.consultant)
    dashboard = reverse("catering:dashboard", args=[cast.commune.pk])
    assert client.get(dashboard).status_code == 200
    assert client.get(reverse("catering:index")).status_code == 302

    mo = fresh(cast.mo)
    access = operation_access(mo, operation.pk)
    share = Share.objects.get(operation=operation, revoked_at__isnull=True)
    operation_services.revoke_share(access, mo, share)
    assert client.get(dashboard).status_code == 404
    assert "Aucun acheteur" in text(client.get(reverse("catering:index")))

    operation_services.share_operation(access, mo, cast.amo_firm)
    assert client.get(dashboard).status_code == 200
    operation_services.delete_operation(access, mo)
    assert client.get(dashboard).status_code == 404


def test_a_contractor_never_sees_the_buyers_purchases(cast: Cast) -> None:
    from openamo.web.organisations.models import Organisation, OrganisationKind, Role
    from tests.integration.web.conftest import make_user

    firm = Organisation.objects.create(name="Restauration du Val", kind=OrganisationKind.ENTREPRISE)
    emma = make_user("emma", firm, Role.MAITRE_OUVRAGE)
    response = client_for(emma).get(reverse("catering:dashboard", args=[cast.commune.pk]))
    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(cast: Cast) -> None:
    from django.test import Client

    response = Client().get(reverse("catering:dashboard", args=[cast.commune.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("organisations:login"))
