"""No server error on any input, and nothing typed is lost (issue 14, item 2; issue 16, item 5).

Every POST form of the demo (found by following the links as the maître d'ouvrage, the AMO
firm, the contractor and the maître d'œuvre; every web app that declares a form is reached) is
sent
absurd values — French and English decimals, percent signs, huge and negative numbers, extreme
dates, NUL characters, 1 MB strings — in all its fields at once (drawn by hypothesis) and in
each field alone. The answer is never a 5xx; a form shown back with its errors shows every
value as it was typed; afterwards, no table holds a date outside the plausible window or an
amount beyond the plausible bound (``openamo.validation``). ``make fuzz`` draws many more
examples.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.test import Client
from django.urls import resolve
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openamo.validation import PLAUSIBLE_MAX_AMOUNT, date_window
from openamo.web.demo import load_demo
from openamo.web.operations.models import Operation
from tests.integration.web.conftest import client_for
from tests.integration.web.property_walk import REPORT, Form, walk

DEEP = bool(os.environ.get("OPENAMO_FUZZ_DEEP"))
ALL_AT_ONCE = 25 if DEEP else 2
"""Examples per form with every field drawn at once (``make fuzz``: 25)."""

ABSURD = [
    "12,5",
    "12.5",
    "40 %",
    "1 800 €",
    "-1",
    "-999999999999",
    "1e308",
    "99999999999999999999999999999999",
    "NaN",
    "Infinity",
    "0,0000001",
    "9999-12-31",
    "31/12/9999",
    "0001-01-01",
    "1900-01-01",
    "2100-06-01",
    "2026-02-30",
    "a\x00b",
    "<script>x</script>",
    '=HYPERLIEN("x")',
    "été ; « guillemets »",
    "x" * 1_000_000,
]
TYPED = ("text", "number", "date", "textarea", "email", "search", "tel", "url")


def absurd_values() -> st.SearchStrategy[str]:
    return st.sampled_from(ABSURD) | st.text(max_size=40)


def send(client: Client, form: Form, changes: dict[str, str]) -> tuple[int, str]:
    response = client.post(form.action, {**form.defaults(), **changes})
    return response.status_code, response.content.decode(errors="replace")


def kept(page: str, changes: dict[str, str]) -> list[str]:
    """The typed values that the re-displayed form does not show back."""
    shown = html.unescape(page)
    return [
        name
        for name, value in changes.items()
        # NUL cannot live in HTML; the browser itself drops it, so does Django's rendering.
        if "\x00" not in value and value.strip() and value.strip() not in shown
    ]


def all_at_once(
    form: Form, names: list[str], check: Callable[[Form, dict[str, str]], None]
) -> None:
    """Every typed field of ``form`` drawn at once."""

    @given(st.fixed_dictionaries({name: absurd_values() for name in names}))
    @settings(
        max_examples=ALL_AT_ONCE,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def draw(changes: dict[str, str]) -> None:
        check(form, changes)

    draw()


def fuzzed(form: Form) -> list[str]:
    return [f.name for f in form.editable if f.kind in TYPED]


WALKERS = ["marie.dupont", "alice.bernard", "emma.roux", "louis.garnier"]
"""The accounts whose forms are driven: the maître d'ouvrage first (most forms), then what only
the AMO firm, the contractor (its observations on an avenant) and the maître d'œuvre (its
phases and statements) are shown."""


def web_apps_with_forms() -> set[str]:
    """Every web app that declares a Django form (found in the code, not listed by hand)."""
    from django import forms as django_forms

    found: set[str] = set()
    pending: list[type] = [django_forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        parts = cls.__module__.split(".")
        if parts[:2] == ["openamo", "web"] and len(parts) > 3:
            found.add(parts[2])
    return found


@pytest.fixture
def walked(db: None, tmp_path: Path) -> list[tuple[Client, Form]]:
    load_demo(tmp_path / "credentials.json")
    found: dict[str, tuple[Client, Form]] = {}
    for username in WALKERS:
        user = get_user_model().objects.get(username=username)
        # A server error is counted as a 500, as a user would get it, not raised.
        client = Client(raise_request_exception=False)
        client.force_login(user)
        _, forms = walk(client_for(user))
        # Confirmation buttons (delete, validate) have nothing to type; the rights test's.
        for form in forms:
            if fuzzed(form) and form.key not in found:
                found[form.key] = (client, form)
    return list(found.values())


def test_every_web_app_with_forms_is_driven(walked: list[tuple[Client, Form]]) -> None:
    driven = {resolve(urlsplit(form.action).path).app_name or "" for _, form in walked}
    declared = web_apps_with_forms()
    assert declared and declared - {"api", "config"} <= driven, declared - driven


def test_no_form_answers_absurd_input_with_a_server_error_or_loses_it(
    walked: list[tuple[Client, Form]],
) -> None:
    assert len(walked) >= 50
    clients = {form.key: client for client, form in walked}
    forms = [form for _, form in walked]
    statuses: dict[int, int] = {}
    failures: list[Any] = []

    def check(form: Form, changes: dict[str, str]) -> None:
        status, page = send(clients[form.key], form, changes)
        statuses[status] = statuses.get(status, 0) + 1
        if status >= 500:
            failures.append((form.action, status, {k: v[:40] for k, v in changes.items()}))
        elif status == 200 and "fr-error-text" in page:
            lost = kept(page, changes)
            if lost:
                failures.append((form.action, "perdu", lost))

    for form in forms:
        names = fuzzed(form)
        # Each field alone, with a value that changes from one field to the next.
        for index, name in enumerate(names):
            check(form, {name: ABSURD[(index * 7 + len(form.action)) % len(ABSURD)]})

        all_at_once(form, names, check)

    REPORT.info("formulaires : %s envois, réponses %s", sum(statuses.values()), statuses)
    assert not failures, failures[:10]
    assert not absurd_rows(), absurd_rows()[:10]


def absurd_rows() -> list[tuple[str, str, Any]]:
    """Every stored date outside the plausible window and every amount beyond the plausible
    bound, in any table of the project: what the forms should never have let through."""
    first, last = date_window(timezone.localdate())
    bound = PLAUSIBLE_MAX_AMOUNT
    found: list[tuple[str, str, Any]] = []
    for model in apps.get_models():
        if not model.__module__.startswith("openamo."):
            continue
        for field in model._meta.concrete_fields:
            name = field.name
            if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
                rows = model._default_manager.filter(
                    Q(**{f"{name}__lt": first}) | Q(**{f"{name}__gt": last})
                )
            elif isinstance(field, models.DecimalField):
                rows = model._default_manager.filter(
                    Q(**{f"{name}__gte": bound}) | Q(**{f"{name}__lte": -bound})
                )
            else:
                continue
            found += [
                (model.__name__, name, value) for value in rows.values_list(name, flat=True)[:3]
            ]
    return found


def test_the_scan_finds_what_no_form_should_let_through(operation: Operation) -> None:
    from openamo.web.operations.models import Lot

    assert absurd_rows() == []
    Lot.objects.filter(operation=operation).update(estimated_amount_ht=Decimal("-1e12"))
    found = {(model, field) for model, field, _ in absurd_rows()}
    assert ("Lot", "estimated_amount_ht") in found
