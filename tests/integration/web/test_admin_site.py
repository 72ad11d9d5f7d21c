"""Django's admin site: platform staff only; every change written to the audit trail; members
end (dated) rather than disappear; a password set there is provisional."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from openamo.web.audit.models import AuditEvent
from openamo.web.organisations.models import Organisation, ProvisionalPassword
from tests.integration.web.conftest import Cast, client_for, text

PASSWORD = "mot de passe de l'équipe, assez long"


def staff(superuser: bool = True) -> Client:
    user = get_user_model().objects.create_user(
        "exploitant", password=PASSWORD, is_staff=True, is_superuser=superuser
    )
    return client_for(user)


def test_the_admin_site_is_closed_to_everyone_but_platform_staff(cast: Cast) -> None:
    assert Client().get("/administration/").status_code == 302
    for user in (cast.mo, cast.consultant):
        response = client_for(user).get("/administration/organisations/organisation/")
        assert response.status_code == 302
        assert "/administration/login/" in response["Location"]
    assert staff().get("/administration/").status_code == 200


def test_creating_and_changing_an_organisation_there_is_audited(db: None) -> None:
    client = staff()
    add = reverse("admin:organisations_organisation_add")
    response = client.post(
        add,
        {"name": "Commune de Bordeaux", "kind": "collectivite", "buyer": "", "siret": ""},
    )
    assert response.status_code == 200  # the buyer category is required for a public buyer
    assert "Choisissez la catégorie d'acheteur" in text(response)
    client.post(
        add,
        {
            "name": "Commune de Bordeaux",
            "kind": "collectivite",
            "buyer": "collectivite",
            "siret": "21330063500017",
        },
    )
    organisation = Organisation.objects.get()
    event = AuditEvent.objects.get(object_type="organisation", action="create")
    assert event.after is not None and event.after["siret"] == "21330063500017"
    assert "administration de la plateforme" in event.actor_label
    change = reverse("admin:organisations_organisation_change", args=[organisation.pk])
    client.post(
        change,
        {
            "name": "Ville de Bordeaux",
            "kind": "collectivite",
            "buyer": "collectivite",
            "siret": "21330063500017",
        },
    )
    update = AuditEvent.objects.get(object_type="organisation", action="update")
    assert update.before is not None and update.before["name"] == "Commune de Bordeaux"
    assert update.after is not None and update.after["name"] == "Ville de Bordeaux"
    delete = reverse("admin:organisations_organisation_delete", args=[organisation.pk])
    client.post(delete, {"post": "yes"})
    assert not Organisation.objects.exists()
    assert AuditEvent.objects.filter(object_type="organisation", action="delete").exists()


def test_memberships_and_accounts_cannot_be_deleted_there(cast: Cast) -> None:
    client = staff()
    membership = cast.reader.memberships.get()
    url = reverse("admin:organisations_membership_delete", args=[membership.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    url = reverse("admin:auth_user_delete", args=[cast.reader.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403


def test_an_account_created_by_staff_has_a_provisional_password(db: None) -> None:
    client = staff()
    client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "nouvel.agent",
            "usable_password": "true",
            "password1": "mot de passe provisoire long",
            "password2": "mot de passe provisoire long",
        },
    )
    user = get_user_model().objects.get(username="nouvel.agent")
    assert ProvisionalPassword.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(object_type="user", action="create").exists()


def test_staff_lift_a_login_wait_from_the_admin_site_and_it_is_audited(cast: Cast) -> None:
    import datetime

    from django.utils import timezone

    from openamo.web.organisations.models import LoginThrottle

    row = LoginThrottle.objects.create(
        scope="account",
        key="marie",
        failures=7,
        last_failure_at=timezone.now(),
        locked_until=timezone.now() + datetime.timedelta(minutes=8),
    )
    client = staff()
    listing = client.get("/administration/organisations/loginthrottle/")
    assert listing.status_code == 200 and "marie" in text(listing)
    client.post(f"/administration/organisations/loginthrottle/{row.pk}/delete/", {"post": "yes"})
    assert not LoginThrottle.objects.exists()
    assert AuditEvent.objects.filter(object_type="loginthrottle", action="delete").exists()
