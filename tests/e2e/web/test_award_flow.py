"""In a real browser, the whole passation: the AMO firm sets the criteria (a wrong total is
refused next to the weights), their sub-criteria, enters three offers with justified marks (a
wrong SIRET and an unjustified mark are refused), runs the analysis and reads the comparison;
the buyer's maître d'ouvrage validates the ranking, downloads the DCE (ZIP) and the report
(DOCX). axe-core checks every page visited."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from docx import Document
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from openamo.award import score_offers_from_dict
from openamo.procurement.enums import Nature
from openamo.web.audit.models import Action, AuditEvent
from openamo.web.award.models import AnalysisStatus, LotAnalysis
from openamo.web.award.queries import awarded
from openamo.web.operations import services
from openamo.web.operations.access import operation_access
from openamo.web.operations.models import Lot, Operation
from openamo.web.operations.requests import Circumstances, LotEntry, NeedEntry, OperationEntry
from openamo.web.organisations.models import Membership, Organisation, OrganisationKind, Role
from tests.e2e.web._browser import PASSWORD, Visit, field, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WHY = "Mémoire technique précis : engagements chiffrés et vérifiables, page {page}."
OFFERS = [
    ("Propreté Services SAS", "35620101200016", "21 450,00", ("10", "15", "10")),
    ("Hygiène du Val SARL", "41287651800017", "23 980,00", ("20", "15", "20")),
    ("Net'Ouest SCOP", "52974301500016", "26 300,00", ("15", "10", "15")),
]


def person(username: str, first: str, last: str, organisation: Organisation, role: Role) -> Any:
    user = get_user_model().objects.create_user(
        username, password=PASSWORD, first_name=first, last_name=last
    )
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def operation(db: None) -> Operation:
    """Saint-Exemple's cleaning supplies, two lots, procedure analysed, shared with its AMO."""
    commune = Organisation.objects.create(
        name="Commune de Saint-Exemple", kind=OrganisationKind.COLLECTIVITE, buyer="collectivite"
    )
    firm = Organisation.objects.create(
        name="Cabinet Territoires Conseil", kind=OrganisationKind.AMO
    )
    marie = person("marie.dupont", "Marie", "Dupont", commune, Role.MAITRE_OUVRAGE)
    person("alice.bernard", "Alice", "Bernard", firm, Role.AMO)
    found = services.create_operation(
        marie, commune, OperationEntry("Produits d'entretien des bâtiments communaux")
    )
    access = operation_access(marie, found.pk)
    services.save_need(
        access,
        marie,
        NeedEntry(
            object="Fourniture de produits d'entretien et d'hygiène",
            nature=Nature.FOURNITURES,
            estimated_amount_ht=Decimal("40000.00"),
            duration_months=12,
        ),
    )
    services.add_lot(access, marie, LotEntry("Produits d'entretien", Decimal(25000)))
    services.add_lot(access, marie, LotEntry("Hygiène et papier", Decimal(15000)))
    launch = datetime.date(2026, 12, 1)
    services.analyse_procedure(access, marie, Circumstances(launch, planned_response_days=35))
    services.share_operation(access, marie, firm)
    return found


def sign_out(visit: Visit) -> None:
    visit.page.get_by_role("button", name="Se déconnecter").click()
    visit.page.wait_for_load_state("load")


def criterion_row(page: Page, number: int, name: str, kind: str, weight: str) -> None:
    row = page.locator(f"#critere-{number}")
    field(row, "Intitulé du critère").fill(name)
    field(row, "Nature du critère").select_option(kind)
    field(row, "Pondération (%)").fill(weight)


