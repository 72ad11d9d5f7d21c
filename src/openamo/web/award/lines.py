"""Lists typed as lines of text (« désignation ; quantité ; prix unitaire », one per line), as
people paste them from a spreadsheet: ``;`` or tab separators, decimal comma, spaces in numbers.

Each parser returns the domain's JSON form, or raises ``ValueError`` with a French message that
names the line; forms show it next to the field and the mappers read the stored text again.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from openamo.money import format_amount

_SEPARATOR = re.compile(r"\s*[;\t]\s*")
_SPACES = str.maketrans("", "", " \u00a0\u202f€%")


def rows(text: str) -> list[tuple[int, list[str]]]:
    """Non-blank lines, numbered from 1, split on ``;`` or tabs."""
    found = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if line.strip():
            found.append((number, [cell.strip() for cell in _SEPARATOR.split(line.strip())]))
    return found


def plain_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def number(cell: str, line: int, what: str) -> Decimal:
    try:
        value = Decimal(cell.translate(_SPACES).replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"ligne {line} : {what} « {cell} » n'est pas un nombre") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"ligne {line} : {what} « {cell} » doit être un nombre positif")
    return value


def _expect(cells: list[str], line: int, low: int, high: int, shape: str) -> None:
    if not low <= len(cells) <= high or not cells[0]:
        raise ValueError(f"ligne {line} : attendu « {shape} »")


def dqe_lines(text: str) -> list[dict[str, Any]]:
    """« désignation ; quantité ; prix unitaire HT » → ``openamo.award.models.DqeLine``."""
    lines = []
    for line, cells in rows(text):
        _expect(cells, line, 3, 3, "désignation ; quantité ; prix unitaire HT")
        lines.append(
            {
                "designation": cells[0][:200],
                "quantity": str(number(cells[1], line, "la quantité")),
                "unit_price_ht": format_amount(number(cells[2], line, "le prix unitaire")),
            }
        )
    return lines


def _comma(value: str) -> str:
    return str(value).replace(".", ",")


def dqe_text(lines: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{row['designation']} ; {_comma(row['quantity'])} ; {_comma(row['unit_price_ht'])}"
        for row in lines
    )


def bpu_items(text: str) -> list[dict[str, Any]]:
    """« désignation ; unité ; quantité [; prix unitaire estimé HT] » → ``BpuItem``."""
    items = []
    for line, cells in rows(text):
        _expect(cells, line, 3, 4, "désignation ; unité ; quantité [; prix unitaire estimé]")
        item: dict[str, Any] = {
            "designation": cells[0][:300],
            "unit": cells[1][:40] or "u",
            "quantity": str(number(cells[2], line, "la quantité")),
        }
        if len(cells) == 4 and cells[3]:
            item["estimated_unit_price_ht"] = format_amount(number(cells[3], line, "le prix"))
        items.append(item)
    return items


def revision_terms(text: str) -> list[dict[str, Any]]:
    """« poids ; indice [; identifiant de la série] » → ``IndexTerm``."""
    terms = []
    for line, cells in rows(text):
        _expect(cells, line, 2, 3, "poids ; indice [; identifiant de la série]")
        weight = number(cells[0], line, "le poids")
        term: dict[str, Any] = {"weight": str(weight), "index_name": cells[1][:300]}
        if not cells[1]:
            raise ValueError(f"ligne {line} : nom de l'indice manquant")
        if len(cells) == 3 and cells[2]:
            term["index_reference"] = cells[2][:300]
        terms.append(term)
    return terms


def penalties(text: str) -> list[dict[str, Any]]:
    """« événement ; montant HT ; assiette [; plafond en %] » → ``Penalty``."""
    found = []
    for line, cells in rows(text):
        _expect(cells, line, 3, 4, "événement ; montant HT ; par … [; plafond en %]")
        penalty: dict[str, Any] = {
            "event": cells[0][:300],
            "amount_ht": format_amount(number(cells[1], line, "le montant")),
            "per": cells[2][:100] or "par manquement",
        }
        if len(cells) == 4 and cells[3]:
            penalty["cap_percent"] = str(number(cells[3], line, "le plafond"))
        found.append(penalty)
    return found
