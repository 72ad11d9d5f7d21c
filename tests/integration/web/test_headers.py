"""Headers of every page (issue 14, item 7): a strict Content-Security-Policy, a
Permissions-Policy, no caching of what a signed-in user sees; and no template that the policy
would break (no inline script, event handler or style attribute)."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import Client, override_settings
from django.urls import reverse

from openamo.web.operations.models import Operation
from tests.integration.web.conftest import Cast, client_for

TEMPLATES = Path(__file__).resolve().parents[3] / "src" / "openamo" / "web" / "templates"
INLINE = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)|\son[a-z]+=\"|\sstyle=\"")


def directives(response: object) -> dict[str, str]:
    policy = response["Content-Security-Policy"]  # type: ignore[index]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def test_every_page_carries_a_strict_content_security_policy(
    cast: Cast, operation: Operation
) -> None:
    for response in (
        Client().get(reverse("organisations:login")),
        client_for(cast.mo).get(reverse("operations:detail", args=[operation.pk])),
        client_for(cast.mo).get("/page-introuvable/"),
    ):
        policy = directives(response)
        assert policy["default-src"] == "'self'" and policy["script-src"] == "'self'"
        assert policy["style-src"] == "'self'" and policy["object-src"] == "'none'"
        assert policy["frame-ancestors"] == "'none'" and policy["form-action"] == "'self'"
        assert "unsafe" not in response["Content-Security-Policy"]
        assert "camera=()" in response["Permissions-Policy"]
        assert "microphone=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]


def test_pages_of_a_signed_in_user_are_never_stored(cast: Cast, operation: Operation) -> None:
    client = client_for(cast.mo)
    for url in (reverse("operations:detail", args=[operation.pk]), "/api/moi"):
        assert client.get(url)["Cache-Control"] == "no-store", url


@override_settings(OPENAMO_PROCONNECT_URL="https://auth.proconnect.example/api/v2")
def test_the_sign_in_provider_may_receive_the_forms_it_answers() -> None:
    policy = directives(Client().get(reverse("organisations:login")))
    assert policy["form-action"] == "'self' https://auth.proconnect.example"


def test_no_template_has_an_inline_script_handler_or_style() -> None:
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, found
    assert INLINE.search('<button onclick="x()">') and INLINE.search('<p style="color: red">')
    assert INLINE.search("<script>alert(1)</script>")
    assert not INLINE.search('<script src="/static/dsfr.module.min.js"></script>')
