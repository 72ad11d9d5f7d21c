"""« Données essentielles » and « Audit du portefeuille »: what is missing and where to fill it,
a DECP file valid against the official schema from the contract's own data, each publication
kept and written in the journal, the portfolio's red flags."""

from __future__ import annotations

import json

from django.urls import reverse

from openamo.opendata.decp_xml import xml_errors
from openamo.opendata.schemas import validator
from openamo.web.audit.models import Action, AuditEvent
from openamo.web.opendata.models import EssentialData, Publication
from openamo.web.operations.models import Operation
from tests.integration.web.conftest import Cast, client_for, text
from tests.integration.web.opendata_factories import (
    BUYER_SIRET,
    ESSENTIAL,
    buyer_contract,
    complete,
)


def test_the_page_lists_what_is_missing_with_the_form_to_fill_it(
    cast: Cast, operation: Operation
) -> None:
    contract = buyer_contract(cast, operation)
    page = text(client_for(cast.mo).get(reverse("opendata:portfolio", args=[cast.commune.pk])))
    assert "À compléter" in page
    form_url = reverse("opendata:essential", args=[cast.commune.pk, contract.pk])
    assert "Code CPV" in page and form_url in page
    assert "Marché : au plus tard le 25/10/2025" in page  # notified 25/08/2025 + two months


def test_the_form_completes_the_data_and_the_file_is_valid_against_the_official_schema(
    cast: Cast, operation: Operation
) -> None:
    contract = buyer_contract(cast, operation)
    client = client_for(cast.mo)
    form_url = reverse("opendata:essential", args=[cast.commune.pk, contract.pk])
    bad = client.post(form_url, {**ESSENTIAL, "cpv": "158"})
    assert bad.status_code == 200 and "code CPV de huit chiffres" in text(bad)
    assert "158" in text(bad)  # what was typed is kept
    response = client.post(form_url, ESSENTIAL)
    assert response.status_code == 302
    assert EssentialData.objects.get(contract=contract).cpv == "15800000"
    page = text(client.get(reverse("opendata:portfolio", args=[cast.commune.pk])))
    assert "Prêt à publier" in page

    publish = reverse("opendata:publish", args=[cast.commune.pk])
    assert client.get(publish).status_code == 405
    download = client.post(publish)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    document = json.loads(download.content)
    (marche,) = document["marches"]["marche"]
    assert validator("2").is_valid(marche, "marche")
    assert marche["acheteur"] == {"id": BUYER_SIRET}
    assert marche["montant"] == 62000 and marche["dureeMois"] == 12
    assert marche["typesPrix"] == {"typePrix": ["Définitif révisable"]}
    assert marche["techniques"] == {"technique": ["Accord-cadre"]}
    item = Publication.objects.get()
    assert item.contracts == ["2026-REST-01"]
    event = AuditEvent.objects.get(action=Action.GENERATE, object_type="publication")
    assert event.after is not None and event.after["empreinte_sha256"] == item.sha256
    again = client.post(reverse("opendata:publication", args=[cast.commune.pk, item.pk]))
    assert again.content == download.content
    xml = client.post(
        reverse("opendata:publication", args=[cast.commune.pk, item.pk]), {"forme": "xml"}
    )
    assert xml["Content-Type"] == "application/xml"
    assert xml_errors(xml.content) == [] and b"<id>2026-REST-01</id>" in xml.content


def test_a_signed_avenant_is_published_as_a_modification(cast: Cast, operation: Operation) -> None:
    from openamo.web.amendments.models import Amendment
    from tests.integration.web._amendments import propose

    contract = buyer_contract(cast, operation)
    complete(cast, contract)
    amendment = propose(cast, contract)
    Amendment.objects.filter(pk=amendment.pk).update(stage="signe")
    propose(cast, contract, amount_ht="100.00")  # a draft is not published
    download = client_for(cast.mo).post(reverse("opendata:publish", args=[cast.commune.pk]))
    (marche,) = json.loads(download.content)["marches"]["marche"]
    assert validator("2").is_valid(marche, "marche")
    assert len(marche["modifications"]) == 1
    assert marche["modifications"][0]["modification"]["id"] == 1


def test_a_reader_reads_but_may_not_publish(cast: Cast, operation: Operation) -> None:
    contract = buyer_contract(cast, operation)
    complete(cast, contract)
    client = client_for(cast.reader)
    assert client.get(reverse("opendata:portfolio", args=[cast.commune.pk])).status_code == 200
    response = client.post(reverse("opendata:publish", args=[cast.commune.pk]))
    assert response.status_code == 403 and "lecteur" in text(response)
    assert not Publication.objects.exists()


def test_the_audit_page_shows_flags_with_their_article_and_the_figures(
    cast: Cast, operation: Operation
) -> None:
    contract = buyer_contract(cast, operation, initial_amount_ht="39900.00", procedure="dispense")
    complete(cast, contract, procedure="sans_publicite_ni_mise_en_concurrence")
    page = text(client_for(cast.mo).get(reverse("opendata:audit", args=[cast.commune.pk])))
    assert "1 marché audité" in page
    assert "CCP" in page
    assert "Montants HT notifiés par année" in page
    assert "2025" in page


def test_the_dashboard_shows_the_contract_s_publication_deadline_until_it_is_published(
    cast: Cast, operation: Operation
) -> None:
    import datetime

    from openamo.web.obligations import obligations
    from tests.integration.web.conftest import fresh

    contract = buyer_contract(cast, operation)
    today = datetime.date(2025, 11, 1)

    def due() -> list[str]:
        return [
            item.what
            for group in obligations(fresh(cast.mo), today)
            for item in group.items
            if group.kind == "Données essentielles à publier"
        ]

    assert due() == [
        "Marché notifié le 25/08/2025 : données essentielles à publier avant le 25/10/2025"
    ]
    assert not [
        g for g in obligations(fresh(cast.consultant), today) if g.kind.startswith("Données")
    ]
    complete(cast, contract)
    client_for(cast.mo).post(reverse("opendata:publish", args=[cast.commune.pk]))
    assert due() == []


def test_a_reader_is_told_what_is_missing_without_links_to_forms_he_cannot_use(
    cast: Cast, operation: Operation
) -> None:
    """The gaps linked the reader to the contract's edit form, a 403 for him."""
    contract = buyer_contract(cast, operation)
    page = text(client_for(cast.reader).get(reverse("opendata:portfolio", args=[cast.commune.pk])))
    assert "À compléter" in page and "Code CPV" in page
    for url in (
        reverse("contracts:edit", args=[contract.pk]),
        reverse("opendata:essential", args=[cast.commune.pk, contract.pk]) + '">page',
    ):
        assert f'href="{url}' not in page
