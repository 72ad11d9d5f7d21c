"""No lost edit (issue 14, item 3): two people edit the same object; the second to save is
told, in French, who changed what meanwhile, keeps what they typed, and replaces the other
edit only by saving again."""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from openamo.web.amendments.models import Amendment
from openamo.web.award.models import (
    AnalysisStatus,
    Candidacy,
    CriteriaSet,
    DceSettings,
    LotAnalysis,
    Offer,
)
from openamo.web.catering.models import CateringProfile, Purchase
from openamo.web.construction.models import FinalAccount, PhaseReview, Project
from openamo.web.contracts.models import Contract, Invoice, Order, Subcontractor
from openamo.web.demo import load_demo
from openamo.web.operations.models import Consultation, Need, Operation
from openamo.web.organisations.models import Membership
from openamo.web.steering.models import ChangeRequest, Framing, MilestoneProgress, Risk
from tests.integration.web.conftest import Cast, client_for, text
from tests.integration.web.contracts_factories import make_contract
from tests.integration.web.property_walk import REPORT, Form, parse


def edit_form(client: Client, url: str) -> Form:
    """The edit form as the page shows it (values and hidden version)."""
    _, forms = parse(url, client.get(url).content.decode())
    found = [form for form in forms if form.action == url and "version" in form.fields]
    assert found, url
    return found[0]


