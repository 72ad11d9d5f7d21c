"""In a real browser, without the demo: an agent signs up, creates her commune by SIRET, invites
a colleague, who accepts, chooses her own password and lands in the organisation; a third
person entering the same SIRET asks to join. axe-core checks every page visited."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from openamo.web.organisations.models import JoinRequest, Membership, Organisation, Role
from tests.e2e.web._browser import Visit, field
from tests.integration.web.mails import link_to

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "un mot de passe bien à moi"
SHOTS = os.environ.get("OPENAMO_SCREENSHOTS")


def shot(page: Page, name: str) -> None:
    """Screenshots to look at the pages as a person would (OPENAMO_SCREENSHOTS=folder)."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def create_account(visit: Visit, email: str, first: str, last: str) -> None:
    page = visit.page
    field(page, "Votre adresse électronique professionnelle").fill(email)
    visit.submit("Recevoir le lien")
    assert "Vérifiez votre messagerie" in page.content()
    visit.goto(link_to(mail.outbox[-1], "/inscription/"))
    field(page, "Prénom").fill(first)
    field(page, "Nom").fill(last)
    field(page, "Nouveau mot de passe").fill(PASSWORD)
    field(page, "Confirmation du nouveau mot de passe").fill(PASSWORD)
    visit.submit("Créer mon compte")


def test_sign_up_create_the_organisation_invite_and_accept(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    visit = Visit(page, live_server.url)
    visit.goto("/connexion/")
    shot(page, "01-connexion")
    page.get_by_role("link", name="Créer un compte").click()
    visit.check()
    create_account(visit, "claire.durand@mairie-bordeaux.fr", "Claire", "Durand")
    assert (
        page.get_by_role("heading", level=1).inner_text() == "Créer ou rejoindre une organisation"
    )

    # A typing error first: French message next to the field, the rest kept.
    field(page, "SIRET de l'organisation").fill("213 300 635 00018")
    field(page, "Nom de l'organisation").fill("Commune de Bordeaux")
    field(page, "Type d'organisation").select_option("collectivite")
    visit.submit("Continuer")
    assert page.locator(".fr-input-group--error, .fr-select-group--error").count() == 2
    assert "clé de contrôle est fausse" in page.content()
    assert field(page, "Nom de l'organisation").input_value() == "Commune de Bordeaux"
    shot(page, "02-organisation-erreurs")
    field(page, "SIRET de l'organisation").fill("213 300 635 00017")
    field(page, "Catégorie d'acheteur (acheteur public seulement)").select_option("collectivite")
    visit.submit("Continuer")
    assert "premier responsable" in page.content()
    commune = Organisation.objects.get(siret="21330063500017")
    assert Membership.objects.get(organisation=commune).role == Role.MAITRE_OUVRAGE

    field(page, "Adresse électronique").fill("luc.moreau@mairie-bordeaux.fr")
    field(page, "Prénom").fill("Luc")
    field(page, "Rôle proposé").select_option("amo")
    visit.submit("Envoyer l'invitation")
    assert "Invitation envoyée à luc.moreau@mairie-bordeaux.fr" in page.content()
    shot(page, "03-membres-invitation")
    assert Membership.objects.filter(organisation=commune).count() == 1

    # The colleague, in another browser context, opens the link of her e-mail.
    other = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    luc_page = other.new_page()
    luc = Visit(luc_page, live_server.url)
    luc.goto(link_to(mail.outbox[-1], "/invitations/"))
    assert "Commune de Bordeaux" in luc_page.content()
    assert field(luc_page, "Prénom").input_value() == "Luc"
    field(luc_page, "Nom").fill("Moreau")
    field(luc_page, "Nouveau mot de passe").fill(PASSWORD)
    field(luc_page, "Confirmation du nouveau mot de passe").fill(PASSWORD)
    shot(luc_page, "04-invitation")
    luc.submit("Créer mon compte et rejoindre")
    assert luc_page.get_by_role("heading", level=1).inner_text() == "Tableau de bord"
    assert "Commune de Bordeaux" in luc_page.content()
    shot(luc_page, "05-tableau-de-bord-invite")
    other.close()
    assert Membership.objects.get(user__email="luc.moreau@mairie-bordeaux.fr").role == Role.AMO

    # A third person enters the same SIRET: she asks to join, Claire accepts.
    third = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    anne_page = third.new_page()
    anne = Visit(anne_page, live_server.url)
    anne.goto("/inscription/")
    create_account(anne, "anne.roy@mairie-bordeaux.fr", "Anne", "Roy")
    field(anne_page, "SIRET de l'organisation").fill("21330063500017")
    field(anne_page, "Nom de l'organisation").fill("Mairie de Bordeaux")
    field(anne_page, "Type d'organisation").select_option("collectivite")
    field(anne_page, "Catégorie d'acheteur (acheteur public seulement)").select_option(
        "collectivite"
    )
    anne.submit("Continuer")
    assert "utilise déjà OpenAMO" in anne_page.content()
    shot(anne_page, "06-rejoindre")
    anne.submit("Demander à rejoindre")
    third.close()
    assert Organisation.objects.count() == 1
    assert JoinRequest.objects.get().status == JoinRequest.Status.PENDING

    visit.goto(f"/organisations/{commune.pk}/membres/")
    shot(page, "07-demande-a-decider")
    page.get_by_label("Rôle accordé à Anne Roy").select_option("lecteur")
    visit.submit("Accepter Anne Roy")
    assert "Anne Roy a rejoint l'organisation." in page.content()
    assert Membership.objects.get(user__email="anne.roy@mairie-bordeaux.fr").role == Role.LECTEUR
