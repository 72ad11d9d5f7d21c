"""What users read is plain French (issue 16.6): the checks shared by the test of the pages
(``tests/integration/web/test_plain_french.py``) and the test of the domain's and the CLI's
messages (``tests/unit/test_plain_french_messages.py``)."""

from __future__ import annotations

import re

from openamo.catering.schemas import schema
from openamo.web.catering.dqe import COLUMNS as DQE_COLUMNS

SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b(?!\.[a-z]{2,4}\b)")
"""Snake_case, not a file name (« dqe_restauration_2027.csv » is what the user uploaded)."""
FILE_COLUMNS = {
    column
    for name in ("achats_siret", "achats_id", "achats_ancien_format")
    for column in schema(name).columns
} | set(DQE_COLUMNS)
"""Column headers of the files the user fills in (ma cantine's purchase files, the catering
DQE), documented as such on the import pages: the user types them."""
DOTTED = re.compile(r"\b[a-z]+(?:\.[a-z_]+){2,}\b")
ENGLISH = re.compile(
    r"\b(?:the|and|of|with|none|true|false|null|amendment|contract|invoice|offer|award|"
    r"stage|status|draft|signed|published|error|warning|field|required|invalid|"
    r"deadline|amount|date|undefined|yes|pending|accepted|refused|approved|rejected|"
    r"cancelled|canceled|paid|unpaid|overdue|late|baseline|framing|milestone|purchase|"
    r"supplier|holder|buyer|operation|reception|reserve|request|payment|created|updated|"
    r"deleted|unknown|missing|submitted)\b(?!\.[a-z]{2,4}\b)",
    re.IGNORECASE,
)
QUOTED = re.compile(r"«[^»]*»")
DOMAINS = {"fr", "eu", "com", "org", "net", "example", "io", "gouv"}
"""Web addresses (legifrance.gouv.fr) are not parameter paths."""
# French words that are also English, and what the pages legitimately show.
FRENCH = {"date"}


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
