"""Value objects of the law-as-data tree: a parameter and its dated values."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openamo.errors import LawDataError

Scalar = Decimal | int | bool | str

UNITS = {
    "currency": "euros HT",
    "/1": "taux (fraction)",
    "day": "jours",
    "month": "mois",
    "year": "années",
    "count": "nombre",
    "bool": "oui/non",
}


@dataclass(frozen=True, slots=True)
class DatedValue:
    """One value of a parameter, in force from ``start`` until ``until`` (inclusive) or forever."""

    start: date
    until: date | None
    value: Scalar | None
    reference: str
    source: str | None = None
    official_journal_date: date | None = None
    note: str | None = None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.until is None or day <= self.until)


@dataclass(frozen=True, slots=True)
class Parameter:
    """A legal figure identified by its path in the tree (``procurement.thresholds.…``)."""

    path: str
    description: str
    unit: str
    values: tuple[DatedValue, ...]
    last_value_still_valid_on: date | None = None
    reference_url: str | None = None
    documentation: str | None = None

    def at(self, day: date) -> DatedValue:
        """The value in force on ``day``; a clear French error outside the known periods."""
        starts = [v.start for v in self.values]
        index = bisect.bisect_right(starts, day) - 1
        if index < 0:
            raise LawDataError(
                f"Le paramètre « {self.path} » n'est pas connu avant le "
                f"{self.values[0].start:%d/%m/%Y} (date demandée : {day:%d/%m/%Y}).",
                code="date_out_of_range",
            )
        candidate = self.values[index]
        if not candidate.covers(day) or candidate.value is None:
            raise LawDataError(
                f"Le paramètre « {self.path} » n'a pas de valeur en vigueur le {day:%d/%m/%Y}.",
                code="date_out_of_range",
            )
        return candidate
