"""The demonstration amendments: on the catering contract held by the demo contractor, a signed
R2194-8 avenant and a draft awaiting the contractor; idempotent; nothing without a contract."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse

from openamo.web.amendments import demo
from openamo.web.amendments.decisions import pending
from openamo.web.amendments.models import Amendment
from openamo.web.audit.models import AuditEvent
from openamo.web.contracts.models import Contract
from openamo.web.demo import load_demo
from openamo.web.demo_context import DemoContext
from openamo.web.organisations.models import Organisation, OrganisationKind, Role
from tests.integration.web._amendments import make_contract
from tests.integration.web.conftest import Cast, client_for, make_operation, make_user, text


def context_for(cast: Cast, contractor_role: Role) -> DemoContext:
    contractor = Organisation.objects.create(
        name="Restauration du Val SAS", kind=OrganisationKind.ENTREPRISE
    )
    users: dict[str, Any] = {
        "marie.dupont": cast.mo,
        "alice.bernard": cast.consultant,
        "emma.roux": make_user("emma.roux", contractor, contractor_role),
    }
    catering = make_operation(cast)
    software = make_operation(cast, with_lots=False)
    # The contract in execution lives in its own consultation's operation, as in the demo.
    return DemoContext(
        cast.commune, cast.amo_firm, contractor, users, make_operation(cast), software,
        previous_catering=catering, reference_day=datetime.date.today(),
    )  # fmt: skip


def test_the_demo_signs_one_low_value_avenant_and_leaves_one_awaiting_the_contractor(
    cast: Cast,
) -> None:
    context = context_for(cast, Role.MAITRE_OUVRAGE)
    contract = make_contract(cast, None, context.previous_catering, holder=context.contractor)
    demo.load(context)
    first, second = Amendment.objects.filter(contract=contract).order_by("number")
    assert (first.number, first.basis, first.verdict) == (1, "R2194-8", "autorisee")
    assert (first.stage, sorted(first.signed_by)) == ("signe", ["acheteur", "titulaire"])
    assert (second.number, second.stage, second.signed_by) == (2, "signature", ["acheteur"])
    assert second.check_input["previous_modifications"][0]["basis"] == "R2194-8"
    assert second.check_result["faible_montant_cumulative_percent"] == "8.70"
    events = AuditEvent.objects.filter(contract=contract).count()
    demo.load(context)
    assert Amendment.objects.filter(contract=contract).count() == 2
    assert AuditEvent.objects.filter(contract=contract).count() == events


def test_without_a_contract_the_demo_does_nothing(cast: Cast) -> None:
    demo.load(context_for(cast, Role.LECTEUR))
    assert not Amendment.objects.exists()


def test_when_no_contractor_member_may_sign_the_first_avenant_awaits_it(cast: Cast) -> None:
    context = context_for(cast, Role.LECTEUR)
    contract = make_contract(cast, None, context.previous_catering, holder=context.contractor)
    demo.load(context)
    first = Amendment.objects.filter(contract=contract).order_by("number").first()
    assert first is not None
    assert (first.stage, first.signed_by) == ("signature", ["acheteur"])


def test_the_full_demo_gives_the_catering_contract_its_two_avenants(
    db: None, tmp_path: Path
) -> None:
    load_demo(tmp_path / "demo-credentials.json")
    contract = Contract.objects.get(reference="2025-REST-BIO-01")
    amendments = list(Amendment.objects.filter(contract=contract).order_by("number"))
    assert [(a.number, a.basis, a.verdict) for a in amendments] == [
        (1, "R2194-8", "autorisee"),
        (2, "R2194-8", "autorisee"),
    ]
    assert sorted(amendments[0].signed_by) == ["acheteur", "titulaire"]
    assert amendments[0].stage == "signe"
    assert amendments[1].stage == "signature" and amendments[1].signed_by == ["acheteur"]
    emma = get_user_model().objects.get(username="emma.roux")
    assert [d.what for d in pending(emma)] == ["Avenant n° 2 à accepter ou refuser"]
    load_demo(tmp_path / "demo-credentials.json")
    assert Amendment.objects.filter(contract=contract).count() == 2

    users = get_user_model().objects
    marie, emma = users.get(username="marie.dupont"), users.get(username="emma.roux")
    contract_page = text(client_for(marie).get(reverse("contracts:detail", args=[contract.pk])))
    assert "1 avenant signé, 1 projet en cours" in contract_page
    listing = text(client_for(marie).get(reverse("amendments:list", args=[contract.pk])))
    assert "Variation cumulée du marché face aux limites légales" in listing
    holder = client_for(emma)
    for amendment in amendments:
        url = reverse("amendments:detail", args=[contract.pk, amendment.pk])
        assert holder.get(url).status_code == 200
    assert "Votre réponse est attendue" in text(holder.get(reverse("amendments:overview")))
