"""What a form typed, copied onto the row it edits."""

from __future__ import annotations

from typing import Any

from django.db import models

BLANK_TEXTS = frozenset(
    {"siret", "comment", "status_reason", "abnormally_low_note", "abnormally_low_answer"}
)


def fill(instance: models.Model, data: dict[str, Any], fields: list[str]) -> None:
    """Blank optional texts are stored empty; tri-states stay ``None``."""
    for name in fields:
        if name in data:
            value = data[name]
            if value is None and name in BLANK_TEXTS:
                value = ""
            setattr(instance, name, value)
