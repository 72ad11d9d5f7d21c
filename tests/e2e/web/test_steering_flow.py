"""In a real browser: the AMO frames an IT project and produces its baseline, the maître
d'ouvrage validates it, a change request is proposed then decided, the drift chart appears,
the cost of drift is simulated and the steering report downloaded; axe-core checks every page."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from openamo.procurement.enums import Nature
from openamo.web.operations import services as operation_services
from openamo.web.operations.access import operation_access
from openamo.web.operations.kinds import OperationKind
from openamo.web.operations.requests import NeedEntry, OperationEntry
from openamo.web.organisations.models import Membership, Organisation, OrganisationKind, Role
from openamo.web.steering.models import Baseline, ChangeRequest, RoiSimulation
from tests import clock
from tests.e2e.web._browser import PASSWORD, Visit, field, sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("frozen_today"),
]
TODAY = clock.TODAY


def iso(days: int) -> str:
    return (TODAY + datetime.timedelta(days=days)).isoformat()


@pytest.fixture
def project(db: None) -> dict[str, Any]:
    commune = Organisation.objects.create(
        name="Commune de Saint-Exemple", kind=OrganisationKind.COLLECTIVITE, buyer="collectivite"
    )
    people = {}
    for username, role in (("marie.dupont", Role.MAITRE_OUVRAGE), ("paul.lefevre", Role.AMO)):
        first, last = username.split(".")
        user = get_user_model().objects.create_user(
            username, password=PASSWORD, first_name=first.title(), last_name=last.title()
        )
        Membership.objects.create(user=user, organisation=commune, role=role)
        people[username] = user
    mo = people["marie.dupont"]
    operation = operation_services.create_operation(
        mo,
        commune,
        OperationEntry("Nouveau logiciel de gestion RH", kind=OperationKind.INFORMATIQUE),
    )
    operation_services.save_need(
        operation_access(mo, operation.pk),
        mo,
        NeedEntry(Nature.SERVICES, Decimal("38000.00")),
    )
    return {"operation": operation, **people}


def frame(visit: Visit) -> None:
    page = visit.page
    field(page, "Objectif métier").fill("Diviser par trois le délai de traitement des congés")
    field(page, "Nom de l'indicateur (indicateur 1)").fill("Agents utilisant le portail")
    field(page, "Unité (indicateur 1)").fill("%")
    field(page, "Valeur de départ (indicateur 1)").fill("0")
    field(page, "Cible (indicateur 1)").fill("80")
    page.locator("label[for=id_kpi-0-is_adoption]").click()
    field(page, "Description de l'irritant (irritant 1)").fill("Double saisie des absences")
    field(page, "Recueilli par (irritant 1)").select_option("atelier")
    features = [
        ("Dossier agent", "indispensable", "16 000"),
        ("Interface paie", "indispensable", "6 000"),
        ("Portail congés", "importante", "16 000"),
    ]
    for number, (name, priority, cost) in enumerate(features, start=1):
        field(page, f"Intitulé de la fonctionnalité (fonctionnalité {number})").fill(name)
        field(page, f"Priorité (fonctionnalité {number})").select_option(priority)
        field(page, f"Coût estimé HT (€) (fonctionnalité {number})").fill(cost)
    field(page, "Budget maximal HT (€)").fill("trente-huit mille")
    field(page, "Lancement (kick-off)").fill(iso(-90))
    field(page, "Recette").fill(iso(60))
    field(page, "Mise en service (go-live)").fill(iso(90))
    field(page, "Sponsor métier").fill("Directrice générale des services")
    visit.submit("Enregistrer le cadrage")
    # A typing error: the message is next to the field, and every answer is kept.
    assert page.locator("#id_budget_maximum_ht-desc-error").inner_text().strip() == (
        "Saisissez un nombre."
    )
    assert field(page, "Sponsor métier").input_value() == "Directrice générale des services"
    assert (
        field(page, "Intitulé de la fonctionnalité (fonctionnalité 3)").input_value()
        == "Portail congés"
    )
    field(page, "Budget maximal HT (€)").fill("38 000")
    visit.submit("Enregistrer le cadrage")


def test_an_it_project_is_framed_steered_simulated_and_reported(
    page: Page, browser: Browser, live_server: LiveServer, project: dict[str, Any], tmp_path: Path
) -> None:
    operation = project["operation"]
    amo = Visit(page, live_server.url)
    sign_in(amo, "paul.lefevre")
    amo.goto(f"/operations/{operation.pk}/")
    page.get_by_role("link", name="Cadrer ce projet informatique").click()
    amo.check()
    frame(amo)
    assert "Cadrage enregistré" in page.content()
    score = page.locator(".fr-callout__title").first.inner_text()
    assert score.startswith("Score de complétude : ") and score != "Score de complétude : 100/100"
    assert page.get_by_text("Pourquoi :").count() >= 1  # what is missing, and why it matters

    page.get_by_role("link", name="Base de référence").last.click()
    amo.check()
    amo.submit("Produire la base de référence")
    assert page.get_by_text("En attente de validation").is_visible()
    assert page.get_by_role("button", name="Valider la base de référence").count() == 0

    # The maître d'ouvrage, in her own browser session, validates the baseline.
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    mo = Visit(context.new_page(), live_server.url)
    mo.page.set_default_timeout(15000)
    sign_in(mo, "marie.dupont")
    mo.goto(f"/operations/{operation.pk}/pilotage/base-de-reference/")
    mo.submit("Valider la base de référence")
    assert mo.page.get_by_text("Base de référence validée et figée").first.is_visible()
    assert Baseline.objects.get().status == "validee"

    # The AMO proposes a change request; only the maître d'ouvrage decides.
    amo.goto(f"/operations/{operation.pk}/pilotage/evolutions/")
    page.get_by_role("link", name="Nouvelle demande d'évolution").click()
    amo.check()
    field(page, "Intitulé de la demande").fill("Gestion des astreintes")
    field(page, "Nature").select_option("ajout")
    field(page, "Coût HT (€)").fill("2 500")
    field(page, "Délai supplémentaire (jours)").fill("10")
    field(page, "Valeur métier").select_option("moyenne")
    field(page, "Justification").fill("Astreintes suivies sur papier et ressaisies en paie.")
    amo.submit("Enregistrer la demande")
    assert page.get_by_text("Seul un maître d'ouvrage de l'acheteur peut accepter").is_visible()
    request = ChangeRequest.objects.get()

    mo.goto(f"/operations/{operation.pk}/pilotage/evolutions/{request.pk}/")
    mo.page.get_by_text("Accepter la demande").click()
    field(mo.page, "Motif de la décision").fill("Accepté en comité de pilotage.")
    mo.submit("Enregistrer la décision")
    assert "Décision enregistrée : demande DE-01 acceptée." in mo.page.content()

    # The drift chart: 2 500 € on 38 000 € against the 10 % margin.
    figure = mo.page.locator("figure.openamo-chart")
    assert "Dérive budgétaire cumulée face à la marge" in figure.inner_text()
    assert figure.locator("svg polyline").count() == 1
    assert mo.page.get_by_text(re.compile(r"Dérive acceptée : 6,58\s% du budget")).is_visible()

    # The cost of drift, with and without AMO: the form is pre-filled by the domain.
    mo.page.get_by_role("link", name="Coût de la dérive").click()
    mo.check()
    assert field(mo.page, "Budget de référence HT (€)").input_value() == "38\u202f000,00"
    field(mo.page, "Coût de l'AMO HT (€)").fill("4 200")
    mo.submit("Lancer la simulation")
    assert mo.page.get_by_text("Simulation enregistrée.").is_visible()
    assert RoiSimulation.objects.get().input["runs"] == 100_000
    histogram = mo.page.locator("figure.openamo-chart")
    assert "Distribution du coût final simulé" in histogram.inner_text()
    assert histogram.locator(":scope > svg rect").count() == 24  # 12 cost bands, two series
    assert mo.page.get_by_role("cell", name="Coût final sans AMO").is_visible()

    for name in ("Planning", "Risques", "Indicateurs", "Cadrage", "Vue d'ensemble"):
        mo.page.get_by_role("navigation", name="Pages du pilotage du projet").get_by_role(
            "link", name=name
        ).click()
        mo.check()
    with mo.page.expect_download() as download:
        mo.page.get_by_role("button", name="Télécharger le rapport (PDF)").click()
    report = tmp_path / download.value.suggested_filename
    download.value.save_as(report)
    assert report.name.startswith("rapport-de-pilotage-nouveau-logiciel-de-gestion-rh-")
    assert report.read_bytes()[:4] == b"%PDF"

    mo.goto(f"/operations/{operation.pk}/historique/")
    history = mo.page.locator("tbody").inner_text()
    for action in ("Validation", "Décision", "Production d'un document"):
        assert action in history
    context.close()
    assert len(amo.checked) + len(mo.checked) >= 15
