"""In a real browser: a school-catering manager imports a year of purchases in ma cantine's
format; a bad line is reported in French and nothing is imported until she chooses to import
the valid lines only; the EGAlim dashboard then shows the domain's ratios, charts and verdict.
axe-core checks every page visited."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TypedDict

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from openamo.catering import import_purchases
from openamo.web.catering.models import Purchase, PurchaseImport
from openamo.web.operations.kinds import OperationKind
from openamo.web.operations.requests import OperationEntry
from openamo.web.organisations.models import Membership, Organisation, OrganisationKind, Role
from openamo.web.users import AuthenticatedUser
from tests.e2e.web._browser import PASSWORD, Visit, field, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FILE = (
    Path(__file__).resolve().parents[2]
    / "fixtures"
    / "egalim"
    / "achats_bad_une_ligne_cantine_2025.csv"
)
UPLOAD_LABEL = "Fichier d'achats (CSV au format ma cantine)"


class People(TypedDict):
    """The buyer and its maître d'ouvrage, created for the walk."""

    commune: Organisation
    marie: AuthenticatedUser


@pytest.fixture
def people(db: None) -> People:
    commune = Organisation.objects.create(
        name="Commune de Saint-Exemple",
        kind=OrganisationKind.COLLECTIVITE,
        buyer="collectivite",
        siret="21010034300016",
    )
    marie = get_user_model().objects.create_user(
        "marie.dupont", password=PASSWORD, first_name="Marie", last_name="Dupont"
    )
    Membership.objects.create(user=marie, organisation=commune, role=Role.MAITRE_OUVRAGE)
    return {"commune": commune, "marie": marie}


def french(percent: str) -> str:
    return percent.replace(".", ",") + "\u00a0%"


def tick(page: Page, label: str) -> None:
    """DSFR draws the checkbox on its label: a user clicks the label."""
    page.locator("label", has_text=label).first.click()
    assert page.get_by_label(label).first.is_checked()


def upload(visit: Visit) -> None:
    visit.page.get_by_role("link", name="Importer un fichier d'achats").first.click()
    visit.check()
    field(visit.page, UPLOAD_LABEL).set_input_files(str(FILE))
    visit.submit("Vérifier le fichier")


def test_a_bad_line_blocks_the_import_until_the_valid_lines_are_chosen(
    page: Page, live_server: LiveServer, people: People
) -> None:
    visit = Visit(page, live_server.url)
    sign_in(visit, "marie.dupont")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Restauration (EGAlim)"
    ).click()
    visit.check()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Tableau de bord EGAlim")
    assert page.get_by_text(re.compile(r"Aucun achat en \d{4}")).is_visible()

    # The file has one bad line (line 10): both of its errors are listed, in French.
    upload(visit)
    errors = page.get_by_role("table", name="Erreurs ligne par ligne")
    rows = errors.locator("tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("td").all_inner_texts() == [
        "10",
        "date",
        "date « 2025-02-30 » inexistante",
    ]
    assert rows.nth(1).locator("td").nth(2).inner_text().startswith("famille « COMPOTES » inconnue")
    assert "68 lignes valides" in page.locator("main").inner_text()

    # Importing without choosing: nothing is imported.
    visit.submit("Importer les achats")
    assert page.get_by_text(re.compile("rien n'a été importé")).first.is_visible()
    assert Purchase.objects.count() == 0

    # The user explicitly imports the valid lines only.
    tick(page, "Importer les lignes valides seulement")
    visit.submit("Importer les achats")
    assert Purchase.objects.count() == 68
    assert page.get_by_text("68 achats importés").is_visible()

    # The dashboard of 2025: the domain's ratios, against the targets, and the verdicts.
    expected = import_purchases(FILE.read_bytes(), partial=True)
    assert page.get_by_role("heading", level=1).inner_text() == "Tableau de bord EGAlim 2025"
    shown = page.locator("[data-percent]").all_inner_texts()
    assert shown == [
        french(expected.quality_sustainable_percent),
        french(expected.organic_percent),
        french(expected.meat_fish_quality_percent),
    ]
    badges = page.locator("[data-ratio] .fr-badge").all_inner_texts()
    assert [b.lower() for b in badges] == [
        "objectif atteint",
        "objectif non atteint",
        "objectif atteint",
    ]
    assert page.get_by_role("heading", name="Non conforme aux objectifs EGAlim").is_visible()
    assert page.locator("figure svg[role=img]").count() == 4
    assert page.get_by_text("Objectif légal : 20\u00a0%").first.is_visible()
    assert page.get_by_role("heading", name="Références").is_visible()
    field(page, "Début de la période").fill("2025-09-01")
    field(page, "Fin de la période").fill("2025-12-31")
    visit.submit("Calculer sur la période")
    autumn = Purchase.objects.filter(date__gte="2025-09-01", date__lte="2025-12-31").count()
    assert page.get_by_text(f"Du 01/09/2025 au 31/12/2025 : {autumn} achats.").is_visible()

    # The same file again: the preview warns that it was already imported.
    upload(visit)
    assert page.get_by_role("heading", name="Fichier déjà importé").is_visible()
    visit.submit("Abandonner cet import")
    assert Purchase.objects.count() == 68
    assert PurchaseImport.objects.filter(status="abandoned").count() == 1

    # The other pages of the buyer, each checked by axe.
    for link in [
        "Liste des achats",
        "Exporter pour ma cantine",
        "Prévision d'un DQE",
        "Historique",
    ]:
        visit.goto(f"/restauration/{people['commune'].pk}/")
        page.get_by_role("link", name=link).first.click()
        visit.check()
        # The wide purchases table scrolls in its box; the page itself is not wider than the
        # screen (the action buttons' screen-reader labels escaped the box and widened it).
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        ), link
    assert page.get_by_text("Import de données").first.is_visible()

    # A purchase typed by hand, with a typing error first: the input is kept.
    visit.goto(f"/restauration/{people['commune'].pk}/achats/nouveau/")
    field(page, "Date d'achat").fill("2025-12-15")
    field(page, "Famille de produits").select_option("produits_laitiers")
    field(page, "Désignation du produit").fill("Comté AOP 18 mois")
    field(page, "Montant HT (€)").fill("trois cents")
    tick(page, "AOC / AOP")
    visit.submit("Enregistrer l'achat")
    assert page.locator(".fr-input-group--error").count() == 1
    assert field(page, "Désignation du produit").input_value() == "Comté AOP 18 mois"
    field(page, "Montant HT (€)").fill("312,40")
    visit.submit("Enregistrer l'achat")
    assert Purchase.objects.filter(description="Comté AOP 18 mois").exists()
    assert len(visit.checked) >= 14


