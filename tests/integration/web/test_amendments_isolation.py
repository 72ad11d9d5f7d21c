"""Who reaches the amendment pages: every URL is a 404 for another organisation, an AMO firm
whose share was revoked and the holder of another contract; every write is a 403 for readers;
the AMO neither signs nor notifies; the holder only answers; lists run fixed query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from openamo.amendments import Action as Step
from openamo.web.amendments import services
from openamo.web.amendments.models import Amendment, AmendmentEvent
from openamo.web.contracts.access import contract_access
from openamo.web.contracts.models import Contract
from openamo.web.operations import services as operation_services
from openamo.web.operations.access import operation_access
from openamo.web.operations.models import Operation, Share
from tests.integration.web._amendments import (
    Holders,
    form_data,
    make_contract,
    propose,
)
from tests.integration.web.conftest import Cast, client_for, fresh, text

STEPS = [step.value for step in Step if step is not Step.AJOUTER_ECHANGE]


@pytest.fixture
def contract(cast: Cast, holders: Holders, operation: Operation) -> Contract:
    return make_contract(cast, holders, operation)


@pytest.fixture
def amendment(cast: Cast, contract: Contract) -> Amendment:
    amendment = propose(cast, contract)
    user = fresh(cast.consultant)
    services.act(
        contract_access(user, contract.pk),
        user,
        amendment,
        Step.AJOUTER_ECHANGE,
        "Devis joint.",
        upload=services.Upload("devis.pdf", "application/pdf", b"%PDF-1.7"),
    )
    return amendment


def read_urls(amendment: Amendment) -> list[str]:
    contract, pk = amendment.contract_id, amendment.pk
    piece = AmendmentEvent.objects.get(amendment=amendment).attachments.get()
    return [
        reverse("amendments:list", args=[contract]),
        reverse("amendments:detail", args=[contract, pk]),
        reverse("amendments:attachment", args=[contract, pk, piece.pk]),
    ]


def download_urls(amendment: Amendment) -> list[str]:
    """The avenant documents: journaled, so asked for by POST (a GET is a 405)."""
    contract, pk = amendment.contract_id, amendment.pk
    return [reverse("amendments:document", args=[contract, pk, kind]) for kind in ("docx", "pdf")]


def assert_downloads(client: Client, amendment: Amendment) -> None:
    for url in download_urls(amendment):
        assert client.get(url).status_code == 405, url
        assert client.post(url).status_code == 200, url


def write_urls(amendment: Amendment) -> list[str]:
    contract, pk = amendment.contract_id, amendment.pk
    return [
        reverse("amendments:create", args=[contract]),
        reverse("amendments:edit", args=[contract, pk]),
        reverse("amendments:exchange", args=[contract, pk]),
        reverse("amendments:respond", args=[contract, pk]),
        *(reverse("amendments:step", args=[contract, pk, step]) for step in STEPS),
    ]


POST = {
    **form_data(action="enregistrer"),
    "note": "x",
    "decision": "accepter",
    "qualite": "Gérant",
    "date": "2026-11-24",
}


def assert_untouched(amendment: Amendment) -> None:
    amendment.refresh_from_db()
    assert (amendment.stage, amendment.signed_by) == ("brouillon", [])
    assert Amendment.objects.filter(contract=amendment.contract).count() == 1
    assert AmendmentEvent.objects.filter(amendment=amendment).count() == 1


def test_every_url_name_of_the_app_is_covered(amendment: Amendment) -> None:
    from openamo.web.amendments.urls import urlpatterns

    urls = read_urls(amendment) + download_urls(amendment) + write_urls(amendment)
    covered = {"overview"} | {resolve(url).url_name for url in urls}
    assert covered == {pattern.name for pattern in urlpatterns}


@pytest.mark.parametrize("outsider", ["outsider_mo", "other_consultant"])
def test_every_amendment_url_is_a_404_for_another_organisation(
    cast: Cast, amendment: Amendment, outsider: str
) -> None:
    client = client_for(getattr(cast, outsider))
    for url in read_urls(amendment) + download_urls(amendment) + write_urls(amendment):
        assert client.get(url).status_code == 404, url
        assert client.post(url, POST).status_code == 404, url
    assert amendment.object not in text(client.get(reverse("amendments:overview")))
    assert_untouched(amendment)


def test_the_holder_of_another_contract_gets_404_everywhere(
    cast: Cast, holders: Holders, amendment: Amendment
) -> None:
    make_contract(cast, holders, holder=holders.other_company, reference="2026-TRAV-09")
    client = client_for(holders.other_signer)
    for url in read_urls(amendment) + download_urls(amendment) + write_urls(amendment):
        assert client.get(url).status_code == 404, url
        assert client.post(url, POST).status_code == 404, url
    assert_untouched(amendment)


def test_an_amo_firm_whose_share_was_revoked_gets_404(cast: Cast, amendment: Amendment) -> None:
    url = reverse("amendments:detail", args=[amendment.contract_id, amendment.pk])
    assert client_for(cast.consultant).get(url).status_code == 200
    mo = fresh(cast.mo)
    operation_id = amendment.contract.operation_id
    assert operation_id is not None
    share = Share.objects.get(operation_id=operation_id, revoked_at__isnull=True)
    operation_services.revoke_share(operation_access(mo, operation_id), mo, share)
    client = client_for(cast.consultant)
    for url in read_urls(amendment) + download_urls(amendment) + write_urls(amendment):
        assert client.get(url).status_code == 404, url
        assert client.post(url, POST).status_code == 404, url


@pytest.mark.parametrize("reader", ["reader", "firm_reader", "holder_clerk"])
def test_readers_see_the_amendments_and_every_write_is_a_403(
    cast: Cast, holders: Holders, amendment: Amendment, reader: str
) -> None:
    user = holders.clerk if reader == "holder_clerk" else getattr(cast, reader)
    client = client_for(user)
    for url in read_urls(amendment):
        assert client.get(url).status_code == 200, url
    assert_downloads(client, amendment)
    for url in write_urls(amendment):
        assert client.get(url).status_code == 403, url
        response = client.post(url, POST)
        assert response.status_code == 403, url
    assert "Action non autorisée" in text(response)
    assert_untouched(amendment)


@pytest.mark.parametrize("amo", ["consultant", "internal_amo"])
def test_the_amo_prepares_but_cannot_sign_notify_or_abandon(
    cast: Cast, amendment: Amendment, amo: str
) -> None:
    client = client_for(getattr(cast, amo))
    for step in ("signer", "notifier", "abandonner"):
        url = reverse("amendments:step", args=[amendment.contract_id, amendment.pk, step])
        response = client.post(url, POST)
        assert response.status_code == 403, step
    assert "ne signe pas" in text(
        client.post(
            reverse("amendments:step", args=[amendment.contract_id, amendment.pk, "signer"])
        )
    )
    assert "l'AMO prépare, il ne décide pas" in text(
        client.post(
            reverse("amendments:step", args=[amendment.contract_id, amendment.pk, "notifier"])
        )
    )
    respond = reverse("amendments:respond", args=[amendment.contract_id, amendment.pk])
    assert client.post(respond, POST).status_code == 403
    assert_untouched(amendment)
    report = reverse(
        "amendments:step", args=[amendment.contract_id, amendment.pk, "rediger_rapport"]
    )
    assert client.post(report, {"note": "Motifs."}).status_code == 302


def test_the_holder_can_only_answer(cast: Cast, holders: Holders, amendment: Amendment) -> None:
    client = client_for(holders.signer)
    for url in read_urls(amendment):
        assert client.get(url).status_code == 200, url
    assert_downloads(client, amendment)
    contract, pk = amendment.contract_id, amendment.pk
    refused = [
        reverse("amendments:create", args=[contract]),
        reverse("amendments:edit", args=[contract, pk]),
        *(
            reverse("amendments:step", args=[contract, pk, step])
            for step in STEPS
            if step != "signer"
        ),
    ]
    for url in refused:
        assert client.post(url, POST).status_code == 403, url
    assert "Le titulaire consulte l'avenant et y répond" in text(client.post(refused[0], POST))
    assert_untouched(amendment)
    respond = reverse("amendments:respond", args=[contract, pk])
    early = client.get(respond)
    assert early.status_code == 302
    assert "n'attend pas votre réponse" in text(client.get(early["Location"]))
    assert (
        client.post(respond, {"decision": "accepter", "qualite": "Gérant"}).status_code == 200
    )  # no report yet
    assert "rapport de présentation doit être rédigé" in text(
        client.post(respond, {"decision": "accepter", "qualite": "Gérant"})
    )


def test_a_soft_deleted_contract_hides_its_amendments(cast: Cast, amendment: Amendment) -> None:
    from django.utils import timezone

    Contract.objects.filter(pk=amendment.contract_id).update(deleted_at=timezone.now())
    url = reverse("amendments:detail", args=[amendment.contract_id, amendment.pk])
    assert client_for(cast.mo).get(url).status_code == 404


def test_an_amendment_of_another_contract_is_a_404_even_for_a_member(
    cast: Cast, holders: Holders, amendment: Amendment
) -> None:
    other = make_contract(cast, holders, reference="2026-REST-02")
    url = reverse("amendments:detail", args=[other.pk, amendment.pk])
    assert client_for(cast.mo).get(url).status_code == 404


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_amendments(contract: Contract, count: int) -> None:
    base = Amendment.objects.filter(contract=contract).first()
    assert base is not None
    last = Amendment.objects.filter(contract=contract).count()
    Amendment.objects.bulk_create(
        Amendment(
            contract=contract,
            number=last + i + 1,
            object=f"Avenant {i}",
            kind=base.kind,
            amount_ht=Decimal("10.00"),
            modification_date=base.modification_date,
            check_input=base.check_input,
            check_result=base.check_result,
            checked_at=base.checked_at,
            verdict=base.verdict,
            basis=base.basis,
            modification_percent=Decimal("0.02"),
            cumulative_percent=Decimal("0.02"),
            new_amount_ht=base.new_amount_ht,
            stage="signe",
            signed_by=["acheteur", "titulaire"],
        )
        for i in range(count)
    )


@pytest.mark.parametrize("user", ["mo", "consultant", "holder"])
def test_list_pages_run_a_fixed_number_of_queries(
    cast: Cast, holders: Holders, amendment: Amendment, user: str
) -> None:
    client = client_for(holders.signer if user == "holder" else getattr(cast, user))
    contract = amendment.contract
    pages = [reverse("amendments:list", args=[contract.pk]), reverse("amendments:overview")]
    add_amendments(contract, 3)
    few = [queries(client, page) for page in pages]
    add_amendments(contract, 40)
    assert [queries(client, page) for page in pages] == few
    assert max(few) <= 14


def test_the_amendment_page_does_not_grow_with_its_journal(
    cast: Cast, amendment: Amendment
) -> None:
    client = client_for(cast.mo)
    url = reverse("amendments:detail", args=[amendment.contract_id, amendment.pk])
    few = queries(client, url)
    user = fresh(cast.consultant)
    for i in range(5):
        services.act(
            contract_access(user, amendment.contract_id),
            user,
            amendment,
            Step.AJOUTER_ECHANGE,
            f"Message {i}",
            upload=services.Upload(f"piece-{i}.pdf", "application/pdf", b"%PDF-1.7"),
        )
    assert queries(client, url) == few
