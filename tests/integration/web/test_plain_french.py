"""What users read is plain French (issue 16.6): every page of the demonstration reached from
the dashboard, for every demo account, shows no internal identifier (snake_case), no dotted
parameter path (« procurement.thresholds.… ») and none of a list of English words."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from openamo.web.demo import load_demo
from tests.integration.web.conftest import client_for

ACCOUNTS = ["marie.dupont", "paul.lefevre", "jeanne.martin", "alice.bernard", "emma.roux"]
MAX_PAGES = 120
"""Per account: the demo's pages reached from the dashboard, breadth first."""

SKIPPED = ("/api/", "/admin/", "/static/", "/deconnexion", "/media/")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b(?!\.[a-z]{2,4}\b)")
"""Snake_case, not a file name (« dqe_restauration_2027.csv » is what the user uploaded)."""
FILE_COLUMNS = {"famille_produits", "prix_unitaire_ht", "categories_egalim", "viande_ou_poisson"}
"""Column headers of the purchase files the user types (documented as such on the page)."""
DOTTED = re.compile(r"\b[a-z]+(?:\.[a-z_]+){2,}\b")
ENGLISH = re.compile(
    r"\b(?:the|and|of|with|none|true|false|null|amendment|contract|invoice|offer|award|"
    r"stage|status|draft|signed|published|error|warning|field|required|invalid|"
    r"deadline|amount|date|undefined)\b",
    re.IGNORECASE,
)
QUOTED = re.compile(r"«[^»]*»")
DOMAINS = {"fr", "eu", "com", "org", "net", "example", "io", "gouv"}
"""Web addresses (legifrance.gouv.fr) are not parameter paths."""
# French words that are also English, and what the pages legitimately show.
FRENCH = {"date"}


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


def faults(text: str) -> list[str]:
    """Each fault with a few words around it, to find where it comes from."""

    def where(match: re.Match[str]) -> str:
        return text[max(match.start() - 40, 0) : match.end() + 40]

    found = [
        f"identifiant « {m[0]} » dans « {where(m)} »"
        for m in SNAKE.finditer(text)
        if m[0] not in FILE_COLUMNS
    ]
    found += [
        f"chemin « {m[0]} » dans « {where(m)} »"
        for m in DOTTED.finditer(text)
        if m[0].rsplit(".", 1)[-1] not in DOMAINS
    ]
    # A quoted title (« What the Data Say… », a cited study) is not the tool speaking English.
    unquoted = QUOTED.sub(lambda m: " " * len(m[0]), text)
    found += [
        f"anglais « {m[0]} » dans « {where(m)} »"
        for m in ENGLISH.finditer(unquoted)
        if m[0].lower() not in FRENCH
    ]
    return found


@pytest.mark.parametrize("username", ACCOUNTS)
def test_every_demo_page_reads_in_plain_french(db: None, tmp_path: Path, username: str) -> None:
    load_demo(tmp_path / "demo-credentials.json")
    client = client_for(get_user_model().objects.get(username=username))
    queue = [reverse("operations:dashboard")]
    seen: set[str] = set()
    problems: list[str] = []
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        content = response.content.decode()
        problems += [f"{url} : {fault}" for fault in faults(readable(content))]
        queue += [link for link in links(content) if link not in seen]
    assert len(seen) > 5
    assert not problems, "\n".join(sorted(set(problems)))
