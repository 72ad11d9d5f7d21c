"""What every passation page writes the same way: amounts, points, check levels and badges,
the links of a table row."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse

from openamo.award import CandidacyVerdict, CheckLevel
from openamo.award.models import Check
from openamo.money import format_euros
from openamo.web.tables import Link

LEVELS = {
    CheckLevel.ERREUR.value: ("Non conforme", "error"),
    CheckLevel.AVERTISSEMENT.value: ("À vérifier", "warning"),
    CheckLevel.INFORMATION.value: ("Information", "info"),
}
VERDICT_BADGES = {
    CandidacyVerdict.RECEVABLE.value: "success",
    CandidacyVerdict.A_REGULARISER.value: "warning",
    CandidacyVerdict.IRRECEVABLE.value: "error",
}


def euros(amount: Decimal | str | None) -> str:
    return "—" if amount in (None, "") else format_euros(Decimal(str(amount)))


def points(value: Decimal | str) -> str:
    return f"{Decimal(str(value)):.2f}".replace(".", ",")


@dataclass(frozen=True)
class CheckRow:
    """A domain check with its French level label and DSFR badge."""

    level: str
    code: str
    message: str
    references: list[str]
    label: str
    badge: str


def checks(items: Iterable[Check]) -> list[CheckRow]:
    """Domain checks, errors first."""
    rows = []
    for item in items:
        label, badge = LEVELS[item.level.value]
        rows.append(
            CheckRow(item.level.value, item.code, item.message, list(item.references), label, badge)
        )
    order = list(LEVELS)
    return sorted(rows, key=lambda row: order.index(row.level))


def row_link(text: str, name: str, args: list[int], subject: str) -> Link:
    return {"text": text, "url": reverse(name, args=args), "label": subject}
