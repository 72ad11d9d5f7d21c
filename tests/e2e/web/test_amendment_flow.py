"""In a real browser: the AMO proposes an avenant and sees the domain's verdict; the AMO reports
and records the CAO opinion; the contractor accepts; the maître d'ouvrage signs, notifies and
records the publications; the avenant is downloaded and read back; the contract's history chart
is shown. The contractor may first answer with reasoned observations, kept in the file, before
signing. axe-core checks every page visited."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from docx import Document
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from openamo.amendments import check_amendment_from_dict
from openamo.web.amendments.models import Amendment
from openamo.web.contracts.models import Contract
from openamo.web.operations.models import Operation, Share
from openamo.web.organisations.models import Membership, Organisation, OrganisationKind, Role
from tests.e2e.web._browser import PASSWORD, Visit, field, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def person(username: str, first: str, last: str, organisation: Organisation, role: Role) -> Any:
    user = get_user_model().objects.create_user(
        username, password=PASSWORD, first_name=first, last_name=last
    )
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def contract(db: None) -> Contract:
    commune = Organisation.objects.create(
        name="Commune de Saint-Exemple",
        kind=OrganisationKind.COLLECTIVITE,
        buyer="collectivite",
        siret="21990000800018",
    )
    firm = Organisation.objects.create(
        name="Cabinet Territoires Conseil", kind=OrganisationKind.AMO
    )
    builder = Organisation.objects.create(
        name="Bâtiments du Val SAS", kind=OrganisationKind.ENTREPRISE
    )
    person("marie.dupont", "Marie", "Dupont", commune, Role.MAITRE_OUVRAGE)
    person("alice.bernard", "Alice", "Bernard", firm, Role.AMO)
    person("paul.durand", "Paul", "Durand", builder, Role.MAITRE_OUVRAGE)
    operation = Operation.objects.create(
        organisation=commune, title="Réhabilitation thermique de l'école Jules-Ferry"
    )
    Share.objects.create(operation=operation, organisation=firm)
    return Contract.objects.create(
        organisation=commune,
        operation=operation,
        reference="2025-TRAV-03",
        title="Réhabilitation thermique de l'école Jules-Ferry — lot 1 gros œuvre",
        nature="travaux",
        procedure="formalisee",
        holder_name="Bâtiments du Val SAS",
        holder_siret="73282932000074",
        holder_organisation=builder,
        # Above the EU works threshold of its launch (5 538 000 € HT in 2024-2025): the CAO is
        # competent (CGCT L1414-2), so its opinion on an avenant of more than 5 % is required.
        initial_amount_ht=Decimal("6250000.00"),
        vat_rate=Decimal("20.00"),
        notified_on=datetime.date(2025, 3, 14),
        duration_months=14,
    )


def sign_out(visit: Visit) -> None:
    visit.page.get_by_role("button", name="Se déconnecter").click()
    visit.page.wait_for_load_state("load")


def radio(page: Page, name: str, value: str) -> None:
    """DSFR radios are drawn over the input: click the label of the chosen value."""
    page.locator(
        f"label[for={page.locator(f'input[name={name}][value={value}]').get_attribute('id')}]"
    ).click()


def plain(text: str) -> str:
    """French typography (no-break and narrow no-break spaces) as ordinary spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def open_amendment(visit: Visit, contract: Contract) -> None:
    visit.goto(f"/marches/{contract.pk}/avenants/")
    visit.page.get_by_role("link", name="Désamiantage des dalles des classes 4 à 7").click()
    visit.check()