def set_criteria(visit: Visit) -> None:
    page = visit.page
    page.get_by_role("link", name="Définir les critères de jugement").click()
    visit.check()
    criterion_row(page, 1, "Prix", "prix", "40")
    criterion_row(page, 2, "Valeur technique", "technique", "40")
    criterion_row(page, 3, "Performance environnementale", "environnement", "10")
    visit.submit("Enregistrer les critères")
    message = "La somme des poids des critères doit être égale à 100 (reçu : 90)."
    weight = page.locator("#critere-3 .fr-input-group--error")
    assert message in weight.inner_text()
    assert field(page.locator("#critere-3"), "Intitulé du critère").input_value() == (
        "Performance environnementale"
    )
    field(page.locator("#critere-3"), "Pondération (%)").fill("20")
    visit.submit("Vérifier les règles")
    assert "Règles vérifiées (non enregistré)" in page.content()
    assert "Les caractéristiques environnementales de l'offre sont prises en compte" in (
        page.content()
    )
    visit.submit("Enregistrer les critères")
    assert "Critères enregistrés." in page.content()
    assert page.get_by_text("Critères conformes aux règles vérifiées").is_visible()

    page.get_by_role("link", name=re.compile("Sous-critères et grille.*Valeur technique")).click()
    visit.check()
    sub_criteria = [("Qualité des produits", "25"), ("Flacons", "15")]
    for number, (sub_name, sub_weight) in enumerate(sub_criteria):
        group = page.get_by_role("group", name=f"Sous-critère n° {number + 1}")
        field(group, "Intitulé du sous-critère").fill(sub_name)
        field(group, "Poids (en points du total)").fill(sub_weight)
    visit.submit("Enregistrer")
    assert "Flacons : 15 points" in page.content()


def enter_candidacy(visit: Visit) -> None:
    page = visit.page
    page.get_by_role("link", name="Liste de contrôle des candidatures").click()
    visit.check()
    page.get_by_role("link", name="Ajouter une candidature").click()
    visit.check()
    field(page, "Candidat (raison sociale)").fill("Net'Ouest SCOP")
    field(page, "SIRET").fill("529 743 015 00016")
    page.get_by_text("Lettre de candidature (DC1) ou DUME fournie").click()
    page.get_by_text("Déclaration sur l'honneur de non-exclusion").click()
    visit.submit("Enregistrer")
    row = page.locator("tbody tr").filter(has_text="Net'Ouest SCOP")
    assert "Candidature à régulariser" in (row.text_content() or "")
    assert "déclaration du candidat (DC2) ou DUME" in row.inner_text()
    assert "CCP R2144-2" in row.inner_text()


def enter_offer(visit: Visit, bidder: str, siret: str, price: str, marks: tuple[str, ...]) -> None:
    page = visit.page
    page.get_by_role("link", name="Ajouter une offre").click()
    visit.check()
    field(page, "Soumissionnaire (raison sociale)").fill(bidder)
    field(page, "SIRET").fill(siret[:-1] + str((int(siret[-1]) + 1) % 10))
    field(page, "Prix de l'offre HT (€)").fill(price)
    visit.submit("Enregistrer")
    assert "sa clé de contrôle est fausse" in page.locator(".fr-input-group--error").inner_text()
    assert field(page, "Soumissionnaire (raison sociale)").input_value() == bidder
    field(page, "SIRET").fill(siret)
    visit.submit("Enregistrer")
    assert page.get_by_role("heading", level=1).inner_text() == f"Notes de l'offre de {bidder}"
    notes = page.locator("main select")
    justifications = page.locator("main textarea")
    for index, mark in enumerate(marks):
        notes.nth(index).select_option(mark)
        if index:  # the first is left unjustified, then refused
            justifications.nth(index).fill(WHY.format(page=index + 2))
    visit.submit("Enregistrer les notes")
    assert "justification écrite obligatoire" in page.locator(".fr-input-group--error").inner_text()
    justifications.nth(0).fill(WHY.format(page=1))
    visit.submit("Enregistrer les notes")
    assert f"Notes de « {bidder} » enregistrées." in page.content()


