"""Rights on every field: no form and no API write lets a role that does not decide grant an
access or take a decision (issue 14, item 1).

Every POST form of the demo (found by following the links, as the maître d'ouvrage sees them)
is submitted by each role that does not decide (the buyer's AMO and reader, the AMO firm's
consultant and reader, the holder's representative), with its own values, with every choice of
its decisive fields, and with the fields that would grant an access added to it (the holder's
account, the status, a role, an organisation). Every write of the API is called the same way.
Then nothing that grants an access or records a decision has moved.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from openamo.web.amendments.models import Amendment, AmendmentEvent
from openamo.web.audit.models import Action, AuditEvent
from openamo.web.audit.services import record
from openamo.web.contracts.models import Contract
from openamo.web.demo import CONTRACTOR, load_demo
from openamo.web.operations.models import Operation, Share
from openamo.web.organisations.models import Membership, Organisation, OrganisationKind
from tests.integration.web.conftest import client_for, text
from tests.integration.web.property_walk import REPORT, Form, walk

INTRUDER_SIRET = "44306184100047"
DEEP = bool(os.environ.get("OPENAMO_FUZZ_DEEP"))
"""``make fuzz``: every variant for every role too."""
NOT_DECIDING = {
    # username: every variant of every form (the roles that prepare), or the form as shown
    # with the granting fields added (readers: refused before any field is read).
    "paul.lefevre": True,
    "alice.bernard": True,
    "emma.roux": DEEP,
    "jeanne.martin": DEEP,
    "hugo.petit": DEEP,
}
DECISIVE = {"status", "decision", "role", "holder_organisation", "stage", "revoke", "organisation"}
DECISIONS = [Action.DECIDE, Action.VALIDATE, Action.SHARE, Action.UNSHARE]


def rights(own: list[int]) -> dict[str, Any]:
    """Everything that grants an access or records a decision, apart from the members of the
    ``own`` organisations (the holder's representative manages her own company's members:
    her decision)."""
    return {
        "shares": set(
            Share.objects.filter(revoked_at__isnull=True).values_list(
                "operation_id", "organisation_id"
            )
        ),
        "members": set(
            Membership.objects.filter(ended_at__isnull=True)
            .exclude(organisation_id__in=own)
            .values_list("user_id", "organisation_id", "role")
        ),
        "contracts": set(
            Contract.objects.values_list(
                "pk", "organisation_id", "holder_organisation_id", "status", "deleted_at"
            )
        ),
        "operations": set(
            Operation.objects.values_list("pk", "organisation_id", "stage", "deleted_at")
        ),
        "buyer_signatures": {
            a.pk for a in Amendment.objects.all() if "acheteur" in (a.signed_by or [])
        },
    }


def hostile(
    form: Form, intruder: Organisation, other_buyer: Organisation, every: bool
) -> list[dict[str, Any]]:
    """The form as shown, every choice of its decisive fields, and fields that grant access."""
    grants = {
        "holder_organisation": str(intruder.pk),
        "invite_holder": "on",
        "status": "resilie",
        "role": "maitre_ouvrage",
        "organisation": str(other_buyer.pk),
        "stage": "execution",
        "decision": "reconduit",
    }
    base = form.defaults()
    payloads = [{**base, **grants}]
    if not every:
        return payloads
    payloads.append({**grants, **base})
    for field in form.editable:
        if field.name in DECISIVE:
            payloads += [{**base, field.name: option} for option in field.options if option]
    return payloads


@pytest.fixture
def demo(db: None, tmp_path: Path) -> tuple[Organisation, Organisation]:
    load_demo(tmp_path / "credentials.json")
    intruder = Organisation.objects.create(
        name="Entreprise d'un autre acheteur",
        kind=OrganisationKind.ENTREPRISE,
        siret=INTRUDER_SIRET,
    )
    other_buyer = Organisation.objects.create(
        name="Commune de Voisinville", kind=OrganisationKind.COLLECTIVITE, buyer="collectivite"
    )
    return intruder, other_buyer


def user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def test_no_form_and_no_api_write_lets_a_role_that_does_not_decide_grant_or_decide(
    demo: tuple[Organisation, Organisation],
) -> None:
    intruder, other_buyer = demo
    _, forms = walk(client_for(user("marie.dupont")))
    _, holder_forms = walk(client_for(user("emma.roux")))
    # The walk reaches the forms that carry a right: the contract, the share, the members.
    actions = {form.action for form in forms}
    assert any(a.startswith("/marches/") and a.endswith("/modifier/") for a in actions)
    assert any("/partage/" in a for a in actions) and any("/membres/" in a for a in actions)
    assert len(forms) >= 60

    tried = 0
    for username, every in NOT_DECIDING.items():
        someone = user(username)
        client = client_for(someone)
        own = list(
            Membership.objects.filter(user=someone, role="maitre_ouvrage").values_list(
                "organisation_id", flat=True
            )
        )
        before = rights(own)
        for form in forms + holder_forms:
            for payload in hostile(form, intruder, other_buyer, every):
                response = client.post(form.action, payload)
                tried += 1
                assert response.status_code < 500, (username, form.action, payload)
        api_writes(client, intruder, other_buyer)
        assert rights(own) == before, username
        decided = AuditEvent.objects.filter(actor=someone, action__in=DECISIONS)
        # The holder answers its avenants (its own decision, recorded as the holder's).
        decided = decided.exclude(object_type="amendment", actor__username="emma.roux")
        assert not decided.exists(), (username, list(decided.values("action", "object_type")))
        assert not AmendmentEvent.objects.filter(actor=someone, role="acheteur").exists()
    REPORT.info("droits : %s envois par des rôles qui ne décident pas, aucun droit changé", tried)
    assert tried > 600


def api_writes(client: Client, intruder: Organisation, other_buyer: Organisation) -> None:
    """Every write of the API with the fields that would grant an access or decide."""
    operation = Operation.objects.alive().order_by("pk").first()
    contract = Contract.objects.alive().order_by("pk").first()
    assert operation is not None and contract is not None
    op = f"/api/operations/{operation.pk}"
    lot = operation.lots.alive().first()
    calls: list[tuple[str, str, dict[str, Any]]] = [
        ("post", "/api/operations", {"organisation_id": other_buyer.pk, "title": "x"}),
        ("post", "/api/operations", {"title": "x", "stage": "execution"}),
        ("patch", op, {"stage": "execution", "organisation_id": other_buyer.pk}),
        ("delete", op, {}),
        ("post", f"{op}/consultation/validation", {}),
        ("put", f"{op}/besoin", {"object": "x", "nature": "fournitures"}),
        ("post", f"{op}/lots", {"name": "x", "estimated_amount_ht": "10.00"}),
        ("patch", f"{op}/lots/{lot.pk if lot else 0}", {"name": "x"}),
        ("delete", f"{op}/lots/{lot.pk if lot else 0}", {}),
        (
            "post",
            f"/api/marches/{contract.pk}/factures",
            {"reference": "F-1", "received_on": "2026-01-05", "amount_ttc": "10.00"},
        ),
    ]
    for method, url, body in calls:
        response = getattr(client, method)(url, body, content_type="application/json")
        assert response.status_code < 500, (method, url, response.content[:300])


def test_the_maitre_d_ouvrage_alone_opens_a_contract_to_the_holder_s_account(
    demo: tuple[Organisation, Organisation],
) -> None:
    intruder, _ = demo
    contract = Contract.objects.get(holder_organisation__name=CONTRACTOR)
    url = reverse("contracts:edit", args=[contract.pk])
    amo_page = text(client_for(user("alice.bernard")).get(url))
    assert 'name="holder_organisation"' not in amo_page and 'name="status"' not in amo_page
    page = text(client_for(user("marie.dupont")).get(url))
    # Only related companies are offered, never every company of the platform.
    assert CONTRACTOR in page and intruder.name not in page
    _, forms = walk(client_for(user("marie.dupont")), start=url, limit=1)
    data = {**forms[0].defaults(), "holder_organisation": str(intruder.pk)}
    refused = client_for(user("marie.dupont")).post(url, data)
    assert refused.status_code == 200 and "Sélectionnez un choix valide" in text(refused)
    invited = {**data, "holder_organisation": "", "invite_holder": "on"}
    invited["holder_siret"] = INTRUDER_SIRET
    assert client_for(user("marie.dupont")).post(url, invited).status_code == 302
    contract.refresh_from_db()
    assert contract.holder_organisation == intruder


def test_the_holder_sees_its_contract_s_history_without_the_buyer_s_internal_file(
    demo: tuple[Organisation, Organisation],
) -> None:
    contract = Contract.objects.get(holder_organisation__name=CONTRACTOR)
    record(
        user("marie.dupont"),
        Action.GENERATE,
        contract,
        operation_id=contract.operation_id,
        contract_id=contract.pk,
        after={"document": "Rapport interne"},
    )
    url = reverse("contracts:history", args=[contract.pk])
    buyer_page = text(client_for(user("marie.dupont")).get(url))
    assert "Marie Dupont" in buyer_page and "Rapport interne" in buyer_page
    holder_page = text(client_for(user("emma.roux")).get(url))
    # Who did what at the buyer, and which documents it produced, stay the buyer's.
    for internal in ("Marie Dupont", "Alice Bernard", "Paul Lefèvre", "Rapport interne"):
        assert internal not in holder_page
    assert "Commune de Saint-Exemple" in holder_page and "Création" in holder_page
