"""In a real browser, with the demonstration loaded: the pages a buyer reaches (dashboard,
operations, award, steering charts, contracts, amendments, catering, construction, the API
documentation, the error pages) run under the strict Content-Security-Policy without a single
violation — the DSFR's menus and disclosures still work without inline scripts."""

from __future__ import annotations

from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from openamo.web.demo import load_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGE_LIMIT = 45
SKIPPED = ("/static/", "/deconnexion", "/logout", "/admin")
REPORTER = """
document.addEventListener('securitypolicyviolation', (event) => {
  console.error('CSP violation: ' + event.violatedDirective + ' ' + event.blockedURI
    + ' ' + (event.sourceFile || '') + ':' + (event.lineNumber || ''));
});
"""


def violations_on(page: Page) -> list[str]:
    found: list[str] = []
    page.add_init_script(REPORTER)
    page.on(
        "console",
        lambda message: (
            found.append(message.text)
            if "Content Security Policy" in message.text or "CSP violation" in message.text
            else None
        ),
    )
    return found


def crawl(page: Page, base: str, start: str) -> list[str]:
    """Pages reachable from ``start`` by links (one of each shape of address), GETs only."""
    seen: set[str] = set()
    shapes: set[str] = set()
    visited: list[str] = []
    queue = deque([start])
    while queue and len(visited) < PAGE_LIMIT:
        path = queue.popleft()
        shape = "/".join("<n>" if part.isdigit() else part for part in path.split("/"))
        if path in seen or shape in shapes or path.startswith(SKIPPED):
            continue
        seen.add(path)
        shapes.add(shape)
        response = page.goto(base + path)
        page.wait_for_load_state("load")
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        visited.append(path)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            parts = urlsplit(urljoin(base + path, href))
            if parts.netloc == urlsplit(base).netloc and not parts.path.endswith(
                (".csv", ".pdf", ".docx", ".xlsx", ".zip", ".json")
            ):
                queue.append(parts.path)
    return visited


def test_the_main_pages_run_without_any_csp_violation(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    credentials = {c.username: c.password for c in load_demo(tmp_path / "demo.json")}
    found = violations_on(page)
    base = live_server.url
    page.goto(base + "/connexion/")
    page.locator("#id_username").fill("marie.dupont")
    page.locator("#id_password").fill(credentials["marie.dupont"])
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state("load")
    assert "/connexion/" not in page.url

    visited = crawl(page, base, "/")
    for extra in ("/api/docs", "/page-qui-n-existe-pas/"):
        page.goto(base + extra)
        page.wait_for_load_state("load")
        visited.append(extra)
    assert len(visited) >= 25, visited
    assert any("/pilotage/" in v for v in visited), visited  # the steering charts
    assert not found, found

    # The DSFR's scripts run (a file, allowed): the mobile menu opens and closes.
    page.set_viewport_size({"width": 600, "height": 900})
    page.goto(base + "/")
    page.get_by_role("button", name="Menu").click()
    classes = page.locator("#fr-menu-mobile").get_attribute("class") or ""
    assert classes.count("fr-modal--opened") == 1
    assert not found, found
