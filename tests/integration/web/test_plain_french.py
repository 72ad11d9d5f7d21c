"""What users read is plain French (issue 16.6): every kind of page of the demonstration, in
every app, for every demo account, shows no internal identifier (snake_case), no dotted
parameter path (« procurement.thresholds.… ») and none of a list of English words.

The demonstration is loaded once for the module; each account's crawl runs in its own savepoint
on top of it. The crawl starts from the dashboard and from the entry page of each app for each
operation of the demo, and reads at most ``PER_VIEW`` pages of each view (three lots' analyses
say the same as one), so that every page kind is read without reading a thousand pages."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import Resolver404, resolve, reverse
from pytest_django import DjangoDbBlocker

from openamo.web.construction.models import PhaseReview
from openamo.web.demo import load_demo
from openamo.web.operations.models import Operation
from tests.integration.web.conftest import client_for
from tests.plain_french import faults

ACCOUNTS = [
    "marie.dupont",  # the commune's maître d'ouvrage
    "paul.lefevre",  # the commune's AMO
    "jeanne.martin",  # the commune's reader
    "alice.bernard",  # the AMO firm's consultant
    "emma.roux",  # the contractor
    "louis.garnier",  # the maître d'œuvre
]
PER_VIEW = 3
"""Per account, the pages read of each view (``app:name``)."""
MAX_PAGES = 600
APPS = {
    "operations",
    "organisations",
    "award",
    "steering",
    "construction",
    "contracts",
    "amendments",
    "catering",
    "opendata",
}
"""Every app whose pages the demo's maître d'ouvrage must have read."""

SKIPPED = ("/api/", "/admin/", "/administration/", "/static/", "/deconnexion", "/media/")
ENTRY_PAGES = [
    "operations:detail",
    "award:index",
    "steering:dashboard",
    "construction:dashboard",
]
"""The entry page of each module of an operation, tried for every operation of the demo (an
account that may not open one gets a 403 or 404, not read)."""
GLOBAL_PAGES = [
    "operations:dashboard",
    "operations:list",
    "contracts:list",
    "amendments:overview",
    "catering:index",
    "opendata:index",
    "organisations:account",
]


RAW = [
    (re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}[^ ]*)?\b"), "date brute"),
    (re.compile(r"(?<![\d.,])\d{4,}\.\d{2}\b(?![.\d])"), "montant brut"),
]
"""What the pages never show either: an ISO date or timestamp (« 2026-12-03T13:01:00Z ») where
a French date is due, an amount as stored (« 10000.00 ») where a French amount is due."""


def raw_values(text: str) -> list[str]:
    return [
        f"{label} « {m[0]} » dans « {text[max(m.start() - 40, 0) : m.end() + 40]} »"
        for pattern, label in RAW
        for m in pattern.finditer(text)
    ]


def readable(content: str) -> str:
    """The text a reader sees: no scripts, styles, tags or attributes; entities decoded."""
    content = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", content)
    content = re.sub(r"(?s)<!--.*?-->", " ", content)
    content = re.sub(r"<[^>]+>", " ", content)
    return " ".join(html.unescape(content).split())


def links(content: str) -> list[str]:
    found = []
    for href in re.findall(r'href="([^"]+)"', content):
        url = urldefrag(html.unescape(href))[0]
        parsed = urlparse(url)
        if parsed.scheme or parsed.netloc or not url.startswith("/"):
            continue
        if url.startswith(SKIPPED) or re.search(r"\.(docx|pdf|xlsx|csv|zip|json|ods)$", url):
            continue
        found.append(url)
    return found


def view_name(url: str) -> str | None:
    try:
        match = resolve(urlparse(url).path)
    except Resolver404:
        return None
    return match.view_name


def start_pages() -> list[str]:
    urls = [reverse(name) for name in GLOBAL_PAGES]
    for pk in Operation.objects.values_list("pk", flat=True).order_by("pk"):
        urls += [reverse(name, args=[pk]) for name in ENTRY_PAGES]
    return urls


@pytest.fixture(scope="module")
def demo(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    """The demonstration, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(Path(tmp_path_factory.mktemp("demo")) / "demo-credentials.json")
        # The demo's stale decisions (an approval, a procedure choice, a ranking) are read too.
        assert PhaseReview.objects.exclude(stale_changes=[]).count() == 1
        yield
        transaction.set_rollback(True)


def crawl(username: str) -> tuple[set[str], list[str]]:
    """The view names read by the account and the faults found on them."""
    client = client_for(get_user_model().objects.get(username=username))
    queue = start_pages()
    seen: set[str] = set()
    read: Counter[str] = Counter()
    problems: list[str] = []
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        name = view_name(url)
        if url in seen or name is None or read[name] >= PER_VIEW:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        read[name] += 1
        content = response.content.decode()
        shown = readable(content)
        problems += [f"{url} : {fault}" for fault in faults(shown) + raw_values(shown)]
        queue += [link for link in links(content) if link not in seen]
    return set(read), problems


@pytest.mark.parametrize("username", ACCOUNTS)
def test_every_demo_page_reads_in_plain_french(demo: None, db: None, username: str) -> None:
    views, problems = crawl(username)
    assert len(views) > 5
    if username == "marie.dupont":  # the maître d'ouvrage opens every app of the demo
        assert {name.split(":")[0] for name in views} >= APPS
    assert not problems, "\n".join(sorted(set(problems)))
