"""The marks an offer needs: one per non-price criterion, or one per sub-criterion, each on the
criterion's scale and, when a marking grid is set, one of its levels.

Marks are stored in the domain's ``scores`` form: ``{criterion: {"mark", "justification"}}`` or
``{criterion: {sub-criterion: {"mark", "justification"}}}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openamo.award.models import CriterionInput, GridLevel, SubCriterionInput
from openamo.web.award.forms import mark_key


@dataclass(frozen=True)
class GridChoice:
    value: str
    mark_label: str
    label: str
    expected: str


@dataclass(frozen=True)
class MarkSlot:
    key: str
    criterion: CriterionInput
    sub: SubCriterionInput | None
    scale: Decimal
    grid: list[GridChoice]

    @property
    def where(self) -> str:
        if self.sub is None:
            return self.criterion.name
        return f"{self.criterion.name} / {self.sub.name}"

    @property
    def scale_label(self) -> str:
        return decimal_label(self.scale)

    def stored(self, marks: dict[str, Any]) -> dict[str, Any] | None:
        entry = marks.get(self.criterion.name)
        if not isinstance(entry, dict):
            return None
        if self.sub is None:
            return entry if "mark" in entry else None
        found = entry.get(self.sub.name)
        return found if isinstance(found, dict) else None


def _choices(grid: list[GridLevel] | None) -> list[GridChoice]:
    return [
        GridChoice(
            value=_text(level.mark),
            mark_label=decimal_label(level.mark),
            label=level.label,
            expected=level.expected or "",
        )
        for level in sorted(grid or [], key=lambda level: level.mark)
    ]


def _text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def decimal_label(value: Decimal) -> str:
    """« 12,5 », « 20 »: a mark or a weight as French readers write it."""
    return _text(value).replace(".", ",")


def slots(criteria: list[CriterionInput]) -> list[MarkSlot]:
    found: list[MarkSlot] = []
    for index, criterion in enumerate(criteria):
        if criterion.kind.is_price:
            continue
        if not criterion.sub_criteria:
            found.append(
                MarkSlot(
                    mark_key(index, None),
                    criterion,
                    None,
                    criterion.scale,
                    _choices(criterion.grid),
                )
            )
            continue
        for sub_index, sub in enumerate(criterion.sub_criteria):
            found.append(
                MarkSlot(
                    mark_key(index, sub_index),
                    criterion,
                    sub,
                    criterion.sub_scale(sub),
                    _choices(sub.grid or criterion.grid),
                )
            )
    return found


def initial(marks: dict[str, Any], found: list[MarkSlot]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for slot in found:
        entry = slot.stored(marks)
        if entry is None:
            continue
        mark = Decimal(str(entry["mark"]))
        values[f"note_{slot.key}"] = _text(mark) if slot.grid else mark
        values[f"justification_{slot.key}"] = entry.get("justification") or ""
    return values


@dataclass(frozen=True)
class MarkEntry:
    slot: MarkSlot
    mark: Decimal | None
    justification: str


def entries(cleaned: dict[str, Any], found: list[MarkSlot]) -> list[MarkEntry]:
    result = []
    for slot in found:
        raw = cleaned.get(f"note_{slot.key}")
        mark = Decimal(str(raw)) if raw not in (None, "") else None
        text = (cleaned.get(f"justification_{slot.key}") or "").strip()
        result.append(MarkEntry(slot, mark, text))
    return result


def scores(marked: list[MarkEntry]) -> dict[str, Any]:
    """The domain's ``scores`` of an offer from the entries that carry a mark."""
    result: dict[str, Any] = {}
    for entry in marked:
        if entry.mark is None:
            continue
        value = {"mark": _text(entry.mark), "justification": entry.justification}
        if entry.slot.sub is None:
            result[entry.slot.criterion.name] = value
        else:
            result.setdefault(entry.slot.criterion.name, {})[entry.slot.sub.name] = value
    return result


def progress(marks: dict[str, Any], found: list[MarkSlot]) -> tuple[int, int]:
    """(marks given, marks expected) for an offer."""
    return sum(1 for slot in found if slot.stored(marks) is not None), len(found)
