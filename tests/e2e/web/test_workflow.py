"""In a real browser: sign in, create an operation, describe the need and lots, run the
procedure wizard, validate, read the history; axe-core checks every page visited."""

from __future__ import annotations

import datetime
import re
from typing import TypedDict

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from openamo.procurement import choose_procedure_from_dict
from openamo.web.operations.models import Consultation, Operation
from openamo.web.organisations.models import Membership, Organisation, OrganisationKind, Role
from openamo.web.users import AuthenticatedUser
from tests import clock
from tests.e2e.web._browser import PASSWORD, Visit, field, sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("frozen_today"),
]


class People(TypedDict):
    """The buyer and its maître d'ouvrage, created for the walk."""

    commune: Organisation
    marie: AuthenticatedUser


@pytest.fixture
def people(db: None) -> People:
    commune = Organisation.objects.create(
        name="Commune de Saint-Exemple", kind=OrganisationKind.COLLECTIVITE, buyer="collectivite"
    )
    marie = get_user_model().objects.create_user(
        "marie.dupont", password=PASSWORD, first_name="Marie", last_name="Dupont"
    )
    Membership.objects.create(user=marie, organisation=commune, role=Role.MAITRE_OUVRAGE)
    return {"commune": commune, "marie": marie}


def test_a_buyer_runs_the_whole_procedure_workflow(
    page: Page, live_server: LiveServer, people: People
) -> None:
    visit = Visit(page, live_server.url)
    sign_in(visit, "marie.dupont")
    assert page.get_by_role("heading", level=1).inner_text() == "Tableau de bord"

    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Opérations"
    ).click()
    visit.check()
    page.get_by_role("link", name="Nouvelle opération").click()
    visit.check()
    field(page, "Intitulé de l'opération").fill("Renouvellement de la restauration 2027")
    field(page, "Type d'opération").select_option("restauration")
    visit.submit("Créer")

    # The need, first with a typing error: DSFR error next to the field, input kept.
    field(page, "Objet du marché").fill("Denrées des écoles")
    field(page, "Nature des prestations").select_option("fournitures")
    field(page, "Montant estimé HT de la période initiale (€)").fill("cent mille")
    visit.submit("Enregistrer")
    assert page.locator(".fr-input-group--error").count() == 1
    assert field(page, "Objet du marché").input_value() == "Denrées des écoles"
    field(page, "Montant estimé HT de la période initiale (€)").fill("170 000,00")
    field(page, "Durée de la période initiale (mois)").fill("12")
    field(page, "Nombre de reconductions").fill("3")
    visit.submit("Enregistrer")
    assert "Besoin enregistré." in page.content()

    for name, amount in [("Produits bio", "62 000"), ("Épicerie", "19 000")]:
        page.get_by_role("link", name="Ajouter un lot").click()
        visit.check()
        field(page, "Intitulé du lot").fill(name)
        field(page, "Montant estimé HT de la période initiale (€)").fill(amount)
        visit.submit("Ajouter")

    page.get_by_role("link", name="Assistant de choix de la procédure").click()
    visit.check()
    launch = clock.TODAY + datetime.timedelta(days=40)
    field(page, "Date de lancement envisagée").fill(launch.isoformat())
    visit.submit("Analyser la procédure")

    consultation = Consultation.objects.get(operation__title__startswith="Renouvellement")
    expected = choose_procedure_from_dict(consultation.input)
    heading = page.locator(".fr-callout__title").inner_text()
    assert heading == expected.procedure.label
    for reference in expected.references[:3]:
        assert reference in page.content() or reference.replace("'", "&#x27;") in page.content()

    visit.submit("Valider ce choix de procédure")
    assert page.get_by_text("Choix validé").is_visible()
    page.get_by_role("link", name="Historique").last.click()
    visit.check()
    rows = page.locator("tbody tr")
    actions = [rows.nth(i).locator("td").nth(2).inner_text() for i in range(rows.count())]
    assert actions[:3] == ["Modification", "Validation", "Analyse de la procédure"]
    assert "Création" in actions
    assert Operation.objects.get().stage == "passation"

    visit.goto("/operations/999999/")
    assert page.get_by_role("heading", level=1).inner_text() == "Page non trouvée"

    # A colleague is invited from the members page (accepting: tests/e2e/web/test_signup_flow).
    visit.goto("/compte/")
    page.get_by_role("link", name="membres de l'organisation").click()
    visit.check()
    field(page, "Adresse électronique").fill("paul.lefevre@saint-exemple.fr")
    field(page, "Prénom").fill("Paul")
    field(page, "Rôle proposé").select_option("amo")
    visit.submit("Envoyer l'invitation")
    assert "Invitation envoyée à paul.lefevre@saint-exemple.fr" in page.content()
    cell = page.get_by_role("cell", name="paul.lefevre@saint-exemple.fr", exact=True)
    assert cell.is_visible()
    assert len(visit.checked) >= 14


def test_sign_in_errors_are_accessible_and_in_french(
    page: Page, live_server: LiveServer, people: People
) -> None:
    visit = Visit(page, live_server.url)
    visit.goto("/connexion/")
    field(page, "Identifiant").fill("marie.dupont")
    field(page, "Mot de passe").fill("faux")
    visit.submit("Se connecter")
    assert re.search("Identifiant ou mot de passe incorrect", page.content())
    visit.goto("/accessibilite/")
