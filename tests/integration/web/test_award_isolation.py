"""Every URL of the passation answers 404 to another organisation (and to an AMO firm whose
share was revoked), GET and POST, and refuses every write to a reader (403); nothing changes."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, reverse

from openamo.web.audit.models import AuditEvent
from openamo.web.award.mappers import RankingSettings
from openamo.web.award.models import Candidacy, DceSettings, Offer
from openamo.web.award.requests import CandidacyEntry, DceRequest
from openamo.web.award.services import candidacies as candidacy_service
from openamo.web.award.services import documents as document_service
from openamo.web.award.services import ranking as ranking_service
from openamo.web.award.urls import urlpatterns
from openamo.web.operations import services as operation_services
from openamo.web.operations.access import operation_access
from openamo.web.operations.models import Lot, Operation, Share
from tests.integration.web._award import add_offer, award_operation, three_offers
from tests.integration.web.conftest import Cast, client_for, fresh, text

DOWNLOADS = {"report_docx", "report_pdf", "dce_download", "letters_zip", "requests_zip"}
"""Journaled downloads: asked for by POST (a GET is a 405), a reader included."""
BEFORE_DECISION = {"letters_zip", "requests_zip"}
"""Downloads that follow the decision, or a recorded request (the world has none): without
it, back to the analysis with the reason."""
READABLE = {"index", "criteria", "candidacies", "offers", "analysis", *DOWNLOADS}
"""Pages a reader may open (the downloads included); every other URL writes or edits."""
POST_DATA = {
    "bidder": "Piraté",
    "price_ht": "1,00",
    "status": "reguliere",
    "winners": "1",
    "reference": "X",
    "criteres-TOTAL_FORMS": "1",
    "criteres-INITIAL_FORMS": "0",
    "criteres-0-name": "Prix",
    "criteres-0-kind": "prix",
    "criteres-0-weight": "100",
}


def every_url(operation: Operation, lot: Lot, offer: Offer, candidacy: Candidacy) -> dict[str, str]:
    values = {
        "pk": operation.pk,
        "lot_pk": lot.pk,
        "offer_pk": offer.pk,
        "candidacy_pk": candidacy.pk,
        "index": 1,
    }
    urls = {}
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        names = list(pattern.pattern.converters)
        urls[str(pattern.name)] = reverse(
            f"award:{pattern.name}", kwargs={name: values[name] for name in names}
        )
    return urls


@pytest.fixture
def world(cast: Cast) -> dict[str, Any]:
    operation = award_operation(cast)
    lot = Lot.objects.filter(operation=operation).order_by("number").first()
    assert lot is not None
    offers = three_offers(cast, operation, lot)
    access = operation_access(fresh(cast.mo), operation.pk)
    candidacy = candidacy_service.add_candidacy(
        access,
        fresh(cast.mo),
        CandidacyEntry(bidder="Bio Val", application_form=True, declaration_form=True),
    )
    document_service.save_dce_settings(
        access,
        fresh(cast.mo),
        DceRequest(reference="2026-RS-01", environmental_conditions="Livraisons regroupées"),
    )
    ranking_service.analyse(
        services_scope(cast, operation, lot),
        fresh(cast.mo),
        RankingSettings(winners=1),
    )
    return {
        "operation": operation,
        "urls": every_url(operation, lot, offers[0], candidacy),
    }


def services_scope(cast: Cast, operation: Operation, lot: Lot) -> Any:
    from tests.integration.web._award import scope

    return scope(cast.mo, operation, lot)


def test_every_passation_url_is_listed(world: dict[str, Any]) -> None:
    assert len(world["urls"]) == 23
    assert set(world["urls"]) > READABLE


def _state() -> tuple[int, int, int, list[Any]]:
    return (
        Offer.objects.alive().count(),
        Candidacy.objects.alive().count(),
        DceSettings.objects.count(),
        sorted(Offer.objects.values_list("bidder", flat=True)),
    )


@pytest.mark.parametrize("outsider", ["outsider_mo", "other_consultant"])
def test_every_passation_url_is_a_404_for_another_organisation(
    cast: Cast, world: dict[str, Any], outsider: str
) -> None:
    client = client_for(getattr(cast, outsider))
    before, events = _state(), AuditEvent.objects.count()
    for name, url in world["urls"].items():
        assert client.get(url).status_code == 404, name
        assert client.post(url, POST_DATA).status_code == 404, name
    assert _state() == before
    assert AuditEvent.objects.count() == events


def test_a_revoked_amo_firm_gets_404_everywhere(cast: Cast, world: dict[str, Any]) -> None:
    operation = world["operation"]
    client = client_for(cast.consultant)
    assert client.get(world["urls"]["index"]).status_code == 200
    mo = fresh(cast.mo)
    share = Share.objects.get(operation=operation, revoked_at__isnull=True)
    operation_services.revoke_share(operation_access(mo, operation.pk), mo, share)
    client = client_for(cast.consultant)
    for name, url in world["urls"].items():
        assert client.get(url).status_code == 404, name
        assert client.post(url, POST_DATA).status_code == 404, name


@pytest.mark.parametrize("reader", ["reader", "firm_reader"])
def test_a_reader_reads_but_every_write_is_a_403(
    cast: Cast, world: dict[str, Any], reader: str
) -> None:
    client = client_for(getattr(cast, reader))
    before = _state()
    for name, url in world["urls"].items():
        if name in DOWNLOADS:
            assert client.get(url).status_code == 405, name
            assert client.post(url).status_code == (302 if name in BEFORE_DECISION else 200), name
            continue
        if name in READABLE:
            assert client.get(url).status_code == 200, name
        else:
            assert client.get(url).status_code in {403, 302}, name
        response = client.post(url, POST_DATA)
        if name in READABLE - {"analysis"}:
            assert response.status_code == 405, name
        else:
            assert response.status_code == 403, name
            page = text(response)
            assert "lecteur" in page or "Seul un maître d'ouvrage" in page, name
    assert _state() == before


def test_a_lot_or_offer_of_another_operation_is_a_404_even_for_a_member(
    cast: Cast, world: dict[str, Any]
) -> None:
    other = award_operation(cast)
    other_lot = Lot.objects.filter(operation=other).first()
    assert other_lot is not None
    foreign = add_offer(cast.mo, other, other_lot, "Ailleurs", "1000.00", marks=None)
    operation = world["operation"]
    client = client_for(cast.mo)
    own_lot = Lot.objects.filter(operation=operation).first()
    assert own_lot is not None
    assert client.get(reverse("award:offers", args=[operation.pk, other_lot.pk])).status_code == 404
    url = reverse("award:offer_edit", args=[operation.pk, own_lot.pk, foreign.pk])
    assert client.get(url).status_code == 404
    # Lot 0 means « no lots »: an operation that has lots answers 404.
    assert client.get(reverse("award:offers", args=[operation.pk, 0])).status_code == 404
    assert client.get(reverse("award:criterion_edit", args=[operation.pk, 9])).status_code == 404


@pytest.mark.parametrize("member", ["mo", "internal_amo", "consultant"])
def test_every_passation_page_renders_for_those_who_prepare_or_decide(
    cast: Cast, world: dict[str, Any], member: str
) -> None:
    client = client_for(getattr(cast, member))
    # POST-only actions lead back to the analysis; the criteria are frozen once offers are marked.
    redirects = {"validate", "reopen", "criteria_edit", "criterion_edit", "criteria_validate"}
    redirects |= BEFORE_DECISION
    for name, url in world["urls"].items():
        response = client.post(url) if name in DOWNLOADS else client.get(url)
        assert response.status_code == (302 if name in redirects else 200), name
