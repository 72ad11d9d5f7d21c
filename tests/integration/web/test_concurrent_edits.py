"""No lost edit (issue 14, item 3): two people edit the same object; the second to save is
told, in French, who changed what meanwhile, keeps what they typed, and replaces the other
edit only by saving again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openamo.web.contracts.models import Contract
from openamo.web.operations.models import Need, Operation
from tests.integration.web.conftest import Cast, client_for, text
from tests.integration.web.contracts_factories import make_contract
from tests.integration.web.property_walk import Form, parse


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