def test_the_amo_prepares_the_analysis_and_the_maitre_d_ouvrage_validates_it(
    page: Page, live_server: LiveServer, operation: Operation, tmp_path: Path
) -> None:
    visit = Visit(page, live_server.url)
    sign_in(visit, "alice.bernard")
    visit.goto(f"/operations/{operation.pk}/")
    set_criteria(visit)

    lot = Lot.objects.get(operation=operation, number=1)
    visit.goto(f"/operations/{operation.pk}/passation/")
    enter_candidacy(visit)
    visit.goto(f"/operations/{operation.pk}/passation/")
    page.get_by_role("link", name=f"Offres : {lot}").click()
    visit.check()
    for bidder, siret, price, marks in OFFERS:
        enter_offer(visit, bidder, siret, price, marks)
    rows = page.locator("table tbody tr")
    assert rows.count() == 3
    assert "3 / 3" in rows.nth(0).inner_text()

    page.get_by_role("link", name="Analyse et classement").click()
    visit.check()
    visit.submit("Lancer l'analyse")
    assert "Classement proposé, en attente de validation" in page.content()
    assert "Candidature à régulariser" in page.content()
    analysis = LotAnalysis.objects.get(lot=lot)
    expected = score_offers_from_dict(analysis.input).lots[0].ranking
    table = page.get_by_role("table", name="Comparaison des offres classées (points sur 100)")
    ranked = [
        table.locator("tbody tr").nth(i).locator("th").inner_text() for i in range(len(expected))
    ]
    assert ranked == [entry.bidder for entry in expected]
    assert ranked[0] == "Hygiène du Val SARL"
    assert f"{expected[0].total:.2f}".replace(".", ",") in table.inner_text()
    assert page.locator("figure.openamo-chart svg[role=img] rect").count() == 12
    assert page.get_by_role("button", name="Valider le classement").count() == 0

    visit.goto(f"/operations/{operation.pk}/passation/")
    page.get_by_role("link", name="Paramètres du DCE").click()
    visit.check()
    field(page, "Conditions d'exécution environnementales").fill(
        "Conditionnements rechargeables ; livraisons regroupées une fois par mois"
    )
    visit.submit("Enregistrer et vérifier")
    assert "Paramètres enregistrés : le DCE est prêt." in page.content()
    sign_out(visit)

    sign_in(visit, "marie.dupont")
    visit.goto(f"/operations/{operation.pk}/passation/lots/{lot.pk}/analyse/")
    visit.submit("Valider le classement")
    assert page.get_by_text("Classement validé", exact=True).is_visible()
    assert "Attributaire : Hygiène du Val SARL." in page.content()
    assert LotAnalysis.objects.get(lot=lot).status == AnalysisStatus.VALIDEE
    assert [w.bidder for w in awarded(operation.pk)] == ["Hygiène du Val SARL"]

    with page.expect_download() as report_download:
        page.get_by_role("button", name="Rapport d'analyse (DOCX)").click()
    saved = tmp_path / "rapport.docx"
    report_download.value.save_as(saved)
    assert report_download.value.suggested_filename.startswith("Rapport d'analyse des offres")
    document = Document(io.BytesIO(saved.read_bytes()))
    report = "\n".join(
        [p.text for p in document.paragraphs]
        + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    )
    assert "Hygiène du Val SARL" in report and WHY.format(page=1) in report

    visit.goto(f"/operations/{operation.pk}/passation/")
    with page.expect_download() as dce_download:
        page.get_by_role("button", name="Télécharger le DCE (ZIP)").click()
    archive = tmp_path / "dce.zip"
    dce_download.value.save_as(archive)
    names = set(zipfile.ZipFile(archive).namelist())
    assert {"RC.docx", "CCAP.docx", "CCTP.docx", "AE_lot_1.docx", "BPU_DQE_lot_2.xlsx"} <= names

    page.get_by_role("link", name="Historique des modifications et des décisions").click()
    visit.check()
    assert "Validation" in page.locator("tbody").inner_text()
    actions = set(AuditEvent.objects.filter(operation=operation).values_list("action", flat=True))
    assert {Action.ANALYSE, Action.VALIDATE, Action.GENERATE} <= actions
    assert len(visit.checked) >= 25
