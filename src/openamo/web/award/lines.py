"""Lists typed as lines of text (« désignation ; quantité ; prix unitaire », one per line), as
people paste them from a spreadsheet: ``;`` or tab separators, decimal comma, spaces in numbers.

Each parser returns typed lines, or raises ``ValueError`` with a French message that names the
line; forms show it next to the field. A line only reads what was typed: its ``to_domain()``
builds the domain's model, which the mappers call inside ``french_errors(within=...)`` so that
what the domain refuses is located where it sits in the whole input (``lots[0].items[2]``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from openamo.award.consultation import BpuItem, IndexTerm, Penalty
from openamo.money import format_amount, to_cents

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


#: As the domain's lot (``DceLot.requirements``: 100 texts at most).
MAX_REQUIREMENTS = 100


def requirements(text: str) -> list[str]:
    """A lot's technical requirements, one per non-blank line."""
    found = plain_lines(text)
    if len(found) > MAX_REQUIREMENTS:
        raise ValueError(
            f"{len(found)} exigences : {MAX_REQUIREMENTS} au plus, regroupez les plus proches"
        )
    return found


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


def _comma(value: object) -> str:
    return str(value).replace(".", ",")


@dataclass(frozen=True)
class DqeRow:
    """One line of an offer's DQE: « désignation ; quantité ; prix unitaire HT »."""

    designation: str
    quantity: Decimal
    unit_price_ht: Decimal

    def to_stored(self) -> dict[str, str]:
        """The line as ``Offer.dqe`` keeps it (``openamo.award.models.DqeLine``'s JSON)."""
        return {
            "designation": self.designation,
            "quantity": str(self.quantity),
            "unit_price_ht": format_amount(self.unit_price_ht),
        }

    @classmethod
    def from_stored(cls, row: Mapping[str, object]) -> DqeRow:
        return cls(
            designation=str(row["designation"]),
            quantity=Decimal(str(row["quantity"])),
            unit_price_ht=Decimal(str(row["unit_price_ht"])),
        )


def dqe_lines(text: str) -> list[DqeRow]:
    """« désignation ; quantité ; prix unitaire HT » → :class:`DqeRow`."""
    found = []
    for line, cells in rows(text):
        _expect(cells, line, 3, 3, "désignation ; quantité ; prix unitaire HT")
        found.append(
            DqeRow(
                designation=cells[0][:200],
                quantity=number(cells[1], line, "la quantité"),
                unit_price_ht=to_cents(number(cells[2], line, "le prix unitaire")),
            )
        )
    return found


def dqe_text(lines: Sequence[DqeRow]) -> str:
    return "\n".join(
        f"{row.designation} ; {_comma(row.quantity)} ; {_comma(format_amount(row.unit_price_ht))}"
        for row in lines
    )


@dataclass(frozen=True)
class ItemLine:
    """One article of a bordereau des prix: « désignation ; unité ; quantité [; prix] »."""

    designation: str
    unit: str
    quantity: Decimal
    estimated_unit_price_ht: Decimal | None = None

    def to_domain(self) -> BpuItem:
        return BpuItem(
            designation=self.designation,
            unit=self.unit,
            quantity=self.quantity,
            estimated_unit_price_ht=self.estimated_unit_price_ht,
        )


def bpu_items(text: str) -> list[ItemLine]:
    """« désignation ; unité ; quantité [; prix unitaire estimé HT] » → :class:`ItemLine`."""
    items = []
    for line, cells in rows(text):
        _expect(cells, line, 3, 4, "désignation ; unité ; quantité [; prix unitaire estimé]")
        price = None
        if len(cells) == 4 and cells[3]:
            price = to_cents(number(cells[3], line, "le prix"))
        items.append(
            ItemLine(
                designation=cells[0][:300],
                unit=cells[1][:40] or "u",
                quantity=number(cells[2], line, "la quantité"),
                estimated_unit_price_ht=price,
            )
        )
    return items


@dataclass(frozen=True)
class TermLine:
    """One index of a price revision formula: « poids ; indice [; identifiant] »."""

    weight: Decimal
    index_name: str
    index_reference: str | None = None

    def to_domain(self) -> IndexTerm:
        return IndexTerm(
            weight=self.weight, index_name=self.index_name, index_reference=self.index_reference
        )


def revision_terms(text: str) -> list[TermLine]:
    """« poids ; indice [; identifiant de la série] » → :class:`TermLine`."""
    terms = []
    for line, cells in rows(text):
        _expect(cells, line, 2, 3, "poids ; indice [; identifiant de la série]")
        weight = number(cells[0], line, "le poids")
        if not cells[1]:
            raise ValueError(f"ligne {line} : nom de l'indice manquant")
        reference = cells[2][:300] if len(cells) == 3 and cells[2] else None
        terms.append(TermLine(weight, cells[1][:300], reference))
    return terms


@dataclass(frozen=True)
class PenaltyLine:
    """One penalty: « événement ; montant HT ; assiette [; plafond en %] »."""

    event: str
    amount_ht: Decimal
    per: str
    cap_percent: Decimal | None = None

    def to_domain(self) -> Penalty:
        return Penalty(
            event=self.event, amount_ht=self.amount_ht, per=self.per, cap_percent=self.cap_percent
        )


def penalties(text: str) -> list[PenaltyLine]:
    """« événement ; montant HT ; assiette [; plafond en %] » → :class:`PenaltyLine`."""
    found = []
    for line, cells in rows(text):
        _expect(cells, line, 3, 4, "événement ; montant HT ; par … [; plafond en %]")
        cap = None
        if len(cells) == 4 and cells[3]:
            cap = number(cells[3], line, "le plafond")
        found.append(
            PenaltyLine(
                event=cells[0][:300],
                amount_ht=to_cents(number(cells[1], line, "le montant")),
                per=cells[2][:100] or "par manquement",
                cap_percent=cap,
            )
        )
    return found
