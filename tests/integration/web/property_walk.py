"""Every form of the demo, found as a user finds it: follow the links of the pages from the
dashboard, read the POST forms of each page (fields, their current values and choices).

Shared by the property tests: rights on every field (``test_property_rights``) and no server
error on any input (``test_property_forms``). Nothing is listed by hand, so a new form is
walked as soon as a page links to it.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from django.test import Client

REPORT = logging.getLogger("openamo.fuzz")
"""The figures of the property runs (requests tried, answers by status), shown with
``pytest -o log_cli=true -o log_cli_level=INFO``."""

SKIPPED = re.compile(
    r"^/(static|media|api|admin|deconnexion|logout|connexion|login|__)"
    r"|/(telecharger|export|pieces)/"
    r"|\.(docx|xlsx|pdf|zip|csv|png|svg|css|js)$"
)
"""Pages not walked: files, the API (schemathesis drives it), sign-out."""


@dataclass
class Field:
    name: str
    kind: str  # text, number, date, checkbox, radio, select, textarea, hidden, file
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)
    multiple: bool = False


@dataclass
class Form:
    page: str
    action: str
    fields: dict[str, Field] = field(default_factory=dict)

    def defaults(self) -> dict[str, Any]:
        """What a user submits without touching anything."""
        data: dict[str, Any] = {}
        for f in self.fields.values():
            if f.kind == "file":
                continue
            if f.kind in ("checkbox", "radio"):
                if f.checked:
                    data[f.name] = f.value or "on"
                continue
            data[f.name] = f.value
        return data

    @property
    def editable(self) -> list[Field]:
        return [f for f in self.fields.values() if f.kind not in ("hidden", "file")]

    @property
    def key(self) -> str:
        """The form's URL with its numbers replaced, to walk each kind of form once."""
        return pattern_of(self.action) + "|" + ",".join(sorted(self.fields))


class _Parser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: str | None = None
        self._option_selected = False
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = Form(self.page, urljoin(self.page, a.get("action") or self.page))
        elif self._form is None or ("name" not in a and tag != "option"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            name = a["name"]
            if kind == "radio" and name in self._form.fields:
                radio = self._form.fields[name]
                radio.options.append(a.get("value", ""))
                if "checked" in a:
                    radio.checked, radio.value = True, a.get("value", "")
                return
            self._form.fields[name] = Field(
                name,
                kind,
                value=a.get("value", ""),
                checked="checked" in a,
                options=[a.get("value", "")] if kind == "radio" else [],
            )
        elif tag == "select":
            self._select = Field(a["name"], "select", multiple="multiple" in a)
            self._form.fields[a["name"]] = self._select
        elif tag == "option" and self._select is not None:
            self._option = a.get("value")
            self._option_selected = "selected" in a
        elif tag == "textarea":
            self._textarea = Field(a["name"], "textarea")
            self._form.fields[a["name"]] = self._textarea

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            if self._form is not None:
                self.forms.append(self._form)
            self._form = None
        elif tag == "option" and self._select is not None and self._option is not None:
            # As a browser does: the selected option, or else the first one.
            self._select.options.append(self._option)
            if self._option_selected or len(self._select.options) == 1:
                self._select.value = self._option
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None


def parse(page: str, html: str) -> tuple[list[str], list[Form]]:
    parser = _Parser(page)
    parser.feed(html)
    links = []
    for href in parser.links:
        url = urldefrag(urljoin(page, href)).url
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        links.append(url)
    return links, parser.forms


def pattern_of(url: str) -> str:
    """``/marches/<n>/factures/<n>/?page`` for ``/marches/1/factures/3/?page=2``."""
    parts = urlsplit(url)
    keys = sorted(item.split("=")[0] for item in parts.query.split("&") if item)
    return re.sub(r"/\d+", "/<n>", parts.path) + "?" + "&".join(keys)


def walk(
    client: Client, start: str = "/", limit: int = 400, per_kind: int = 2
) -> tuple[list[str], list[Form]]:
    """The pages reachable from ``start`` and their POST forms, each kind of form once."""
    seen: set[str] = set()
    visits: dict[str, int] = {}
    kinds: set[str] = set()
    pages: list[str] = []
    forms: list[Form] = []
    queue = deque([start])
    while queue and len(pages) < limit:
        url = queue.popleft()
        if url in seen or SKIPPED.search(urlsplit(url).path):
            continue
        seen.add(url)
        # Two pages of each kind (two purchases, two contracts) show every form of that kind.
        pattern = pattern_of(url)
        visits[pattern] = visits.get(pattern, 0) + 1
        if visits[pattern] > per_kind:
            continue
        response = client.get(url)
        if response.status_code in (301, 302) and response.get("Location"):
            queue.append(urljoin(url, response["Location"]))
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages.append(url)
        links, found = parse(url, response.content.decode())
        for form in found:
            if form.key not in kinds and not SKIPPED.search(urlsplit(form.action).path):
                kinds.add(form.key)
                forms.append(form)
        queue.extend(link for link in links if link not in seen)
    return pages, forms
