"""The abnormally low offer, from the suspicion to the decision (issue 16.4, CCP R2152-3 and
R2152-4): detection by the analysis, the request for justifications and the answer kept in the
file, a rejection only with its written reasons, the heading saying where it stands, the
analysis out of date once the decision is recorded, every step in the history."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from openamo.award.models import OfferInput
from openamo.errors import OpenAMOError
from openamo.validation import parse_input
from openamo.web.audit.models import Action, AuditEvent
from openamo.web.award.models import Offer
from openamo.web.operations.models import Lot, Operation
from tests.integration.web._award import add_offer, three_offers
from tests.integration.web.conftest import Cast, TestResponse, client_for, text


def as_submitted(response: TestResponse) -> dict[str, str]:
    """What the browser posts for the form as shown."""
    data: dict[str, str] = {}
    for field in response.context["form"]:
        value = field.value()
        if value is None or value is False:
            continue
        if isinstance(value, datetime.date):
            value = value.strftime("%d/%m/%Y")
        data[field.name] = "on" if value is True else str(value)
    return data


def day(days_ago: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=days_ago)).strftime("%d/%m/%Y")


def test_the_abnormally_low_offer_goes_from_the_request_to_a_reasoned_rejection(
    cast: Cast, award: Operation
) -> None:
    lot = Lot.objects.filter(operation=award).order_by("number").first()
    assert lot is not None
    three_offers(cast, award, lot)
    low = add_offer(cast.consultant, award, lot, "Casse-Prix", "30000.00", ("15", "15", "15"))
    client = client_for(cast.consultant)
    analysis_url = reverse("award:analysis", args=[award.pk, lot.pk])
    assert client.post(analysis_url, {"winners": "1"}).status_code == 302
    page = text(client.get(analysis_url))
    assert "Casse-Prix : demande de justification à adresser (CCP R2152-3)" in page
    assert "Enregistrer la demande de justifications" in page

    edit = reverse("award:offer_edit", args=[award.pk, lot.pk, low.pk])
    shown = as_submitted(client.get(edit))
    # A decision without the request, a rejection without reasons: refused, input kept.
    page = text(client.post(edit, {**shown, "abnormally_low_outcome": "rejetee"}))
    assert "commence par cette demande (R2152-3)" in page
    assert '<option value="rejetee" selected>' in page
    page = text(
        client.post(
            edit,
            {**shown, "abnormally_low_requested_on": day(10), "abnormally_low_due_on": day(12)},
        )
    )
    assert "La réponse ne peut être attendue avant la demande." in page
    low.refresh_from_db()
    assert low.abnormally_low_requested_on is None

    response = client.post(
        edit, {**shown, "abnormally_low_requested_on": day(10), "abnormally_low_due_on": day(2)}
    )
    assert response.status_code == 302
    page = text(client.get(analysis_url))
    assert f"Casse-Prix : justifications demandées le {day(10)}, réponse attendue le {day(2)}" in (
        page
    )
    assert "Données modifiées depuis l'analyse" not in page  # a request changes no ranking

    shown = as_submitted(client.get(edit))
    answer = {
        **shown,
        "abnormally_low_answered_on": day(3),
        "abnormally_low_answer": "Stock de fin de saison acheté à prix coûtant.",
        "abnormally_low_outcome": "rejetee",
    }
    page = text(client.post(edit, answer))
    assert "Écrivez les motifs du rejet" in page and "(R2152-4)" in page
    reasons = "Le stock ne couvre que deux mois sur douze ; prix intenable ensuite."
    assert client.post(edit, {**answer, "abnormally_low_note": reasons}).status_code == 302
    page = text(client.get(analysis_url))
    assert "Données modifiées depuis l'analyse" in page  # the decision changes the ranking
    assert client.post(analysis_url, {"winners": "1"}).status_code == 302
    page = text(client.get(analysis_url))
    assert "Casse-Prix : offre rejetée par décision motivée (CCP R2152-4)" in page
    assert f"Réponse reçue le {day(3)} : Stock de fin de saison acheté à prix coûtant." in page
    assert f"Motifs : {reasons}" in page
    history = text(client.get(reverse("operations:history", args=[award.pk])))
    assert "justifications demandées le" in history
    assert day(10) in history
    updates = AuditEvent.objects.filter(
        action=Action.UPDATE, object_type="offer", object_id=str(low.pk)
    )
    exchange = [
        e
        for e in updates
        if (e.before or {}).get("abnormally_low_requested_on") is None
        and (e.after or {}).get("abnormally_low_requested_on")
    ]
    decision = [e for e in updates if (e.after or {}).get("abnormally_low_outcome") == "rejetee"]
    assert len(exchange) == 1 and len(decision) == 1
    assert Offer.objects.get(pk=low.pk).abnormally_low_note == reasons


def test_the_domain_refuses_a_rejection_without_reasons_from_every_entry_point() -> None:
    with pytest.raises(OpenAMOError, match="R2152-4"):
        parse_input(
            OfferInput,
            {"bidder": "Casse-Prix", "price_ht": "30000", "abnormally_low_outcome": "rejetee"},
        )
    kept = parse_input(
        OfferInput,
        {
            "bidder": "Casse-Prix",
            "price_ht": "30000",
            "abnormally_low_outcome": "rejetee",
            "abnormally_low_note": "Prix sous le coût du travail.",
        },
    )
    assert kept.abnormally_low_note == "Prix sous le coût du travail."
