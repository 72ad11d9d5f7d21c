"""The dashboard lists every dated obligation of the user's files, grouped by kind, each
linking to where it is handled, and forgets what is done (issue 16.7)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from openamo.amendments import Action as Step
from openamo.award import award_calendar_from_dict
from openamo.web.amendments import services as amendment_services
from openamo.web.award.models import AnalysisStatus, LotAnalysis
from openamo.web.contracts import payments
from openamo.web.contracts.access import contract_access
from openamo.web.contracts.models import Invoice, Renewal, Reserve
from openamo.web.contracts.requests import InvoiceEntry
from openamo.web.demo import load_demo
from openamo.web.operations.kinds import OperationKind
from openamo.web.operations.models import (
    Consultation,
    ConsultationStatus,
    Lot,
    Need,
    Operation,
    Stage,
)
from tests.integration.web import _amendments
from tests.integration.web.conftest import Cast, client_for, fresh, make_operation, text
from tests.integration.web.contracts_factories import furnish, make_contract
from tests.integration.web.steering_data import steered


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
        InvoiceEntry(reference="F-IMPAYEE", received_on=received, amount_ttc=Decimal("1200.00")),
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
    assert "Restauration du Val SAS — votre rôle : représentant du titulaire, signataire" in page
    assert "maître d'ouvrage" not in page
    assert "Opérations par étape" not in page and "Dernières opérations modifiées" not in page
    assert "En attente de votre réponse" in page
    assert "Avenant n° 2 à accepter ou refuser" in page
    # Publishing the essential data is the buyer's duty; the payment is awaited by the holder.
    assert "Données essentielles à publier" not in page
    assert "paiement attendu au plus tard le" in page
    assert "Paiements attendus" in page and "Factures à payer" not in page  # not the buyer's


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


def test_the_standstill_of_a_validated_ranking_waits_for_the_contract(
    cast: Cast, operation: Operation
) -> None:
    lot = Lot.objects.filter(operation=operation).order_by("number").first()
    assert lot is not None
    Consultation.objects.create(
        operation=operation,
        status=ConsultationStatus.VALIDEE,
        procedure="formalisee",
        input={"buyer": "collectivite", "nature": "fournitures", "estimated_amount_ht": "480000"},
    )
    LotAnalysis.objects.create(
        operation=operation, lot=lot, status=AnalysisStatus.VALIDEE, validated_at=timezone.now()
    )
    client = client_for(cast.mo)
    page = dashboard(client)
    assert "Délais de suspension avant signature" in page
    assert "délai de suspension de 11 jours" in page
    # The domain's award calendar (``amo attribution calendrier``) gives the date.
    calendar = award_calendar_from_dict(
        {
            "decision_on": timezone.now().date().isoformat(),
            "buyer": "collectivite",
            "nature": "fournitures",
            "procedure": "formalisee",
            "estimated_value_ht": "480000",
        }
    )
    first = calendar.earliest_signature_on
    assert first > timezone.localdate()
    assert f"signature du marché possible à partir du {first:%d/%m/%Y}" in page
    assert "R2182-1" in page
    make_contract(cast, operation)  # the contract of the first lot is recorded: done
    assert "Délais de suspension" not in dashboard(client)


def test_dated_decisions_join_their_group_with_their_deadline(
    cast: Cast, operation: Operation
) -> None:
    contract = make_contract(cast, operation)
    furnish(cast, contract)
    renewal = Renewal.objects.filter(contract=contract, decision="a_decider").order_by("number")[0]
    it_project = make_operation(cast, kind=OperationKind.INFORMATIQUE)
    steered(cast, it_project, validated=False)
    page = dashboard(client_for(cast.mo))
    groups = page.split("Échéances et obligations", 1)
    decisions, obligations = groups[0], groups[1]
    assert "Reconductions à décider" in obligations
    expected = f"Reconduction n° {renewal.number} à décider avant le "
    assert f"{expected}{renewal.decision_deadline:%d/%m/%Y}" in obligations
    assert "Reconduction n°" not in decisions  # listed once, with its deadline
    assert "Bases de référence à valider" in obligations
    assert "Base de référence à valider avant le" in obligations


def test_the_titulaire_s_menu_has_no_buyer_link(db: None, tmp_path: Path) -> None:
    load_demo(tmp_path / "credentials.json")
    holder = get_user_model().objects.get(username="emma.roux")
    page = text(client_for(holder).get(reverse("operations:dashboard")))
    menu = page.split('class="fr-nav__list"', 1)[1].split("</ul>", 1)[0]
    assert "Vos marchés" in menu
    for buyer_only in ("Opérations", "Restauration (EGAlim)", "Données essentielles", "API"):
        assert buyer_only not in menu
    # What awaits its answer is dated in the obligations, and the left column says so.
    assert "à accepter ou refuser avant le" in page
    assert "les décisions datées figurent dans les échéances" in page
    # The buyers' evaluations of their titulaires are not the titulaire's page.
    contracts = text(client_for(holder).get(reverse("contracts:list")))
    assert "Évaluations des titulaires" not in contracts


def test_the_award_notice_of_a_contract_above_the_eu_threshold_waits_until_it_is_sent(
    cast: Cast, operation: Operation
) -> None:
    signed = timezone.localdate() - datetime.timedelta(days=10)
    contract = make_contract(
        cast,
        operation,
        procedure="formalisee",
        signed_on=signed,
        notified_on=signed + datetime.timedelta(days=2),
        consultation_on=signed - datetime.timedelta(days=90),
        maximum_amount_ht=Decimal("400000.00"),
    )
    client = client_for(cast.mo)
    page = dashboard(client)
    deadline = signed + datetime.timedelta(days=30)
    assert "Avis d'attribution à publier" in page
    assert f"Avis d'attribution à envoyer à la publication avant le {deadline:%d/%m/%Y}" in page
    assert f"signé le {signed:%d/%m/%Y}" in page and "R2183-1" in page
    assert reverse("contracts:edit", args=[contract.pk]) in text(
        client.get(reverse("operations:dashboard"))
    )

    contract.award_notice_sent_on = deadline
    contract.save(update_fields=["award_notice_sent_on"])
    assert "Avis d'attribution à publier" not in dashboard(client)


def test_the_award_notice_of_social_services_keeps_r2183_1_and_says_the_grouping_was_not_found(
    cast: Cast, operation: Operation
) -> None:
    signed = timezone.localdate() - datetime.timedelta(days=10)
    contract = make_contract(
        cast,
        operation,
        nature="services",
        procedure="mapa",
        signed_on=signed,
        notified_on=signed + datetime.timedelta(days=2),
        consultation_on=signed - datetime.timedelta(days=90),
        maximum_amount_ht=Decimal("900000.00"),
    )
    client = client_for(cast.mo)
    assert "regroupement trimestriel" not in dashboard(client)
    Need.objects.filter(operation=operation).update(social_and_specific_services=True)
    page = dashboard(client)
    deadline = signed + datetime.timedelta(days=30)
    assert f"Avis d'attribution à envoyer à la publication avant le {deadline:%d/%m/%Y}" in page
    assert "services sociaux et autres services spécifiques" in page
    assert "regroupement trimestriel" in page and "art. 75" in page
    # Below their own EU threshold (750 000 € HT, directive art. 4 d), no award notice is due.
    contract.maximum_amount_ht = Decimal("500000.00")
    contract.save(update_fields=["maximum_amount_ht"])
    assert "Avis d'attribution à publier" not in dashboard(client)


def test_no_award_notice_is_asked_below_the_eu_threshold_and_a_missing_signature_is_said(
    cast: Cast, operation: Operation
) -> None:
    notified = timezone.localdate() - datetime.timedelta(days=40)
    contract = make_contract(cast, operation, notified_on=notified, start_on=None)
    client = client_for(cast.mo)
    assert "Avis d'attribution à publier" not in dashboard(client)

    contract.maximum_amount_ht = Decimal("250000.00")
    contract.save(update_fields=["maximum_amount_ht"])
    page = dashboard(client)
    late = notified + datetime.timedelta(days=30)
    assert f"avant le {late:%d/%m/%Y}" in page
    assert "date de signature non renseignée" in page


def test_an_invoice_due_soon_waits_in_its_group_until_it_is_paid(
    cast: Cast, operation: Operation
) -> None:
    contract = make_contract(cast, operation)
    received = timezone.localdate() - datetime.timedelta(days=25)
    invoice = payments.save_invoice(
        contract_access(cast.mo, contract.pk),
        cast.mo,
        InvoiceEntry(reference="F-A-PAYER", received_on=received, amount_ttc=Decimal("800.00")),
    )
    client = client_for(cast.mo)
    page = dashboard(client)
    assert "Factures à payer" in page and "Factures en retard" not in page
    assert f"Facture {invoice.reference}" in page and "à payer avant le" in page
    Invoice.objects.filter(pk=invoice.pk).update(paid_on=timezone.localdate())
    assert "Factures à payer" not in dashboard(client)


def test_each_avenant_step_waits_on_the_dashboard_of_whoever_takes_it(
    cast: Cast, operation: Operation
) -> None:
    holders = _amendments.make_holders(cast)
    contract = _amendments.make_contract(cast, holders, operation)
    amendment = _amendments.propose(cast, contract)

    def act(user: User, step: Step) -> None:
        user = fresh(user)
        access = contract_access(user, contract.pk)
        amendment_services.act(access, user, amendment, step, "Motifs.")

    act(cast.consultant, Step.REDIGER_RAPPORT)
    signature = f"Avenant n° 1 à signer avant le {_amendments.MODIFICATION_DATE:%d/%m/%Y}"
    mo = client_for(cast.mo)
    obligations = dashboard(mo).split("Échéances et obligations", 1)[1]
    assert "Étapes des avenants" in obligations and signature in obligations
    url = reverse("amendments:detail", args=[contract.pk, amendment.pk])
    assert url in text(mo.get(reverse("operations:dashboard")))
    holder = dashboard(client_for(holders.signer))
    assert "Étapes des avenants" in holder and "Avenant n° 1 à accepter ou refuser" in holder
    act(holders.signer, Step.SIGNER)
    act(cast.mo, Step.SIGNER)
    assert "Avenant n° 1 à notifier au titulaire" in dashboard(mo)
    assert "Étapes des avenants" not in dashboard(client_for(holders.signer))
    act(cast.mo, Step.NOTIFIER)
    assert "Avenant n° 1 à" not in dashboard(mo)
