"""In a real browser, on the demonstration canteen: the AMO records the maître d'œuvre's VISA
phase and the holder's projet de décompte final reaching the commune; the maître d'ouvrage
reads the programme, the envelope and its history, the organisation and the MOE consultation,
then approves the phase; a reader sees the file but may decide nothing. axe-core checks every
page."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from openamo.web.construction import demo
from openamo.web.construction.models import FinalAccount, MonthlyStatement, PhaseReview
from openamo.web.demo import load_demo
from openamo.web.operations.models import Operation
from tests.e2e.web._browser import PASSWORD, Visit, field, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("OPENAMO_SCREENSHOTS")


@pytest.fixture
def canteen(db: None, tmp_path: Path) -> Operation:
    load_demo(tmp_path / "demo-credentials.json")
    for username in ("marie.dupont", "alice.bernard", "jeanne.martin", "louis.garnier"):
        user = get_user_model().objects.get(username=username)
        user.set_password(PASSWORD)
        user.save()
    return Operation.objects.get(title=demo.TITLE)


def shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def sign_out(visit: Visit) -> None:
    visit.page.context.clear_cookies()


def test_from_programme_to_final_account_with_each_role(
    page: Page, live_server: LiveServer, canteen: Operation
) -> None:
    visit = Visit(page, live_server.url)
    base = f"/operations/{canteen.pk}/travaux/"
    account = FinalAccount.objects.get()

    # The AMO: the maître d'œuvre's VISA handed in, then the final draft at the commune.
    sign_in(visit, "alice.bernard")
    visit.goto(base)
    assert page.get_by_role("heading", name=re.compile("Programme")).count()
    page.get_by_role("link", name=re.compile("Proposer — .*VISA|Proposer — .*visa")).click()
    visit.check()
    field(page, "Remise au maître d'ouvrage le").fill("2026-11-20")
    field(page, "Estimation des travaux à ce stade, HT (€)").fill("1 512 300")
    visit.submit("Enregistrer la proposition")
    assert page.get_by_text("proposition enregistrée").count()
    visit.goto(f"{base}marches/{account.contract_id}/decompte/")
    field(page, "Projet de décompte final reçu par le maître d'ouvrage le").fill("2026-11-13")
    visit.submit("Enregistrer les dates")
    assert page.get_by_text("Dates du décompte enregistrées").count()
    shot(page, "construction_decompte")
    assert page.get_by_role("button", name="Décider").count() == 0
    sign_out(visit)

    # The maître d'ouvrage reads the file and decides the phase.
    sign_in(visit, "marie.dupont")
    visit.goto(base)
    shot(page, "construction_tableau")
    body = page.locator("main").inner_text()
    assert "Bâtiments du Val Construction SAS" in body
    assert "Conseil municipal" in body  # who raised the envelope, and when
    for path in ("programme/", "enveloppe/", "organisation/", "maitrise-oeuvre/"):
        visit.goto(base + path)
    visit.goto(base)
    # The envelope raised after the ACT was approved: that approval is revalidated first, or no
    # later phase may be decided.
    page.get_by_role("link", name=re.compile("Revalider — .*ACT")).click()
    visit.check()
    page.locator("label", has_text="Approuvée").first.click()
    field(page, "Date de la décision").fill("2026-11-25")
    visit.submit("Décider")
    assert page.get_by_text("décision enregistrée").count()
    assert "à revalider" not in page.locator("main").inner_text()
    page.get_by_role("link", name=re.compile("Décider — ")).first.click()
    visit.check()
    page.locator("label", has_text="Approuvée avec observations").first.click()
    field(page, "Date de la décision").fill("2026-11-26")
    field(page, "Observations").fill("Visas des plans d'exécution du lot 3 à compléter.")
    visit.submit("Décider")
    assert page.get_by_text("décision enregistrée").count()
    visa = PhaseReview.objects.get(project__operation=canteen, phase="visa")
    assert (visa.decision, str(visa.estimate_ht)) == ("approuvee_avec_observations", "1512300.00")
    assert visa.decided_by is not None and visa.decided_by.username == "marie.dupont"
    sign_out(visit)

    # A reader of the commune sees the file, no action, and a refusal if he forces a decision.
    sign_in(visit, "jeanne.martin")
    visit.goto(base)
    assert page.get_by_role("link", name=re.compile("^Décider")).count() == 0
    assert page.get_by_role("link", name=re.compile("^Proposer")).count() == 0
    response = page.goto(live_server.url + base + "phases/det/decider/")
    assert response is not None and response.status == 403
    visit.check()
    assert len(visit.checked) >= 12


def test_lots_orders_statements_reception_and_final_account(
    page: Page, live_server: LiveServer, canteen: Operation, tmp_path: Path
) -> None:
    """The maître d'œuvre proposes a monthly statement; the maître d'ouvrage reads the lots,
    the orders and their reserves, orders the payment, reads the reception with its reserves,
    downloads the reception report and the order, then the final account."""
    import io

    from docx import Document

    visit = Visit(page, live_server.url)
    base = f"/operations/{canteen.pk}/travaux/"
    lot3 = MonthlyStatement.objects.filter(contract__lot__number=3)
    assert not lot3.exists()

    sign_in(visit, "louis.garnier")
    visit.goto(base)
    assert page.get_by_text("Vous êtes le maître d'œuvre").count()
    page.get_by_role("link", name=re.compile("Lots et marchés de travaux")).click()
    visit.check()
    shot(page, "construction_lots")
    assert "L2113-10" in page.locator("main").inner_text()
    page.get_by_role("link", name="2026-TRAV-RS-03").click()
    visit.check()
    page.get_by_role("link", name="Enregistrer un projet de décompte mensuel").click()
    visit.check()
    field(page, "Mois des travaux (dernier jour du mois)").fill("2026-11-30")
    field(page, "Projet de décompte reçu par le maître d'œuvre le").fill("2026-12-01")
    field(page, "Cumul demandé par le titulaire HT (€)").fill("182 000")
    field(page, "Cumul accepté par le maître d'œuvre HT (€)").fill("176 500")
    visit.submit("Enregistrer l'acompte")
    assert page.get_by_text("Acompte n° 1 enregistré").count()
    assert page.get_by_text("rectifié").count()
    assert page.get_by_role("link", name=re.compile("Ordonner")).count() == 0
    sign_out(visit)

    sign_in(visit, "marie.dupont")
    visit.goto(base + "marches/")
    page.get_by_role("link", name="2026-TRAV-RS-03").click()
    visit.check()
    page.get_by_role("link", name=re.compile("Ordonner ou payer")).click()
    visit.check()
    field(page, "Paiement ordonné le").fill("2026-12-02")
    visit.submit("Enregistrer")
    assert page.get_by_text("décision enregistrée").count()
    decided_by = lot3.get().decided_by
    assert decided_by is not None and decided_by.username == "marie.dupont"

    visit.goto(base + "marches/")
    page.get_by_role("link", name="2026-TRAV-RS-01").click()
    visit.check()
    shot(page, "construction_execution_lot1")
    body = page.locator("main").inner_text()
    assert "Fondations sur micropieux" in body and "Délai de cinq jours accordé" in body
    assert "Fissure en pied de voile" in body and "16/10/2027" in body  # end of the guarantee
    # Each download button shows its label, not only the icon (DSFR reduces an icon button
    # of a small buttons group to its icon unless the group says where the icon goes).
    button = page.get_by_role("button", name="Procès-verbal de réception (Word)")
    assert button.evaluate("b => b.scrollWidth <= b.clientWidth + 1")
    with page.expect_download() as download_info:
        button.click()
    saved = tmp_path / "pv.docx"
    download_info.value.save_as(saved)
    document = Document(io.BytesIO(saved.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "PROCÈS-VERBAL ET DÉCISION DE RÉCEPTION" in text and "16/10/2027" in text
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Ordre de service (Word)").nth(1).click()
    assert download_info.value.suggested_filename.startswith("Ordre de service n° 2")
    page.get_by_role("link", name="Calendrier du décompte général").click()
    visit.check()
    assert page.get_by_text("Projet de décompte final").count()
    assert len(visit.checked) >= 10
