"""Cells written to a spreadsheet or a CSV file that a spreadsheet will open: the one guard every
export uses, on the web and in the command line (OWASP « CSV injection »)."""

from __future__ import annotations

import re
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "|")
"""What makes a spreadsheet read a cell as a formula (or a DDE command)."""
_NUMBER = re.compile(r"[-+]?\d[\d \u00a0\u202f]*(?:[.,]\d+)?(?:[eE][-+]?\d+)?")


def guard_formula(value: Any) -> Any:
    """A text that a spreadsheet would run as a formula gets a leading apostrophe, so it stays
    text (« =HYPERLINK(…) » → « '=HYPERLINK(…) »); a number, even negative (« -12.50 »,
    « -1 250,00 »), is kept as it is; any other value is returned unchanged."""
    if not isinstance(value, str) or not value.startswith(FORMULA_PREFIXES):
        return value
    if _NUMBER.fullmatch(value):
        return value
    return "'" + value
