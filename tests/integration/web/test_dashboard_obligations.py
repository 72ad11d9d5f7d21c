"""The dashboard lists every dated obligation of the user's files, grouped by kind, each
linking to where it is handled, and forgets what is done (issue 16.7)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from openamo.web.contracts import payments
from openamo.web.contracts.access import contract_access
from openamo.web.contracts.models import Invoice, Reserve
from openamo.web.demo import load_demo
from openamo.web.operations.models import Consultation, Operation, Stage
from tests.integration.web.conftest import Cast, client_for, text
from tests.integration.web.contracts_factories import furnish, make_contract


def dashboard(client: object) -> str:
    page = text(client.get(reverse("operations:dashboard")))  # type: ignore[attr-defined]
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_bids_invoices_and_reserves_are_listed_until_they_are_done(
    cast: Cast, operation: Operation
) -> None:
    deadline = timezone.localdate() + datetime.timedelta(days=20)
    Consultation.objects.create(operation=operation, response_deadline=deadline)
    contract = make_contract(cast, operation)
    furnished = furnish(cast, contract)
    received = timezone.localdate() - datetime.timedelta(days=100)
    invoice = payments.save_invoice(
        contract_access(cast.mo, contract.pk),
        cast.mo,
        {"reference": "F-IMPAYEE", "received_on": received, "amount_ttc": Decimal("1200.00")},
    )
    Operation.objects.filter(pk=operation.pk).update(stage=Stage.PASSATION)
    client = client_for(cast.mo)
    page = dashboard(client)
    assert "Remise des offres" in page
    assert f"Date limite de remise des offres le {deadline:%d/%m/%Y}" in page
    assert "Factures en retard" in page
    assert f"Facture {invoice.reference}" in page
    # Owed as soon as the invoice is late, whatever the ECB rate (D2192-35).
    assert "indemnité forfaitaire de 40,00 € due" in page.replace("\u202f", " ").replace(
        "\u00a0", " "
    )
    assert "Réserves à lever" in page and furnished.reserve.description in page
    assert reverse("contracts:payments", args=[contract.pk]) in text(
        client.get(reverse("operations:dashboard"))
    )

    Operation.objects.filter(pk=operation.pk).update(stage=Stage.EXECUTION)
    Invoice.objects.filter(pk=invoice.pk).update(paid_on=invoice.received_on, days_late=0)
    Reserve.objects.filter(pk=furnished.reserve.pk).update(lifted_on=timezone.localdate())
    page = dashboard(client)
    assert "Remise des offres" not in page
    assert f"Facture {invoice.reference}" not in page
    assert furnished.reserve.description not in page


def test_a_signed_avenant_s_essential_data_wait_for_their_publication(
    db: None, tmp_path: Path
) -> None:
    load_demo(tmp_path / "demo-credentials.json")
    marie = get_user_model().objects.get(username="marie.dupont")
    page = dashboard(client_for(marie))
    assert "Données essentielles à publier" in page
    assert "Avenant n° 1 : données essentielles à publier avant le" in page


def test_the_contractor_s_dashboard_speaks_to_the_titulaire(db: None, tmp_path: Path) -> None:
    load_demo(tmp_path / "demo-credentials.json")
    emma = get_user_model().objects.get(username="emma.roux")
    page = dashboard(client_for(emma))
    assert "Restauration du Val SAS (titulaire)" in page
    assert "maître d'ouvrage" not in page
    assert "Opérations par étape" not in page and "Dernières opérations modifiées" not in page
    assert "En attente de votre réponse" in page
    assert "Avenant n° 2 à accepter ou refuser" in page
    # Publishing the essential data is the buyer's duty; the payment is awaited by the holder.
    assert "Données essentielles à publier" not in page
    assert "paiement attendu au plus tard le" in page


def test_the_contractor_is_never_sent_to_a_page_it_may_not_open(db: None, tmp_path: Path) -> None:
    """Every link the titulaire's pages show opens (no buyer-only page answering 404)."""
    load_demo(tmp_path / "demo-credentials.json")
    client = client_for(get_user_model().objects.get(username="emma.roux"))
    queue, seen, refused = [reverse("operations:dashboard")], set[str](), []
    while queue and len(seen) < 80:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            refused.append((response.status_code, url))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for href in re.findall(r'href="(/[^"#]*)"', text(response)):
            if href.startswith(("/static/", "/api/", "/deconnexion", "/admin/")):
                continue
            if not re.search(r"\.(docx|pdf|csv|zip|xlsx)$", href) and href not in seen:
                queue.append(href)
    assert len(seen) > 10
    assert refused == []