def test_an_avenant_goes_from_proposal_to_publication(
    page: Page, live_server: LiveServer, contract: Contract, tmp_path: Path
) -> None:
    visit = Visit(page, live_server.url)
    sign_in(visit, "alice.bernard")
    visit.goto(f"/marches/{contract.pk}/")
    section = plain(page.locator("#avenants + dl").inner_text())
    assert "Aucun avenant signé" in section and "6 250 000,00 €" in section
    page.get_by_role("link", name="Proposer un avenant").click()
    visit.check()

    field(page, "Objet de l'avenant").fill("Désamiantage des dalles des classes 4 à 7")
    field(page, "Cas de modification invoqué (CCP L2194-1)").select_option(
        "circonstances_imprevues"
    )
    field(page, "Montant HT de la modification (€)").fill("427 000,00")
    field(page, "Date de la modification").fill("2026-11-23")
    radio(page, "foreseeable", "non")
    field(page, "Textes cités dans le projet ou le guide utilisé (un par ligne)").fill(
        "Article 8 de la loi n° 95-127 du 8 février 1995"
    )
    visit.submit("Vérifier")
    verdict = page.locator("#verdict-title").inner_text()
    assert verdict == "Modification autorisée au titre de l'article R2194-5"
    expected = check_amendment_from_dict(
        {
            "contract": {
                "nature": "travaux",
                "buyer": "collectivite",
                "procedure": "formalisee",
                "initial_amount_ht": "6250000.00",
                "notified_on": "2025-03-14",
            },
            "modification": {
                "date": "2026-11-23",
                "amount_ht": "427000.00",
                "kind": "circonstances_imprevues",
                "foreseeable": False,
            },
        }
    )
    assert expected.cao_opinion_required and expected.modification_notice_required
    content = plain(page.locator("#verdict").inner_text())
    assert "6,83 %" in content and "6 677 000,00 € HT" in content
    assert re.search(
        r"Avis préalable de la commission d'appel d'offres \(CGCT L1414-4\) : obligatoire", content
    )
    assert "abrogé le 1er avril 2016" in content
    assert Amendment.objects.count() == 0
    assert (
        field(page, "Objet de l'avenant").input_value()
        == "Désamiantage des dalles des classes 4 à 7"
    )
    visit.submit("Enregistrer le projet d'avenant")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Avenant n° 1")

    page.get_by_role("link", name="Rédiger le rapport de présentation").click()
    visit.check()
    field(page, "Rapport de présentation : motifs et justification de l'avenant").fill(
        "Colles amiantées découvertes à la dépose des revêtements ; le retrait est "
        "indispensable à la poursuite du chantier (R2194-5)."
    )
    visit.submit("Enregistrer le rapport")
    page.get_by_role("link", name="Enregistrer l'avis de la CAO").click()
    visit.check()
    field(page, "Date de la séance de la commission d'appel d'offres").fill("2026-11-20")
    radio(page, "avis", "favorable")
    visit.submit("Enregistrer l'avis de la CAO")
    assert page.get_by_role("link", name="Signer l'avenant").count() == 0  # the AMO never signs
    sign_out(visit)

    sign_in(visit, "paul.durand")
    visit.goto("/avenants/")
    assert "Votre réponse est attendue" in page.content()
    page.get_by_role("link", name=re.compile("n° 1 — Désamiantage")).click()
    visit.check()
    page.get_by_role("link", name="Répondre au projet d'avenant").click()
    visit.check()
    radio(page, "decision", "accepter")
    field(page, "Qualité du signataire").fill("Président")
    field(page, "Commentaire").fill("Bon pour accord, délai de six semaines confirmé.")
    visit.submit("Envoyer la réponse")
    assert "Avenant accepté et signé." in page.content()
    sign_out(visit)

    sign_in(visit, "marie.dupont")
    open_amendment(visit, contract)
    page.get_by_role("link", name="Signer l'avenant").click()
    visit.check()
    field(page, "Qualité du signataire").fill("Adjointe au maire déléguée aux marchés publics")
    visit.submit("Signer l'avenant")
    page.get_by_role("link", name="Notifier l'avenant au titulaire").click()
    visit.check()
    field(page, "Date de notification au titulaire").fill("2026-11-24")
    visit.submit("Notifier l'avenant")
    page.get_by_role("link", name="Enregistrer les publications").click()
    visit.check()
    field(page, "Date de mise à jour des données essentielles du marché (DECP)").fill("2026-11-26")
    field(page, "Date de publication de l'avis de modification au JOUE (R2194-10)").fill(
        "2026-11-25"
    )
    visit.submit("Enregistrer les publications")
    assert "Publié (données essentielles, avis de modification)" in page.content()
    journal = page.locator("#journal + p + div table").inner_text()
    for step in (
        "Rapport de présentation rédigé",
        "Avis de la commission d'appel d'offres enregistré",
        "Acceptation et signature du titulaire",
        "Signature de l'acheteur",
        "Notification au titulaire",
        "Publications faites",
    ):
        assert step in journal, step

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger l'avenant (DOCX)").click()
    download = download_info.value
    assert download.suggested_filename == "Avenant n°1 - marché 2025-TRAV-03.docx"
    saved = tmp_path / "avenant.docx"
    download.save_as(saved)
    document = Document(io.BytesIO(saved.read_bytes()))
    text = "\n".join(
        [p.text for p in document.paragraphs]
        + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    )
    for expected_text in (
        "Avenant n° 1 au marché n° 2025-TRAV-03",
        "Désamiantage des dalles des classes 4 à 7",
        "R2194-5",
        "Avis favorable de la commission d'appel d'offres du 20/11/2026",
        "Marie DUPONT",
        "Paul DURAND",
    ):
        assert expected_text in text, expected_text

    visit.goto(f"/marches/{contract.pk}/")
    assert "1 avenant signé" in page.locator("#avenants + dl").inner_text()
    page.get_by_role("link", name="Avenants et historique du marché").click()
    visit.check()
    chart = page.locator("figure.openamo-chart")
    assert chart.locator("svg[role=img] polyline").count() == 3
    legend = plain(chart.inner_text())
    assert "Limite des modifications de faible montant, travaux (R2194-8) : 15 %" in legend
    assert "Avis préalable de la CAO (CGCT L1414-4) : 5 %" in legend
    assert "Plafond de chaque modification R2194-2 / R2194-5 (R2194-3) : 50 %" in legend
    assert "6 677 000,00 €" in plain(page.locator(".openamo-figures").inner_text())
    assert len(visit.checked) >= 20


