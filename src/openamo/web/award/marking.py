"""The marks an offer needs: one per non-price criterion, or one per sub-criterion, each on the
criterion's scale and, when a marking grid is set, one of its levels.

Marks are stored in the domain's ``scores`` form: ``{criterion: {"mark", "justification"}}`` or
``{criterion: {sub-criterion: {"mark", "justification"}}}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from openamo.award.models import (
    CriterionInput,
    GridLevel,
    MarkDetail,
    ScoreEntry,
    SubCriterionInput,
)


def mark_key(criterion_index: int, sub_index: int | None) -> str:
    return f"{criterion_index}" if sub_index is None else f"{criterion_index}_{sub_index}"


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

    def stored(self, marks: dict[str, ScoreEntry]) -> MarkDetail | None:
        entry = marks.get(self.criterion.name)
        if entry is None:
            return None
        if self.sub is None:
            if entry.mark is None:
                return None
            return MarkDetail(mark=entry.mark, justification=entry.justification)
        return (entry.sub_marks or {}).get(self.sub.name)


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


def initial(marks: dict[str, ScoreEntry], found: list[MarkSlot]) -> dict[str, Decimal | str]:
    """The marking form's initial values: a grid level's value, or the mark itself."""
    values: dict[str, Decimal | str] = {}
    for slot in found:
        entry = slot.stored(marks)
        if entry is None:
            continue
        values[f"note_{slot.key}"] = _text(entry.mark) if slot.grid else entry.mark
        values[f"justification_{slot.key}"] = entry.justification or ""
    return values


@dataclass(frozen=True)
class MarkEntry:
    """The mark typed for one slot (``None``: not marked yet) and its written justification."""

    slot: MarkSlot
    mark: Decimal | None
    justification: str

    @classmethod
    def typed(cls, slot: MarkSlot, mark: Decimal | str | None, justification: str) -> MarkEntry:
        """What the marking form posts: a grid level's value (text) or a mark (number)."""
        value = Decimal(str(mark)) if mark not in (None, "") else None
        return cls(slot, value, (justification or "").strip())


def scores(marked: list[MarkEntry]) -> dict[str, ScoreEntry]:
    """The domain's ``scores`` of an offer from the entries that carry a mark."""
    found: dict[str, MarkDetail | dict[str, MarkDetail]] = {}
    for entry in marked:
        if entry.mark is None:
            continue
        detail = MarkDetail(mark=Decimal(_text(entry.mark)), justification=entry.justification)
        name = entry.slot.criterion.name
        if entry.slot.sub is None:
            found[name] = detail
        else:
            subs = found.setdefault(name, {})
            assert isinstance(subs, dict)
            subs[entry.slot.sub.name] = detail
    return {
        name: ScoreEntry(sub_marks=value)
        if isinstance(value, dict)
        else ScoreEntry(mark=value.mark, justification=value.justification)
        for name, value in found.items()
    }


def progress(marks: dict[str, ScoreEntry], found: list[MarkSlot]) -> tuple[int, int]:
    """(marks given, marks expected) for an offer."""
    return sum(1 for slot in found if slot.stored(marks) is not None), len(found)
