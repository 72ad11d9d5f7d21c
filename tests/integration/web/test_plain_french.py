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
from tests.plain_french import faults

ACCOUNTS = ["marie.dupont", "paul.lefevre", "jeanne.martin", "alice.bernard", "emma.roux"]
MAX_PAGES = 120
"""Per account: the demo's pages reached from the dashboard, breadth first."""

SKIPPED = ("/api/", "/admin/", "/static/", "/deconnexion", "/media/")


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