def propose_asbestos_removal(visit: Visit, contract: Contract) -> None:
    """The AMO proposes the avenant of the flow above and writes its report."""
    page = visit.page
    sign_in(visit, "alice.bernard")
    visit.goto(f"/marches/{contract.pk}/avenants/nouveau/")
    field(page, "Objet de l'avenant").fill("Désamiantage des dalles des classes 4 à 7")
    field(page, "Cas de modification invoqué (CCP L2194-1)").select_option(
        "circonstances_imprevues"
    )
    # 3,2 % of the contract: below the 5 % that calls for the CAO's opinion (CGCT L1414-4).
    field(page, "Montant HT de la modification (€)").fill("200 000,00")
    field(page, "Date de la modification").fill("2026-11-23")
    radio(page, "foreseeable", "non")
    visit.submit("Enregistrer le projet d'avenant")
    page.get_by_role("link", name="Rédiger le rapport de présentation").click()
    field(page, "Rapport de présentation : motifs et justification de l'avenant").fill(
        "Colles amiantées découvertes à la dépose des revêtements (R2194-5)."
    )
    visit.submit("Enregistrer le rapport")
    sign_out(visit)


def test_the_contractor_s_reasoned_observations_stay_in_the_file_before_it_signs(
    page: Page, live_server: LiveServer, contract: Contract
) -> None:
    visit = Visit(page, live_server.url)
    propose_asbestos_removal(visit, contract)

    sign_in(visit, "paul.durand")
    visit.goto("/avenants/")
    page.get_by_role("link", name=re.compile("n° 1 — Désamiantage")).click()
    page.get_by_role("link", name="Répondre au projet d'avenant").click()
    visit.check()
    radio(page, "decision", "observer")
    visit.submit("Envoyer la réponse")
    assert "Indiquez vos observations et leurs motifs" in page.content()
    visit.check()
    reasons = "Le délai de six semaines ne tient pas compte de la fermeture du site en août."
    radio(page, "decision", "observer")
    field(page, "Commentaire").fill(reasons)
    visit.submit("Envoyer la réponse")
    assert "Observations transmises à l'acheteur" in page.content()
    visit.check()
    # Observations do not answer for good: the contractor may still sign.
    assert page.get_by_role("link", name="Répondre au projet d'avenant").count() == 1
    sign_out(visit)

    sign_in(visit, "marie.dupont")
    open_amendment(visit, contract)
    journal = page.locator("#journal + p + div table").inner_text()
    assert "Observations du titulaire" in journal and reasons in journal
    sign_out(visit)

    sign_in(visit, "paul.durand")
    visit.goto("/avenants/")
    page.get_by_role("link", name=re.compile("n° 1 — Désamiantage")).click()
    page.get_by_role("link", name="Répondre au projet d'avenant").click()
    radio(page, "decision", "accepter")
    field(page, "Qualité du signataire").fill("Président")
    visit.submit("Envoyer la réponse")
    assert "Avenant accepté et signé." in page.content()
    journal = page.locator("#journal + p + div table").inner_text()
    assert "Acceptation et signature du titulaire" in journal and reasons in journal


def test_a_forbidden_modification_is_explained_and_the_input_kept(
    page: Page, live_server: LiveServer, contract: Contract
) -> None:
    visit = Visit(page, live_server.url)
    sign_in(visit, "alice.bernard")
    visit.goto(f"/marches/{contract.pk}/avenants/nouveau/")
    field(page, "Objet de l'avenant").fill("Construction d'un gymnase")
    field(page, "Montant HT de la modification (€)").fill("700 000")
    field(page, "La modification change l'objet du marché ou sa nature globale").check(force=True)
    visit.submit("Enregistrer le projet d'avenant")
    assert "La modification n'est pas enregistrée" in page.content()
    assert page.locator("#verdict-title").inner_text() == "Modification interdite"
    assert field(page, "Montant HT de la modification (€)").input_value() == "700 000"
    field(page, "Montant HT de la modification (€)").fill("sept cent mille")
    visit.submit("Vérifier")
    assert page.locator(".fr-input-group--error").count() == 1
    assert field(page, "Objet de l'avenant").input_value() == "Construction d'un gymnase"
    assert Amendment.objects.count() == 0
