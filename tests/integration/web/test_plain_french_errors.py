"""Plain French on refusals too (issue 16, items 5 and 6): every form of the demo that an
account reaches is sent invalid input — empty fields, dates of 1900 and 2100, negative and
huge amounts, garbage text — as that account. The answer is never a server error; a form
shown back with its errors speaks plain French (``tests.plain_french``: no identifier, no
dotted path, no English word, no ISO date) and shows what was typed; afterwards no absurd
value was saved (``test_property_forms.absurd_rows``) and no amount turned negative.

Runs on the module's demonstration of ``test_plain_french`` (loaded once, each account in its
own savepoint). The figures (forms, submissions, answers) are logged on ``openamo.fuzz``."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client

from tests.integration.web.property_walk import REPORT, Field, Form, walk
from tests.integration.web.test_plain_french import ACCOUNTS, demo, raw_values, readable
from tests.integration.web.test_property_forms import absurd_rows, kept
from tests.plain_french import faults

__all__ = ["demo"]

TYPED = ("text", "number", "date", "textarea", "email", "search", "tel", "url")
DATE = re.compile(r"(?:^|_)(?:on|date|day|month|at|le)$|date|deadline|_on_")
AMOUNT = re.compile(r"amount|_ht$|_ttc$|price|cost|budget|value|rate|percent|fee|sum|total")
GARBAGE = "¤¤ n'importe quoi ¤¤"
MAY_BE_NEGATIVE = {
    ("ChangeRequest", "cost_ht"),  # a change that saves money
    ("ChangeRequest", "delay_days"),
    ("Amendment", "amount_ht"),  # an avenant may reduce the contract
    ("PriceRevision", "coefficient"),
}
"""Amounts that are negative in real files (never a typed absurdity)."""


def kind_of(field: Field) -> str:
    name = field.name.rsplit("-", 1)[-1].lower()
    if field.kind == "date" or DATE.search(name):
        return "date"
    if field.kind == "number" or AMOUNT.search(name):
        return "amount"
    return "text"


def payloads(form: Form) -> list[tuple[str, dict[str, str]]]:
    """The invalid submissions of one form: name of the attempt, fields changed."""
    typed = [f for f in form.editable if f.kind in TYPED]
    if not typed:
        return []
    dates = [f.name for f in typed if kind_of(f) == "date"]
    amounts = [f.name for f in typed if kind_of(f) == "amount"]
    found = [
        ("vide", {f.name: "" for f in typed}),
        ("charabia", {f.name: GARBAGE for f in typed}),
    ]
    if dates:
        found += [
            ("1900", dict.fromkeys(dates, "01/01/1900")),
            ("2100", dict.fromkeys(dates, "01/06/2100")),
        ]
    if amounts:
        found += [
            ("négatif", dict.fromkeys(amounts, "-999999")),
            ("énorme", dict.fromkeys(amounts, "99999999999999")),
        ]
    return found


def negatives() -> set[tuple[str, str, int]]:
    """Every negative stored amount, by model, field and row."""
    found: set[tuple[str, str, int]] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("openamo."):
            continue
        for field in model._meta.concrete_fields:
            if (
                not isinstance(field, models.DecimalField | models.IntegerField)
                or field.primary_key
            ):
                continue
            if (
                isinstance(field, models.ForeignKey)
                or (model.__name__, field.name) in MAY_BE_NEGATIVE
            ):
                continue
            rows = model._default_manager.filter(**{f"{field.name}__lt": 0})
            found |= {(model.__name__, field.name, pk) for pk in rows.values_list("pk", flat=True)}
    return found


def submit(client: Client, form: Form, changes: dict[str, str]) -> tuple[int, str]:
    response = client.post(form.action, {**form.defaults(), **changes})
    return response.status_code, response.content.decode(errors="replace")


@pytest.mark.parametrize("username", ACCOUNTS)
def test_invalid_input_is_refused_in_plain_french(demo: None, db: None, username: str) -> None:
    user = get_user_model().objects.get(username=username)
    reader = Client()
    reader.force_login(user)
    _, forms = walk(reader, start="/", limit=220, per_kind=1)
    # A server error is counted as a 500, as a user would get it, not raised.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    before = negatives()
    statuses: Counter[int] = Counter()
    problems: list[Any] = []
    sent = 0
    for form in forms:
        for attempt, changes in payloads(form):
            status, page = submit(client, form, changes)
            sent += 1
            statuses[status] += 1
            where = f"{form.action} ({attempt})"
            if status >= 500:
                problems.append(f"{where} : erreur {status}")
                continue
            if status == 400 or (status == 200 and "fr-error-text" in page):
                shown = readable(page)
                problems += [f"{where} : {fault}" for fault in faults(shown) + raw_values(shown)]
            if status != 200 or "fr-error-text" not in page:
                continue
            lost = kept(page, changes)
            if lost:
                problems.append(f"{where} : saisie perdue {lost}")
    REPORT.info("%s : %s formulaires, %s envois, réponses %s", username, len(forms), sent,
                dict(statuses))  # fmt: skip
    assert not problems, "\n".join(sorted(set(problems))[:40])
    assert not absurd_rows(), absurd_rows()[:10]
    assert negatives() - before == set()