DQE = (
    "designation;famille_produits;prix_unitaire_ht;quantite;categories_egalim\n"
    "Sauté de veau Label Rouge;VIANDES_VOLAILLES;16,80;900;LABEL_ROUGE\n"
    "Filets de poulet;VIANDES_VOLAILLES;9,20;1400;\n"
    "Carottes bio;FRUITS_ET_LEGUMES;1,45;6000;BIO\n"
    "Yaourt nature bio;PRODUITS_LAITIERS;0,32;30000;BIO\n"
    "Emmental;PRODUITS_LAITIERS;8,90;800;\n"
)


def test_the_shared_amo_firm_forecasts_a_dqe_and_the_buyer_corrects_a_purchase(
    page: Page, live_server: LiveServer, people: People, tmp_path: Path
) -> None:
    from decimal import Decimal

    from openamo.catering import forecast_from_dict
    from openamo.web.catering.models import Forecast
    from openamo.web.operations import services as operations
    from openamo.web.operations.access import operation_access

    firm = Organisation.objects.create(name="Cabinet Conseil", kind=OrganisationKind.AMO)
    alice = get_user_model().objects.create_user("alice.bernard", password=PASSWORD)
    Membership.objects.create(user=alice, organisation=firm, role=Role.AMO)
    marie = people["marie"]
    operation = operations.create_operation(
        marie,
        people["commune"],
        OperationEntry("Restauration scolaire 2027", kind=OperationKind.RESTAURATION),
    )
    operations.share_operation(operation_access(marie, operation.pk), marie, firm)
    dqe = tmp_path / "dqe.csv"
    dqe.write_text(DQE, encoding="utf-8")

    visit = Visit(page, live_server.url)
    sign_in(visit, "alice.bernard")
    visit.goto("/restauration/")
    page.get_by_role("link", name="Prévision d'un DQE").first.click()
    visit.check()
    field(page, "Intitulé").fill("DQE du lot 1")
    field(page, "Année d'exécution prévue").fill("2027")
    field(page, "Opération").select_option(label="Restauration scolaire 2027")
    field(page, "DQE (CSV ou JSON)").set_input_files(str(dqe))
    visit.submit("Calculer la prévision")
    forecast = Forecast.objects.get()
    expected = forecast_from_dict(forecast.input)
    assert expected.dqe_total_ht == Decimal("53420.00")
    shown = page.locator("[data-percent]").all_inner_texts()
    assert shown[0] == french(expected.ratios.quality_sustainable_percent)
    assert page.get_by_role("table", name="Lignes du DQE").locator("tbody tr").count() == 5
    page.get_by_role("link", name="Supprimer").click()
    visit.check()
    visit.submit("Confirmer la suppression")
    assert Forecast.objects.get().deleted_at is not None

    # The buyer's maître d'ouvrage corrects a purchase, then deletes it.
    page.context.clear_cookies()
    sign_in(visit, "marie.dupont")
    visit.goto(f"/restauration/{people['commune'].pk}/achats/nouveau/")
    field(page, "Date d'achat").fill("2026-03-02")
    field(page, "Famille de produits").select_option("charcuterie")
    field(page, "Désignation du produit").fill("Jambon blanc")
    field(page, "Montant HT (€)").fill("245,00")
    visit.submit("Enregistrer l'achat")
    page.get_by_role("link", name="Modifier : l'achat « Jambon blanc » du 02/03/2026").click()
    visit.check()
    tick(page, "Label Rouge")
    tick(page, "Oui, compte dans les viandes et poissons")
    visit.submit("Enregistrer")
    purchase = Purchase.objects.get()
    assert (purchase.label_codes, purchase.is_meat_or_fish) == (["label_rouge"], True)
    page.get_by_role("link", name="Supprimer : l'achat « Jambon blanc » du 02/03/2026").click()
    visit.check()
    visit.submit("Confirmer la suppression")
    purchase.refresh_from_db()
    assert purchase.deleted_at is not None