CASES: dict[str, tuple[Callable[[Operation, Cast], str], str, Callable[[Operation], Any]]] = {
    "operation": (
        lambda op, cast: reverse("operations:edit", args=[op.pk]),
        "title",
        lambda op: Operation.objects.get(pk=op.pk).title,
    ),
    "need": (
        lambda op, cast: reverse("operations:need", args=[op.pk]),
        "object",
        lambda op: Need.objects.get(operation=op).object,
    ),
    "contract": (
        lambda op, cast: reverse("contracts:edit", args=[make_contract(cast, op).pk]),
        "title",
        lambda op: Contract.objects.get(operation=op).title,
    ),
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_the_second_editor_is_told_what_changed_and_keeps_what_they_typed(
    kind: str, cast: Cast, operation: Operation
) -> None:
    url_of, field, stored = CASES[kind]
    url = url_of(operation, cast)
    first, second = client_for(cast.mo), client_for(cast.internal_amo)
    mine, theirs = edit_form(first, url), edit_form(second, url)

    saved = first.post(url, {**mine.defaults(), field: "Version de Marie"})
    assert saved.status_code == 302
    late = second.post(url, {**theirs.defaults(), field: "Version de Paul"})
    page = text(late)
    assert late.status_code == 200
    assert "Marie" in page and "pendant votre saisie" in page and "Version de Marie" in page
    assert "Version de Paul" in page
    assert stored(operation) == "Version de Marie"

    # Saving again, from the form shown back (it carries the new version), replaces it.
    again = parse(url, late.content.decode())[1]
    retry = next(form for form in again if form.action == url and "version" in form.fields)
    assert second.post(url, retry.defaults()).status_code == 302
    assert stored(operation) == "Version de Paul"


def test_a_client_without_a_version_keeps_the_last_save_rule(
    cast: Cast, operation: Operation
) -> None:
    url = reverse("operations:edit", args=[operation.pk])
    data = edit_form(client_for(cast.mo), url).defaults()
    data.pop("version")
    response = client_for(cast.mo).post(url, {**data, "title": "Sans version"})
    assert response.status_code == 302


# Every edit form of the demonstration: two people of the commune open it, the first saves, the
# second is told and keeps what they typed (one shared mechanism: ``openamo.web.forms``).
def first(model: Any, **filters: Any) -> Any:
    found = model.objects.filter(**filters).order_by("pk").first()
    assert found is not None, (model, filters)
    return found


def _draft() -> Amendment:
    amendment: Amendment = first(Amendment)
    Amendment.objects.filter(pk=amendment.pk).update(stage="brouillon")
    return amendment


def _offer() -> Offer:
    offer: Offer = first(Offer, deleted_at__isnull=True)
    return offer


def _unmarked() -> CriteriaSet:
    """The criteria change only before any offer is marked."""
    Offer.objects.update(marks={})
    criteria: CriteriaSet = first(CriteriaSet)
    return criteria


def _profile() -> CateringProfile:
    """The demonstration keeps the general targets (no profile yet): one is saved first."""
    profile, _ = CateringProfile.objects.get_or_create(organisation=first(Purchase).organisation)
    return profile


DEMO_FORMS: dict[str, Callable[[], str]] = {
    "amendments:edit": lambda: reverse("amendments:edit", args=[(a := _draft()).contract_id, a.pk]),
    "award:analysis": lambda: reverse(
        "award:analysis", args=[(a := first(LotAnalysis)).operation_id, a.lot_id or 0]
    ),
    "award:candidacy_edit": lambda: reverse(
        "award:candidacy_edit", args=[(c := first(Candidacy)).operation_id, c.pk]
    ),
    "award:criteria_edit": lambda: reverse("award:criteria_edit", args=[_unmarked().operation_id]),
    "award:criterion_edit": lambda: reverse(
        "award:criterion_edit", args=[_unmarked().operation_id, 1]
    ),
    "award:dce_settings": lambda: reverse(
        "award:dce_settings", args=[first(DceSettings).operation_id]
    ),
    "award:offer_edit": lambda: reverse(
        "award:offer_edit", args=[(o := _offer()).operation_id, o.lot_id or 0, o.pk]
    ),
    "award:offer_marks": lambda: reverse(
        "award:offer_marks", args=[(o := _offer()).operation_id, o.lot_id or 0, o.pk]
    ),
    "catering:profile": lambda: reverse("catering:profile", args=[_profile().organisation_id]),
    "catering:purchase_edit": lambda: reverse(
        "catering:purchase_edit", args=[(p := first(Purchase)).organisation_id, p.pk]
    ),
    "construction:final_account": lambda: reverse(
        "construction:final_account",
        args=[(f := first(FinalAccount)).contract.operation_id, f.contract_id],
    ),
    "construction:moe": lambda: reverse("construction:moe", args=[first(Project).operation_id]),
    "construction:organisation": lambda: reverse(
        "construction:organisation", args=[first(Project).operation_id]
    ),
    "construction:phase": lambda: reverse(
        "construction:phase",
        args=[(r := first(PhaseReview, decision="")).project.operation_id, r.phase],
    ),
    "construction:programme": lambda: reverse(
        "construction:programme", args=[first(Project).operation_id]
    ),
    "contracts:formula": lambda: reverse("contracts:formula", args=[first(Order).contract_id]),
    "contracts:invoice_edit": lambda: reverse(
        "contracts:invoice_edit", args=[(i := first(Invoice)).contract_id, i.pk]
    ),
    "contracts:order_edit": lambda: reverse(
        "contracts:order_edit", args=[(o := first(Order)).contract_id, o.pk]
    ),
    "contracts:subcontractor_edit": lambda: reverse(
        "contracts:subcontractor_edit", args=[(c := first(Subcontractor)).contract_id, c.pk]
    ),
    "operations:wizard": lambda: reverse(
        "operations:wizard", args=[first(Consultation).operation_id]
    ),
    "steering:change_edit": lambda: reverse(
        "steering:change_edit",
        args=[(c := first(ChangeRequest, decision="en_attente")).operation_id, c.pk],
    ),
    "steering:framing_edit": lambda: reverse(
        "steering:framing_edit", args=[first(Framing).operation_id]
    ),
    "steering:milestone_edit": lambda: reverse(
        "steering:milestone_edit", args=[(m := first(MilestoneProgress)).operation_id, m.milestone]
    ),
    "steering:risk_edit": lambda: reverse(
        "steering:risk_edit", args=[(r := first(Risk)).operation_id, r.key]
    ),
    "steering:roi": lambda: reverse("steering:roi", args=[first(Framing).operation_id]),
}
EXTRA = {"amendments:edit": {"action": "enregistrer"}}
DROPPED = {"labels"}  # the purchase's label boxes: none ticked is a valid purchase
CONFLICT = "pendant votre saisie"


def versioned_form(client: Client, url: str) -> Form:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    forms = parse(url, response.content.decode())[1]
    found = [
        f
        for f in forms
        if f.action.split("?")[0] == url and any(n.endswith("version") for n in f.fields)
    ]
    assert found, "pas de version dans le formulaire"
    return found[0]


NUMBER = re.compile(r"[\d\s\u202f\u00a0]*\d(,\d+)?")
FRENCH_DATE = re.compile(r"\d{2}/\d{2}/\d{4}")


def typed(form: Form, who: str, shift: int) -> tuple[dict[str, Any], str]:
    """The form as submitted, with something of ``who`` typed: a text in its first free-text
    field, else a figure, a date or a choice changed (``shift`` apart for each editor)."""
    data = {k: v for k, v in form.defaults().items() if k not in DROPPED}
    for f in form.fields.values():  # « Non renseigné » (an empty choice) is sent empty
        if f.kind == "radio" and f.checked and not f.value:
            data[f.name] = ""
    fields = form.editable
    texts = [f for f in fields if f.kind == "text" and not any(c.isdigit() for c in f.value)]
    for f in [f for f in texts if f.value]:
        value = f"{f.value.strip()} (saisie de {who})"
        return {**data, f.name: value}, value
    for f in fields:
        if f.kind == "text" and NUMBER.fullmatch(f.value):
            value = f.value[:-1] + str((int(f.value[-1]) + shift) % 10)
            return {**data, f.name: value}, value
    for f in [f for f in fields if f.kind == "textarea"]:
        value = f"{f.value.strip()} (saisie de {who})".strip()
        return {**data, f.name: value}, value
    for f in fields:
        if f.kind == "date" and f.value:
            day = datetime.date.fromisoformat(f.value) - datetime.timedelta(days=shift)
            return {**data, f.name: day.isoformat()}, day.isoformat()
        if f.kind == "text" and FRENCH_DATE.fullmatch(f.value):  # dates typed « JJ/MM/AAAA »
            day = datetime.datetime.strptime(f.value, "%d/%m/%Y").date()
            value = f"{day - datetime.timedelta(days=shift):%d/%m/%Y}"
            return {**data, f.name: value}, value
        if f.kind in ("radio", "select"):
            others = [o for o in f.options if o and o != f.value]
            if len(others) >= shift:
                return {**data, f.name: others[shift - 1]}, others[shift - 1]
    raise AssertionError("aucun champ à modifier")


def second_editor_outcome(name: str, url: str, marie: Client, claire: Client) -> str:
    """« ok », or what went wrong for this form."""
    extra = EXTRA.get(name, {})
    mine, theirs = versioned_form(marie, url), versioned_form(claire, url)
    data, _ = typed(mine, "Marie", 1)
    saved = marie.post(url, {**data, **extra})
    if saved.status_code not in (200, 302) or CONFLICT in text(saved):
        return f"première saisie refusée ({saved.status_code})"
    errors = re.findall(r"fr-(?:error-text|message--error)[^>]*>\s*([^<]+)", saved.content.decode())
    if saved.status_code == 200 and errors:
        return "première saisie invalide : " + " | ".join(e.strip() for e in errors)[:300]
    late_data, claire_typed = typed(theirs, "Claire", 2)
    late = claire.post(url, {**late_data, **extra})
    if late.status_code != 200 or CONFLICT not in text(late):
        return f"seconde saisie acceptée sans avertissement ({late.status_code})"
    if claire_typed not in html.unescape(late.content.decode()):
        return "la saisie de Claire est perdue"
    if "Marie" not in text(late):
        return "le message ne dit pas qui a modifié"
    retry = next(f for f in parse(url, late.content.decode())[1] if f.action.split("?")[0] == url)
    if CONFLICT in text(claire.post(url, {**retry.defaults(), **extra})):
        return "la nouvelle tentative est encore refusée"
    return "ok"


def test_every_edit_form_tells_the_second_editor_and_keeps_what_they_typed(
    db: None, tmp_path: Path
) -> None:
    load_demo(tmp_path / "demo.json")
    users = get_user_model().objects
    marie = users.get(username="marie.dupont")
    claire = users.create_user("claire.petit", first_name="Claire", last_name="Petit")
    for membership in Membership.objects.filter(user=marie):
        Membership.objects.create(
            user=claire, organisation=membership.organisation, role=membership.role
        )
    # The demonstration validated its rankings: reopened, its offers and candidacies change.
    LotAnalysis.objects.update(status=AnalysisStatus.PROPOSEE)
    outcomes: dict[str, str] = {}
    # The criteria last: they change only once the offers' marks are cleared.
    for name in sorted(DEMO_FORMS, key=lambda name: "criteri" in name):
        url_of = DEMO_FORMS[name]
        try:
            outcomes[name] = second_editor_outcome(
                name, url_of(), client_for(marie), client_for(claire)
            )
        except AssertionError as error:
            outcomes[name] = f"échec : {str(error).splitlines()[0][:200]}"
    REPORT.info("modifications concurrentes : %s", outcomes)
    failed = [f"{name} : {outcome}" for name, outcome in outcomes.items() if outcome != "ok"]
    assert not failed, "\n".join(failed)
