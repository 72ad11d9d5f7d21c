"""Every law parameter is read by the code, by its path written whole (issue 15): a figure that
no rule reads is either dead data to delete or a rule that was forgotten."""

from __future__ import annotations

import re
from pathlib import Path

import openamo
from openamo import law

SOURCE = Path(openamo.__file__).parent

NOT_YET_READ: dict[str, str] = {}
"""Parameters whose rule is being written; the list may only shrink (checked below)."""


def _paths_in_code() -> set[str]:
    literal = re.compile(r"""["']([a-z0-9_]+(?:\.[a-z0-9_]+)+)["']""")
    found: set[str] = set()
    for file in SOURCE.rglob("*.py"):
        found.update(literal.findall(file.read_text(encoding="utf-8")))
    return found


def test_every_parameter_is_read_by_its_whole_path() -> None:
    written = _paths_in_code()
    unread = sorted(set(law.parameters()) - written - set(NOT_YET_READ))
    assert unread == [], f"paramètres que le code ne lit pas : {unread}"


def test_the_pending_list_only_names_unread_parameters() -> None:
    written = _paths_in_code()
    assert sorted(set(NOT_YET_READ) & written) == []
    assert set(NOT_YET_READ) <= set(law.parameters())
