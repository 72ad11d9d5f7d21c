"""The contract pages as a buyer uses them: a contract from the validated award or entered
directly (SIRET checked, input kept), the price revision with imported index series, invoices
and their late interest, the dashboard of invoices at risk, and constant query counts."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openamo.pricing import late_payment_from_dict, revise_from_dict
from openamo.web.audit.models import Action, AuditEvent
from openamo.web.award.mappers import RankingSettings
from openamo.web.award.models import Offer
from openamo.web.award.services import ranking as ranking_service
from openamo.web.contracts.models import Contract, IndexValue, Invoice, PriceRevision
from openamo.web.operations.models import Lot, Operation
from openamo.web.organisations.models import Organisation, OrganisationKind
from tests import clock
from tests.integration.web import _award
from tests.integration.web.conftest import Cast, client_for, fresh, text
from tests.integration.web.contracts_factories import (
    VALID_SIRET,
    Company,
    furnish,
    make_company,
    make_contract,
)

pytestmark = pytest.mark.usefixtures("frozen_today")

FIXTURES = Path(__file__).parents[2] / "fixtures" / "indices"


@pytest.fixture
def company(cast: Cast) -> Company:
    return make_company(cast)


@pytest.fixture
def contract(cast: Cast, company: Company, operation: Operation) -> Contract:
    return make_contract(cast, operation, holder=company.organisation)


def form(**changes: Any) -> dict[str, Any]:
    """What a browser posts on the contract form (French amounts and dates)."""
    data: dict[str, Any] = {
        "organisation": "",
        "reference": "2019-ENT-04",
        "title": "Entretien des espaces verts",
        "nature": "services",
        "procedure": "mapa",
        "holder_name": "Jardins de l'Ouest",
        "holder_siret": "732 829 320 00074",
        "initial_amount_ht": "48 000,00",
        "vat_rate": "20",
        "notified_on": "12/03/2019",
        "duration_months": "12",
        "renewals": "3",
        "renewal_notice_months": "2",
        "price_form": "ferme",
        "payment_buyer": "collectivite",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_contract_from_the_validated_award_is_prefilled_with_the_winner(cast: Cast) -> None:
    operation = _award.award_operation(cast)
    lot = Lot.objects.filter(operation=operation).order_by("number").first()
    assert lot is not None
    _award.three_offers(cast, operation, lot)
    Offer.objects.filter(bidder="Maraîchers").update(siret=VALID_SIRET)
    account = Organisation.objects.create(
        name="Les Maraîchers SCOP", kind=OrganisationKind.ENTREPRISE, siret=VALID_SIRET
    )
    ranking_service.analyse(
        _award.scope(cast.mo, operation, lot),
        fresh(cast.mo),
        RankingSettings(winners=1),
    )
    ranking_service.validate(_award.scope(cast.mo, operation, lot), fresh(cast.mo))

    client = client_for(cast.mo)
    url = reverse("contracts:create_from_operation", args=[operation.pk])
    page = text(client.get(url))
    assert "Maraîchers" in page and "61 000,00" in page.replace("\u202f", " ")
    assert 'value="Maraîchers"' in page
    assert f'<option value="{account.pk}" selected>' in page
    response = client.post(
        url,
        form(
            organisation=None,
            lot=str(lot.pk),
            holder_name="Maraîchers",
            initial_amount_ht="61 000,00",
            notified_on="2027-02-15",
            holder_organisation=str(account.pk),
        ),
    )
    contract = Contract.objects.get()
    assert response.status_code == 302
    assert (contract.lot, contract.operation, contract.organisation) == (
        lot,
        operation,
        cast.commune,
    )
    assert contract.holder_siret == VALID_SIRET and contract.holder_organisation == account
    assert Operation.objects.get(pk=operation.pk).stage == "execution"
    created = AuditEvent.objects.get(contract=contract, object_type="contract")
    assert created.action == Action.CREATE and created.operation_id == operation.pk
    detail = text(client.get(reverse("contracts:detail", args=[contract.pk])))
    assert 'id="avenants"' in detail
    operation_page = text(client.get(reverse("operations:detail", args=[operation.pk])))
    assert "Exécution" in operation_page and "Entretien des espaces verts" in operation_page


def test_without_a_validated_award_the_contract_is_entered_directly(
    cast: Cast, operation: Operation
) -> None:
    page = text(
        client_for(cast.consultant).get(
            reverse("contracts:create_from_operation", args=[operation.pk])
        )
    )
    assert "Aucun classement validé" in page


def test_a_wrong_siret_is_refused_in_french_and_the_input_is_kept(cast: Cast) -> None:
    client = client_for(cast.internal_amo)
    url = reverse("contracts:create")
    data = form(organisation=str(cast.commune.pk), holder_siret="732 829 320 00075")
    response = client.post(url, data)
    page = text(response)
    assert response.status_code == 200
    assert "clé de contrôle est fausse" in page
    assert 'value="732 829 320 00075"' in page
    assert 'value="Entretien des espaces verts"' in page
    assert "fr-input-group--error" in page
    assert "14 chiffres" in text(client.post(url, {**data, "holder_siret": "7328293200"}))
    assert not Contract.objects.exists()

    response = client.post(url, {**data, "holder_siret": "732 829 320 00074"})
    contract = Contract.objects.get()
    assert response.status_code == 302 and contract.operation is None
    # Renewals dated from the clause: 12 months then three renewals, notice of two months.
    deadlines = list(contract.renewal_periods.values_list("decision_deadline", flat=True))
    assert deadlines == [
        datetime.date(2020, 1, 12),
        datetime.date(2021, 1, 12),
        datetime.date(2022, 1, 12),
    ]


def test_a_reader_cannot_enter_a_contract_directly(cast: Cast) -> None:
    response = client_for(cast.reader).get(reverse("contracts:create"))
    assert response.status_code == 302
    assert not Contract.objects.exists()


def test_the_index_series_import_reports_every_bad_line_and_imports_nothing(
    cast: Cast, contract: Contract
) -> None:
    client = client_for(cast.internal_amo)
    url = reverse("contracts:index_import", args=[contract.pk])
    bad = (FIXTURES / "bad_valeurs_invalides.csv").read_bytes()
    response = client.post(
        url, {"series": "BT01", "file": SimpleUploadedFile("bt01.csv", bad, "text/csv")}
    )
    page = text(response)
    assert response.status_code == 200
    assert "3 lignes invalides : rien n'a été importé" in page
    assert "valeur d'indice invalide « abc »" in page
    assert "une valeur d'indice doit être positive" in page
    assert "2025-01 apparaît deux fois avec des valeurs différentes" in page
    assert not IndexValue.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.IMPORT).exists()

    response = client.post(
        url,
        {
            "series": "BT01",
            "partial": "on",
            "file": SimpleUploadedFile("bt01.csv", bad, "text/csv"),
        },
    )
    assert response.status_code == 302
    values = dict(IndexValue.objects.values_list("period", "value"))
    assert values == {"2025-01": Decimal("100.0"), "2025-02": Decimal("101.5")}
    event = AuditEvent.objects.get(action=Action.IMPORT)
    assert event.contract_id == contract.pk and event.after is not None
    assert event.after["lignes écartées"] == 3


def test_the_revision_is_the_domain_s_and_a_drifting_invoiced_price_raises_an_alert(
    cast: Cast, contract: Contract
) -> None:
    client = client_for(cast.internal_amo)
    assert (
        client.post(
            reverse("contracts:formula", args=[contract.pk]),
            {"price_date": "2025-07-01", "fixed_part": "0,15", "coefficient_decimals": "4",
             "coefficient_rounding": "au_plus_proche", "revision_periodicity_months": "12",
             "index_lag_months": "0"},
        ).status_code
        == 302
    )  # fmt: skip
    client.post(
        reverse("contracts:term_create", args=[contract.pk]),
        {"index_name": "BT01", "weight": "0,85", "base_period": "07/2025"},
    )
    good = (FIXTURES / "insee_bdm_bt01.csv").read_bytes()
    client.post(
        reverse("contracts:index_import", args=[contract.pk]),
        {"series": "BT01", "file": SimpleUploadedFile("bt01.csv", good, "text/csv")},
    )
    url = reverse("contracts:revision_create", args=[contract.pk])
    missing = text(
        client.post(
            url, {"revised_on": "2027-09-01", "base_price_ht": "3,85", "price_decimals": "2"}
        )
    )
    assert "ne contient pas de valeur pour 2027-09" in missing
    assert "valeur de BT01 pour 2027-09 absente" in missing
    response = client.post(
        url,
        {"revised_on": "2026-09-01", "current_period": "2025-01", "base_price_ht": "3,85",
         "invoiced_price_ht": "3,95", "price_decimals": "2"},
    )  # fmt: skip
    revision = PriceRevision.objects.get()
    assert response.status_code == 302
    expected = revise_from_dict(revision.input)
    assert revision.coefficient == expected.coefficient
    assert revision.revised_price_ht == Decimal(expected.revised_price_ht)
    assert revision.drift_alert is True
    page = text(client.get(reverse("contracts:revision_detail", args=[contract.pk, revision.pk])))
    assert "Dérive du prix facturé" in page
    assert "CCP R2112-13" in page
    assert f"{expected.revised_price_ht.replace('.', ',')}\u00a0€ HT" in page


def invoice_form(**changes: Any) -> dict[str, Any]:
    data = {
        "reference": "F-2025-118",
        "received_on": "06/10/2025",
        "amount_ttc": "16 036,00",
        "paid_on": "20/11/2025",
    }
    data.update(changes)
    return data


def test_a_late_invoice_shows_the_domain_s_interest_and_indemnity(
    cast: Cast, contract: Contract
) -> None:
    client = client_for(cast.internal_amo)
    response = client.post(reverse("contracts:invoice_create", args=[contract.pk]), invoice_form())
    invoice = Invoice.objects.get()
    assert response.status_code == 302
    expected = late_payment_from_dict(invoice.input)
    assert (invoice.due_on, invoice.days_late) == (datetime.date(2025, 11, 5), 15)
    assert invoice.interest == expected.interest == Decimal("66.89")
    assert invoice.indemnity == Decimal("40.00")
    page = text(client.get(reverse("contracts:invoice_detail", args=[contract.pk, invoice.pk])))
    assert "66,89" in page and "10,15" in page and "D2192-35" in page
    cancel = reverse("contracts:invoice_cancel", args=[contract.pk, invoice.pk])
    assert "Facture F-2025-118 annulée." in text(client.post(cancel, follow=True))
    assert "F-2025-118" not in text(client.get(reverse("contracts:payments", args=[contract.pk])))
    assert AuditEvent.objects.filter(object_type="invoice", action=Action.DELETE).count() == 1


def test_a_suspension_moves_the_deadline_as_the_domain_says(cast: Cast, contract: Contract) -> None:
    client = client_for(cast.internal_amo)
    url = reverse("contracts:invoice_create", args=[contract.pk])
    refused = text(client.post(url, invoice_form(suspended_on="15/10/2025")))
    assert "deux dates" in refused and 'value="F-2025-118"' in refused
    client.post(
        url,
        invoice_form(
            suspended_on="15/10/2025",
            documents_received_on="03/11/2025",
            suspension_reason="Bon de livraison manquant",
        ),
    )
    invoice = Invoice.objects.get()
    assert invoice.due_on == datetime.date(2025, 12, 3)
    assert invoice.days_late == 0 and invoice.interest == 0


def test_an_unknown_ecb_rate_is_said_and_the_user_enters_it(cast: Cast, contract: Contract) -> None:
    client = client_for(cast.internal_amo)
    client.post(
        reverse("contracts:invoice_create", args=[contract.pk]),
        invoice_form(received_on="15/07/2026", paid_on="30/09/2026"),
    )
    invoice = Invoice.objects.get()
    assert invoice.rate_missing and invoice.interest == 0
    detail = reverse("contracts:invoice_detail", args=[contract.pk, invoice.pk])
    page = text(client.get(detail))
    assert "Taux de la BCE à saisir" in page and "Taux BCE au 01/07/2026 inconnu" in page
    client.post(
        reverse("contracts:invoice_edit", args=[contract.pk, invoice.pk]),
        invoice_form(received_on="15/07/2026", paid_on="30/09/2026", ecb_rate_percent="2,15"),
    )
    invoice.refresh_from_db()
    assert not invoice.rate_missing
    assert invoice.interest == late_payment_from_dict(invoice.input).interest > 0
    assert "10,15" in text(client.get(detail))


def test_the_dashboard_lists_late_and_soon_due_invoices_of_the_user_s_contracts_only(
    cast: Cast, contract: Contract
) -> None:
    today = clock.TODAY
    client = client_for(cast.internal_amo)
    url = reverse("contracts:invoice_create", args=[contract.pk])
    for reference, days in [("F-RETARD", 45), ("F-BIENTOT", 25), ("F-LOIN", 2)]:
        received = (today - datetime.timedelta(days=days)).isoformat()
        data = {"reference": reference, "received_on": received, "amount_ttc": "1200"}
        client.post(url, data, follow=True)
    page = text(client.get(reverse("contracts:invoices_dashboard")))
    assert "F-RETARD" in page and "F-BIENTOT" in page and "F-LOIN" not in page
    assert "1 facture en retard" in page
    outsider = text(client_for(cast.outsider_mo).get(reverse("contracts:invoices_dashboard")))
    assert "F-RETARD" not in outsider and "F-BIENTOT" not in outsider


def test_an_order_beyond_the_maximum_is_refused_unless_its_legal_consequence_is_confirmed(
    cast: Cast, contract: Contract
) -> None:
    client = client_for(cast.internal_amo)
    url = reverse("contracts:order_create", args=[contract.pk])
    client.post(url, {"reference": "BC-1", "issued_on": "02/09/2025", "amount_ht": "70 000"})
    beyond = {"reference": "BC-2", "issued_on": "02/12/2025", "amount_ht": "15 000"}
    refused = text(client.post(url, beyond))
    assert "au-delà du maximum" in refused and "R2194-1" in refused
    assert 'value="BC-2"' in refused
    assert contract.orders.count() == 1
    response = client.post(url, {**beyond, "beyond_maximum": "on"}, follow=True)
    page = text(response)
    assert "fait dépasser le maximum" in page
    assert "Dépassé" in page


def test_the_maitre_d_ouvrage_decides_and_the_history_keeps_everything(
    cast: Cast, contract: Contract
) -> None:
    f = furnish(cast, contract)
    client = client_for(cast.mo)
    pk = contract.pk
    third = contract.renewal_periods.get(number=3)
    refused = text(
        client.post(
            reverse("contracts:renewal_decide", args=[pk, third.pk]), {"decision": "reconduit"}
        )
    )
    assert "Décidez d'abord la reconduction n° 2" in refused
    client.post(
        reverse("contracts:renewal_decide", args=[pk, f.renewal.pk]),
        {"decision": "non_reconduit", "note": "Besoin repris en régie"},
    )
    assert set(contract.renewal_periods.values_list("decision", flat=True)) == {"non_reconduit"}
    no_reserve = text(
        client.post(
            reverse("contracts:reception_decide", args=[pk, f.reception.pk]),
            {"decision": "sans_reserve"},
        )
    )
    assert "Des réserves sont notées" in no_reserve
    client.post(
        reverse("contracts:reception_decide", args=[pk, f.reception.pk]),
        {"decision": "avec_reserves", "effective_on": "05/12/2025"},
    )
    client.post(
        reverse("contracts:reserve_lift", args=[pk, f.reserve.pk]), {"lifted_on": "18/12/2025"}
    )
    client.post(
        reverse("contracts:penalty_decide", args=[pk, f.penalty.pk]), {"decision": "validee"}
    )
    client.post(
        reverse("contracts:service_order_issue", args=[pk, f.service_order.pk]),
        {"issued_on": "27/08/2025"},
    )
    quality = text(client.get(reverse("contracts:quality", args=[pk])))
    assert "levée le 18/12/2025" in quality and "Prononcée avec réserves" in quality
    assert "Appliquée" in quality
    decisions = AuditEvent.objects.filter(contract=contract, action=Action.DECIDE)
    assert decisions.count() == 7  # 3 renewals, reception, reserve, penalty, service order
    assert all(e.actor_id == cast.mo.pk for e in decisions)
    history = text(client.get(reverse("contracts:history", args=[pk])))
    assert "Décision" in history and "Besoin repris en régie" in history
    evaluations = text(client.get(reverse("contracts:evaluations") + "?q=Restauration"))
    assert "Premier trimestre" in evaluations and "3,50/5" in evaluations


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_contracts(cast: Cast, operation: Operation, count: int) -> None:
    for index in range(count):
        contract = make_contract(cast, operation, reference=f"2026-X-{index}")
        Invoice.objects.create(
            contract=contract,
            reference=f"F-{index}",
            received_on=datetime.date(2026, 1, 5),
            amount_ttc=Decimal("100.00"),
            due_on=datetime.date(2026, 2, 4),
            days_late=0,
        )


@pytest.mark.parametrize("user", ["mo", "consultant"])
def test_list_pages_run_a_fixed_number_of_queries(
    cast: Cast, contract: Contract, operation: Operation, user: str
) -> None:
    client = client_for(getattr(cast, user))
    pages = [
        reverse("contracts:list"),
        reverse("contracts:invoices_dashboard"),
        reverse("contracts:evaluations"),
        reverse("operations:detail", args=[operation.pk]),
    ]
    for page in pages:
        client.get(page)  # the first visit sets the CSRF cookie
    add_contracts(cast, operation, 2)
    few = [queries(client, page) for page in pages]
    add_contracts(cast, operation, 12)
    assert [queries(client, page) for page in pages] == few
    assert max(few[:3]) <= 12


def test_the_penalty_clause_is_one_sentence_with_its_amount(
    cast: Cast, operation: Operation
) -> None:
    """« Forfait journalier fixé par le CCAP : 150,00 € HT par jour. », not « … CCAP Forfait de
    150,00 € HT par jour. » (the clause label and its amount ran together)."""
    contract = make_contract(
        cast,
        operation,
        penalty_clause="forfait_journalier",
        penalty_daily_amount_ht=Decimal("150"),
        penalty_cap_percent=Decimal("10"),
    )
    page = text(client_for(cast.mo).get(reverse("contracts:detail", args=[contract.pk])))
    assert "Forfait journalier fixé par le CCAP : 150,00\u00a0€ HT par jour." in page
    assert "Plafond : 10 % du marché." in page
    assert "Forfait de" not in page
    assert "<dd>732\xa0829\xa0320\xa000074</dd>" in page  # the SIRET as on a Kbis
