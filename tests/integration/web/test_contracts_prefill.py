"""A contract created from the award takes over what the file already holds (issue 16.3): the
winner and its amount, the lot, the buyer's category, and the DCE's clauses (price form and
revision formula with its indices, framework and its maximum, advance, penalties, reference).
The user confirms the form as shown: nothing is typed again."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse

from openamo.web.award.mappers import RankingSettings
from openamo.web.award.models import DceSettings
from openamo.web.award.services import ranking as ranking_service
from openamo.web.contracts.models import Contract, RevisionTerm
from openamo.web.operations.models import Lot, Need
from tests.integration.web import _award
from tests.integration.web.conftest import Cast, TestResponse, client_for, fresh, text

DCE = {
    "reference": "2027-RS-01",
    "contract_form": "accord_cadre_bons_de_commande",
    "ccag": "CCAG-FCS (arrêté du 30 mars 2021)",
    "price_form": "revisable",
    "revision_fixed_part": "0.15",
    "revision_terms": (
        "0,60 ; Indice des prix à la consommation — produits alimentaires (INSEE)\n"
        "0,25 ; Indice du coût horaire du travail — transports et entreposage (INSEE)"
    ),
    "revision_base_month": "2027-01",
    "revision_periodicity": "annuelle, à chaque date anniversaire de la notification",
    "penalties": "Retard de livraison ; 150 ; par jour de retard ; 10",
    "advance_percent": "5",
}


def as_submitted(response: TestResponse) -> dict[str, str]:
    """What the browser posts when the user confirms the form without touching it."""
    form = response.context["form"]
    data: dict[str, str] = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.name] = "on" if value is True else str(value)
    return data


def test_the_contract_from_the_award_takes_over_the_dce_and_the_buyer_category(
    cast: Cast,
) -> None:
    operation = _award.award_operation(cast)
    lot = Lot.objects.filter(operation=operation).order_by("number").first()
    assert lot is not None
    _award.three_offers(cast, operation, lot)
    DceSettings.objects.create(operation=operation, data={**DCE, f"max_{lot.pk}": "90000"})
    ranking_service.analyse(
        _award.scope(cast.mo, operation, lot),
        fresh(cast.mo),
        RankingSettings(winners=1),
    )
    ranking_service.validate(_award.scope(cast.mo, operation, lot), fresh(cast.mo))
    client = client_for(cast.mo)
    url = reverse("contracts:create_from_operation", args=[operation.pk])
    shown = client.get(url)
    page = text(shown)
    assert '<option value="collectivite" selected>' in page
    assert '<option value="revisable" selected>' in page
    data = as_submitted(shown)
    assert data["reference"] == f"2027-RS-01-L{lot.number}"
    # Only what the file cannot know is typed: the date of notification.
    response = client.post(url, {**data, "notified_on": "15/02/2027"})
    assert response.status_code == 302, text(response)
    contract = Contract.objects.get()
    assert contract.payment_buyer == "collectivite"
    assert (contract.price_form, contract.is_framework) == ("revisable", True)
    assert contract.maximum_amount_ht == Decimal("90000.00")
    assert contract.initial_amount_ht == Decimal("61000.00")
    assert contract.advance_rate_percent == Decimal(5)
    assert (contract.penalty_clause, contract.penalty_daily_amount_ht) == (
        "forfait_journalier",
        Decimal(150),
    )
    assert contract.price_date == datetime.date(2027, 1, 1)
    assert (contract.fixed_part, contract.revision_periodicity_months) == (Decimal("0.15"), 12)
    terms = list(RevisionTerm.objects.filter(contract=contract).order_by("pk"))
    assert [(t.weight, t.base_period) for t in terms] == [
        (Decimal("0.6"), "2027-01"),
        (Decimal("0.25"), "2027-01"),
    ]
    assert terms[0].label.startswith("Indice des prix à la consommation")


def test_a_commune_entering_a_contract_directly_is_a_collectivite_by_default(cast: Cast) -> None:
    page = text(client_for(cast.mo).get(reverse("contracts:create")))
    assert '<option value="collectivite" selected>' in page


def test_the_contract_of_a_lot_takes_the_framework_s_holders_and_quantity_from_the_need(
    cast: Cast,
) -> None:
    operation = _award.award_operation(cast)
    lot = Lot.objects.filter(operation=operation).order_by("number").first()
    assert lot is not None
    Need.objects.filter(operation=operation).update(
        is_framework=True,
        framework_holders="multi_attributaire",
        framework_maximum_quantity="12 000 repas",
        framework_minimum_ht=Decimal("10000"),
    )
    _award.three_offers(cast, operation, lot)
    ranking_service.analyse(
        _award.scope(cast.mo, operation, lot), fresh(cast.mo), RankingSettings(winners=1)
    )
    ranking_service.validate(_award.scope(cast.mo, operation, lot), fresh(cast.mo))
    client = client_for(cast.mo)
    url = reverse("contracts:create_from_operation", args=[operation.pk])
    shown = client.get(url)
    data = as_submitted(shown)
    assert data["is_framework"] == "on"
    assert data["framework_holders"] == "multi_attributaire"
    # A lot's minimum and maximum are the DCE's, not the whole need's.
    assert "minimum_amount_ht" not in data
    typed = {"notified_on": "15/02/2027", "signed_on": "10/02/2027", "price_form": "ferme"}
    response = client.post(url, {**data, **typed})
    assert response.status_code == 302, text(response)
    contract = Contract.objects.get()
    assert contract.framework_maximum_quantity == "12 000 repas"
    assert contract.signed_on == datetime.date(2027, 2, 10)
    detail = text(client.get(reverse("contracts:detail", args=[contract.pk])))
    assert (
        "maximum en quantité : 12 000 repas ; multi-attributaire (plusieurs titulaires)" in detail
    )
    assert "signé le 10/02/2027, notifié le 15/02/2027" in detail


def test_a_notification_before_the_signature_is_refused_in_french(cast: Cast) -> None:
    operation = _award.award_operation(cast)
    lot = Lot.objects.filter(operation=operation).order_by("number").first()
    assert lot is not None
    _award.three_offers(cast, operation, lot)
    ranking_service.analyse(
        _award.scope(cast.mo, operation, lot), fresh(cast.mo), RankingSettings(winners=1)
    )
    ranking_service.validate(_award.scope(cast.mo, operation, lot), fresh(cast.mo))
    client = client_for(cast.mo)
    url = reverse("contracts:create_from_operation", args=[operation.pk])
    data = as_submitted(client.get(url))
    response = client.post(
        url,
        {
            **data,
            "signed_on": "15/02/2027",
            "notified_on": "10/02/2027",
            "award_notice_sent_on": "01/02/2027",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["notified_on"] == ["Le marché est notifié après sa signature."]
    assert errors["award_notice_sent_on"] == [
        "L'avis d'attribution est envoyé après la signature du marché."
    ]
    assert not Contract.objects.exists()
