"""In a real browser: a finance officer enters a contract signed before OpenAMO (a mistyped SIRET
is refused in French, what she typed is kept), records an invoice paid late and reads the
late-payment interest and the 40 € indemnity computed by the domain; then every other page of
the contract (prices and an index import with bad lines, orders, quality, history, dashboard)
is visited. axe-core checks every page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TypedDict

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from openamo.pricing import late_payment_from_dict
from openamo.web.contracts.models import Contract, IndexValue, Invoice
from openamo.web.operations import services as operation_services
from openamo.web.operations.models import Operation
from openamo.web.operations.requests import OperationEntry
from openamo.web.organisations.models import Membership, Organisation, OrganisationKind, Role
from openamo.web.users import AuthenticatedUser
from tests.e2e.web._browser import PASSWORD, Visit, field, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BAD_SERIES = (
    Path(__file__).resolve().parents[2] / "fixtures" / "indices" / "bad_valeurs_invalides.csv"
)


class People(TypedDict):
    """The buyer, its maître d'ouvrage and its operation, created for the walk."""

    commune: Organisation
    marie: AuthenticatedUser
    operation: Operation


@pytest.fixture
def people(db: None) -> People:
    commune = Organisation.objects.create(
        name="Commune de Saint-Exemple", kind=OrganisationKind.COLLECTIVITE, buyer="collectivite"
    )
    marie = get_user_model().objects.create_user(
        "marie.dupont", password=PASSWORD, first_name="Marie", last_name="Dupont"
    )
    Membership.objects.create(user=marie, organisation=commune, role=Role.MAITRE_OUVRAGE)
    operation = operation_services.create_operation(
        marie, commune, OperationEntry("Renouvellement de la restauration scolaire 2027")
    )
    return {"commune": commune, "marie": marie, "operation": operation}


def tick(page: Page, label: str) -> None:
    """DSFR draws the checkbox on its label: a user clicks the label."""
    page.locator("label", has_text=label).first.click()
    assert page.get_by_label(label).first.is_checked()


def follow(visit: Visit, name: str) -> None:
    visit.page.get_by_role("link", name=name).first.click()
    visit.check()


def fill_contract(page: Page, siret: str) -> None:
    field(page, "Numéro du marché").fill("2025-REST-BIO-01")
    field(page, "Objet du marché").fill("Fourniture de denrées biologiques")
    field(page, "Nature des prestations").select_option("fournitures")
    field(page, "Procédure de passation").select_option("mapa")
    field(page, "Titulaire (raison sociale)").fill("Restauration du Val SAS")
    field(page, "SIRET du titulaire").fill(siret)
    field(page, "Montant initial HT (€)").fill("61 480,00")
    field(page, "Taux de TVA (%)").fill("5,5")
    field(page, "Date de notification").fill("2025-08-25")
    field(page, "Début d'exécution").fill("2025-09-01")
    field(page, "Durée de la période initiale (mois)").fill("12")
    field(page, "Nombre de reconductions").fill("3")
    field(page, "Préavis de décision avant chaque reconduction (mois)").fill("3")
    field(page, "Forme du prix").select_option("revisable")
    tick(page, "Accord-cadre à bons de commande")
    field(page, "Maximum de l'accord-cadre HT (€)").fill("80 000")
    field(page, "Clause de pénalités de retard").select_option("ccag_fcs")


