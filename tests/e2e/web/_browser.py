"""Shared by the browser tests: a page visit that runs axe-core on every page it reaches, and
signing in through the real login form."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page

PASSWORD = "mot de passe de recette, assez long"
BLOCKING = {"serious", "critical"}
axe = Axe()


class Visit:
    """The browser page plus an accessibility check of every page it reaches."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.checked: list[str] = []

    def check(self) -> None:
        self.page.wait_for_load_state("load")
        violations = [
            v for v in axe.run(self.page).response["violations"] if v["impact"] in BLOCKING
        ]
        summary = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in violations]
        assert not violations, f"{self.page.url} : {summary}"
        self.checked.append(self.page.url)

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)
        self.check()

    def submit(self, button: str) -> None:
        self.page.get_by_role("button", name=button).click()
        self.check()


def field(page: Page | Locator, label: str) -> Locator:
    """The form control labelled ``label`` (the DSFR required marker « * » aside)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}(\s*\*)?(\s|$)"))


def sign_in(visit: Visit, username: str) -> None:
    visit.goto("/connexion/")
    field(visit.page, "Identifiant").fill(username)
    field(visit.page, "Mot de passe").fill(PASSWORD)
    visit.submit("Se connecter")
