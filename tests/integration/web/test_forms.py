"""The shared edit step of ``openamo.web.forms``: posted and valid → the service runs; a
domain refusal stays on the form and saves nothing."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest
from django.test import RequestFactory

from openamo.errors import ErrorDetail, OpenAMOError
from openamo.web.forms import DateField, TimeField, acted, saved, submitted, text_above


class NoteForm(forms.Form):
    note = forms.CharField()


def test_a_get_or_an_invalid_form_saves_nothing() -> None:
    calls: list[str] = []
    get = RequestFactory().get("/")
    assert not saved(get, NoteForm(), lambda: calls.append("get"))
    post = RequestFactory().post("/", {})
    assert not saved(post, NoteForm(post.POST), lambda: calls.append("invalid"))
    assert calls == []


def test_a_valid_post_runs_the_service_once() -> None:
    calls: list[str] = []
    post = RequestFactory().post("/", {"note": "ok"})
    form = NoteForm(post.POST)
    assert saved(post, form, lambda: calls.append(form.cleaned_data["note"]))
    assert calls == ["ok"]


def _refuse() -> None:
    raise OpenAMOError(
        "Entrée invalide.", details=[ErrorDetail(location="note", message="Trop court.")]
    )


def test_a_domain_refusal_is_shown_above_the_form() -> None:
    post = RequestFactory().post("/", {"note": "ok"})
    form = NoteForm(post.POST)
    assert not saved(post, form, _refuse)
    assert form.non_field_errors() == ["Entrée invalide."]
    detailed = NoteForm(post.POST)
    assert not saved(post, detailed, _refuse, text_above)
    assert detailed.non_field_errors() == ["Entrée invalide.\n  - note : Trop court."]


def test_a_page_attaches_the_refusal_its_own_way() -> None:
    post = RequestFactory().post("/", {"note": "ok"})
    form = NoteForm(post.POST)

    def next_to_field(target: forms.BaseForm, exc: OpenAMOError) -> None:
        target.add_error("note", exc.details[0].message)

    assert not saved(post, form, _refuse, next_to_field)
    assert form.errors == {"note": ["Trop court."]}


def _told(request: HttpRequest) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in messages.get_messages(request)]


def test_an_action_tells_what_it_did_or_the_domain_s_refusal() -> None:
    request = RequestFactory().post("/")
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    calls: list[str] = []
    assert acted(request, lambda: calls.append("done"), "Validé.")
    assert not acted(request, _refuse, "Jamais dit.")
    assert acted(request, lambda: None, "Abandonné.", messages.info)
    assert calls == ["done"]
    assert _told(request) == [
        ("success", "Validé."),
        ("error", "Entrée invalide."),
        ("info", "Abandonné."),
    ]


def test_a_service_that_returns_what_it_stored_gives_it_back_or_none() -> None:
    post = RequestFactory().post("/", {"note": "ok"})
    assert submitted(post, NoteForm(post.POST), lambda: "ligne") == "ligne"
    refused = NoteForm(post.POST)
    assert submitted(post, refused, _refuse) is None
    assert refused.non_field_errors() == ["Entrée invalide."]
    get = RequestFactory().get("/")
    assert submitted(get, NoteForm(), lambda: "ligne") is None


class DecisionForm(forms.Form):
    decided_on = DateField()


def test_a_date_is_shown_and_typed_the_french_way_whatever_the_browser() -> None:
    """A native date field shows the browser's format (« 10/23/2026 » in an English browser)
    next to the « JJ/MM/AAAA » hint: the field is text, shown « 23/10/2026 »."""
    html = str(DecisionForm(initial={"decided_on": datetime.date(2026, 10, 23)})["decided_on"])
    assert 'value="23/10/2026"' in html
    assert 'type="text"' in html and 'inputmode="numeric"' in html
    for typed in ("23/10/2026", "2026-10-23"):
        form = DecisionForm({"decided_on": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["decided_on"] == datetime.date(2026, 10, 23)


class DeadlineForm(forms.Form):
    at = TimeField()


def test_a_time_is_shown_and_typed_the_french_way_whatever_the_browser() -> None:
    """A native time field showed « 12:00 PM » in an English browser: the field is text, shown
    « 12:00 », and takes « 12h00 » or « 12 h 00 » as well; garbage gets a French error."""
    html = str(DeadlineForm(initial={"at": datetime.time(12, 0)})["at"])
    assert 'value="12:00"' in html
    assert 'type="text"' in html and 'inputmode="numeric"' in html
    for typed, expected in [
        ("12:00", (12, 0)),
        ("12h00", (12, 0)),
        ("12 h 00", (12, 0)),
        ("16H30", (16, 30)),
        ("9h", (9, 0)),
        ("16:30:00", (16, 30)),
    ]:
        form = DeadlineForm({"at": typed})
        assert form.is_valid(), (typed, form.errors)
        assert form.cleaned_data["at"] == datetime.time(*expected)
    for garbage in ("midi", "25:00", "12h75", "1200h"):
        form = DeadlineForm({"at": garbage})
        assert not form.is_valid()
        assert form.errors["at"] == [
            "Heure invalide : saisissez-la au format HH:MM, par exemple 12:00 ou 16h30."
        ]


def test_an_amount_is_shown_back_with_its_thousands_apart() -> None:
    from decimal import Decimal

    from openamo.web.forms import AmountField

    field = AmountField()
    assert field.prepare_value(Decimal("168000")) == "168\u202f000,00"
    assert field.clean("168\u202f000,00") == Decimal("168000.00")  # what is shown is typed back