def test_contract_then_invoice_paid_late_shows_the_late_interest(
    page: Page, live_server: LiveServer, people: People
) -> None:
    visit = Visit(page, live_server.url)
    sign_in(visit, "marie.dupont")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Marchés"
    ).click()
    visit.check()
    follow(visit, "Enregistrer un marché")

    fill_contract(page, "732 829 320 00075")
    visit.submit("Enregistrer le marché")
    assert "clé de contrôle est fausse" in page.content()
    assert field(page, "Objet du marché").input_value() == "Fourniture de denrées biologiques"
    assert field(page, "SIRET du titulaire").input_value() == "732 829 320 00075"
    field(page, "SIRET du titulaire").fill("732 829 320 00074")
    visit.submit("Enregistrer le marché")
    contract = Contract.objects.get()
    assert page.get_by_role("heading", level=1).inner_text() == str(contract)
    assert contract.holder_siret == "73282932000074"

    follow(visit, "Commandes et factures")
    follow(visit, "Enregistrer une facture")
    field(page, "Numéro de la facture").fill("F-2025-118")
    field(page, "Reçue le").fill("2025-10-06")
    field(page, "Montant TTC (€)").fill("16 036,00")
    field(page, "Payée le").fill("2025-11-20")
    visit.submit("Enregistrer")

    invoice = Invoice.objects.get()
    expected = late_payment_from_dict(invoice.input)
    assert expected.days_late == 15
    callout = page.locator(".fr-callout__title").inner_text()
    interest = f"{expected.interest:.2f}".replace(".", ",")
    assert re.search(rf"Intérêts moratoires : {interest}\s€", callout), callout
    assert re.search(r"indemnité forfaitaire : 40,00\s€", callout), callout
    assert "10,15" in page.content()
    assert "R2192-31" in page.content()

    # Every other page of the contract, axe-checked.
    follow(visit, "Commandes et factures")
    follow(visit, "Enregistrer un bon de commande")
    field(page, "Numéro du bon de commande").fill("BC-2025-001")
    field(page, "Émis le").fill("2025-09-02")
    field(page, "Montant HT (€)").fill("15 200")
    visit.submit("Enregistrer")
    assert "15 200,00" in page.content().replace("\u202f", " ")

    follow(visit, "Prix et révision")
    follow(visit, "Ajouter un terme")
    field(page, "Série d'indices").fill("BT01")
    field(page, "Poids bᵢ").fill("1")
    field(page, "Période de base (I₀)").fill("2025-01")
    visit.submit("Ajouter")
    follow(visit, "Importer une série (CSV)")
    field(page, "Fichier de la série (CSV)").set_input_files(str(BAD_SERIES))
    visit.submit("Importer")
    assert "Rien n'a été importé : 3 lignes invalides" in page.content()
    assert "valeur d'indice invalide « abc »" in page.content()
    assert not IndexValue.objects.exists()
    tick(page, "Importer les lignes valides seulement")
    field(page, "Fichier de la série (CSV)").set_input_files(str(BAD_SERIES))
    visit.submit("Importer")
    assert IndexValue.objects.count() == 2
    follow(visit, "Calculer une révision")
    field(page, "Date de la révision").fill("2025-03-01")
    field(page, "Mois des indices").fill("2025-02")
    field(page, "Prix de base P0 HT (€)").fill("3,85")
    field(page, "Prix facturé HT (€)").fill("4,10")
    visit.submit("Calculer")
    assert "Dérive du prix facturé" in page.content()
    # The amount and its « € » are held together by a no-break space.
    revised = page.content().replace("&nbsp;", " ").replace("\u00a0", " ")
    assert "Prix révisé : 3,91 € HT" in revised
    visit.goto(f"/marches/{contract.pk}/prix/formule/")
    visit.goto(f"/marches/{contract.pk}/prix/indices/nouvelle-valeur/")
    visit.goto(f"/marches/{contract.pk}/prix/revisions/nouvelle/")

    visit.goto(f"/marches/{contract.pk}/")
    follow(visit, "Qualité et réception")
    follow(visit, "Préparer un ordre de service")
    field(page, "Objet").fill("Démarrage des livraisons")
    visit.submit("Préparer l'ordre de service")
    follow(visit, "Signer et émettre")
    visit.submit("Signer et émettre")
    follow(visit, "Enregistrer des opérations de réception")
    field(page, "Objet de la réception").fill("Admission du premier trimestre")
    visit.submit("Enregistrer")
    follow(visit, "Noter une réserve")
    field(page, "Réserve").fill("Yaourts livrés à 9 °C")
    visit.submit("Noter la réserve")
    follow(visit, "Décider")
    page.locator("label", has_text="Prononcer la réception avec réserves").click()
    visit.submit("Enregistrer la décision")
    assert "Prononcée avec réserves" in page.content()
    follow(visit, "Constater la levée")
    visit.goto(f"/marches/{contract.pk}/penalites/nouvelle/")
    field(page, "Manquement constaté").fill("Livraison du 14/10 en retard")
    field(page, "Date contractuelle d'exécution").fill("2025-10-14")
    field(page, "Date d'exécution effective").fill("2025-10-20")
    field(page, "Valeur des prestations en retard HT (€)").fill("30 000")
    visit.submit("Calculer")
    follow(visit, "Décider")
    visit.goto(f"/marches/{contract.pk}/evaluations/nouvelle/")
    invoice_edit = f"/marches/{contract.pk}/factures/{invoice.pk}/modifier/"
    from_operation = f"/marches/nouveau/operation/{people['operation'].pk}/"
    for path in [invoice_edit, f"/marches/{contract.pk}/supprimer/", from_operation]:
        visit.goto(path)
    visit.goto(f"/marches/{contract.pk}/sous-traitants/nouveau/")
    visit.goto(f"/marches/{contract.pk}/modifier/")
    visit.goto(f"/marches/{contract.pk}/")
    follow(visit, "Décider")  # the first renewal
    visit.goto(f"/marches/{contract.pk}/historique/")
    visit.goto("/marches/factures/")
    visit.goto("/marches/evaluations/")
    visit.goto("/marches/?q=Restauration")
    assert len(visit.checked) >= 30
