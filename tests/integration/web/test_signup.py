"""Getting started without the demo: sign-up by e-mail, an organisation created by SIRET (the
buyer category asked), a second person asks to join instead of creating a twin."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from openamo.web.audit.models import AuditEvent
from openamo.web.organisations.models import JoinRequest, Membership, Organisation, Role
from tests.integration.web.conftest import Cast, client_for, fresh, text
from tests.integration.web.mails import link_to

SIRET = "21330063500017"  # Mairie de Bordeaux (valid Luhn key)
PASSWORD = "un mot de passe bien à moi"
SIGNUP = reverse("organisations:signup")
CREATE = reverse("organisations:organisation_create")


def sign_up(client: Client, mailoutbox: list[Any], email: str) -> Any:
    client.post(SIGNUP, {"email": email})
    link = link_to(mailoutbox[-1], "/inscription/")
    response = client.post(
        link,
        {
            "first_name": "Claire",
            "last_name": "Durand",
            "new_password1": PASSWORD,
            "new_password2": PASSWORD,
        },
    )
    assert response.status_code == 302 and response["Location"] == CREATE
    return get_user_model().objects.get(email=email)


ORGANISATION = {
    "siret": "213 300 635 00017",
    "name": "Commune de Bordeaux",
    "kind": "collectivite",
    "buyer": "collectivite",
    "population": "260000",
}


def test_an_agent_signs_up_creates_their_organisation_and_is_its_maitre_d_ouvrage(
    db: None, mailoutbox: list[Any]
) -> None:
    client = Client()
    claire = sign_up(client, mailoutbox, "claire.durand@mairie-exemple.fr")
    assert claire.check_password(PASSWORD)
    response = client.post(CREATE, ORGANISATION, follow=True)
    organisation = Organisation.objects.get(siret=SIRET)
    assert organisation.buyer == "collectivite" and organisation.population == 260000
    assert Membership.objects.get(user=claire).role == Role.MAITRE_OUVRAGE
    assert "premier responsable" in text(response)
    assert AuditEvent.objects.filter(object_type="organisation", action="create").exists()
    # The sign-up link served once.
    again = Client().get(link_to(mailoutbox[0], "/inscription/"))
    assert again.status_code == 404 and "déjà servi" in text(again)


def test_sign_up_answers_the_same_for_an_address_that_has_an_account(
    cast: Cast, mailoutbox: list[Any]
) -> None:
    mo = fresh(cast.mo)
    mo.email = "marie@saint-exemple.fr"
    mo.save()
    pages = []
    for email in ("marie@saint-exemple.fr", "nouvelle@saint-exemple.fr"):
        response = Client().post(SIGNUP, {"email": email})
        content = text(response).split("<h1>")[1].split("</main>")[0]
        pages.append((response.status_code, content.replace(email, "ADRESSE")))
    assert pages[0] == pages[1]
    # Only the e-mails differ: a reminder for the existing account, a link for the other.
    assert "déjà" in mailoutbox[0].body and "/inscription/" not in mailoutbox[0].body
    assert "/inscription/" in mailoutbox[1].body


def test_the_buyer_category_is_asked_never_assumed(db: None, mailoutbox: list[Any]) -> None:
    client = Client()
    sign_up(client, mailoutbox, "claire.durand@mairie-exemple.fr")
    response = client.post(CREATE, {**ORGANISATION, "buyer": ""})
    assert response.status_code == 400
    page = text(response)
    assert "Choisissez la catégorie d'acheteur" in page
    assert 'value="Commune de Bordeaux"' in page and 'value="213 300 635 00017"' in page
    assert not Organisation.objects.exists()


def test_a_wrong_siret_is_explained_next_to_the_field(db: None, mailoutbox: list[Any]) -> None:
    client = Client()
    sign_up(client, mailoutbox, "claire.durand@mairie-exemple.fr")
    for siret, message in [
        ("21330063500018", "clé de contrôle est fausse"),
        ("2133006", "14 chiffres"),
        ("2133006350001A", "que des chiffres"),
    ]:
        response = client.post(CREATE, {**ORGANISATION, "siret": siret})
        assert response.status_code == 400
        assert message in text(response)
    assert not Organisation.objects.exists()


def test_a_second_person_asks_to_join_and_a_maitre_d_ouvrage_accepts(
    db: None, mailoutbox: list[Any]
) -> None:
    founder_client = Client()
    founder = sign_up(founder_client, mailoutbox, "claire.durand@mairie-exemple.fr")
    founder_client.post(CREATE, ORGANISATION)
    organisation = Organisation.objects.get()

    client = Client()
    second = sign_up(client, mailoutbox, "paul.martin@mairie-exemple.fr")
    response = client.post(CREATE, {**ORGANISATION, "name": "Bordeaux bis"})
    assert response.status_code == 302
    join_url = reverse("organisations:join", args=[SIRET])
    assert response["Location"] == join_url
    assert "Commune de Bordeaux" in text(client.get(join_url))
    client.post(join_url, {"message": "Service de la commande publique"})
    assert Organisation.objects.count() == 1
    join = JoinRequest.objects.get()
    assert join.status == JoinRequest.Status.PENDING
    assert not Membership.objects.filter(user=second).exists()
    assert mailoutbox[-1].to == [founder.email]

    members = reverse("organisations:members", args=[organisation.pk])
    page = text(founder_client.get(members))
    assert "Service de la commande publique" in page
    decide = reverse("organisations:join_decide", args=[organisation.pk, join.pk])
    # Only a manager of this organisation decides.
    assert client.post(decide, {"decision": "accept", "role": "maitre_ouvrage"}).status_code == 404
    founder_client.post(decide, {"decision": "accept", "role": "amo"})
    assert Membership.objects.get(user=second).role == Role.AMO
    join.refresh_from_db()
    assert join.status == JoinRequest.Status.ACCEPTED and join.decided_by == founder
    assert "acceptée" in mailoutbox[-1].body
    assert AuditEvent.objects.filter(object_type="joinrequest", action="decide").exists()


def test_a_refused_request_gives_no_access(cast: Cast, mailoutbox: list[Any]) -> None:
    Organisation.objects.filter(pk=cast.commune.pk).update(siret=SIRET)
    client = Client()
    stranger = sign_up(client, mailoutbox, "inconnu@exemple.fr")
    client.post(reverse("organisations:join", args=[SIRET]), {"message": ""})
    join = JoinRequest.objects.get()
    decide = reverse("organisations:join_decide", args=[cast.commune.pk, join.pk])
    assert client_for(cast.reader).post(decide, {"decision": "accept"}).status_code == 403
    client_for(cast.mo).post(decide, {"decision": "refuse"})
    join.refresh_from_db()
    assert join.status == JoinRequest.Status.REFUSED
    assert not Membership.objects.filter(user=stranger).exists()


def test_sign_up_pages_keep_bad_input_and_refuse_forged_links(db: None) -> None:
    response = Client().post(SIGNUP, {"email": "pas une adresse"})
    assert response.status_code == 400
    assert "adresse électronique valide" in text(response)
    assert 'value="pas une adresse"' in text(response)
    forged = Client().get(reverse("organisations:signup_finish", args=["abc:def"]))
    assert forged.status_code == 404 and "Lien d'inscription expiré" in text(forged)


def test_sign_up_forms_need_the_csrf_token(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post(SIGNUP, {"email": "a@b.fr"}).status_code == 403
