"""Search as French users type: case and accents do not matter (« energie » finds
« Énergie »). PostgreSQL folds accents with its ``unaccent`` extension; the embedded SQLite
database folds case only."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q

MAX_LENGTH = 200


def clean(search: str) -> str:
    """What a search box or an API parameter may pass to the database: printable characters
    only (PostgreSQL refuses a NUL byte in a text parameter), trimmed, at most 200."""
    return "".join(ch for ch in search if ch.isprintable()).strip()[:MAX_LENGTH]


def text_contains(search: str, *fields: str) -> Q:
    """Rows where one of ``fields`` contains ``search``."""
    lookup = "unaccent__icontains" if connection.vendor == "postgresql" else "icontains"
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__{lookup}": search})
    return condition
