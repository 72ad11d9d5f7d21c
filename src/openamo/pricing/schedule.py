"""Revision dates: when a revisable price is revised and which index month each revision uses.

The clause fixes the initial price date (mois zéro), the periodicity and the index month
(R2112-13); these helpers apply them. Annual revision at each anniversary of the start is the
usual services practice; monthly revision per progress statement is the usual works practice.
"""

from __future__ import annotations

from datetime import date

from openamo.dates import add_months
from openamo.errors import OpenAMOError
from openamo.pricing.periods import month_of


def revision_dates(
    start: date, end: date, periodicity_months: int, first_revision: date | None = None
) -> list[date]:
    """Revision dates from ``first_revision`` (default: start + one period) up to ``end``."""
    if periodicity_months < 1:
        raise OpenAMOError("La périodicité de révision doit être d'au moins un mois.")
    if end < start:
        raise OpenAMOError("La fin d'exécution précède son début.")
    first = first_revision or add_months(start, periodicity_months)
    dates: list[date] = []
    step = 0
    while True:
        current = add_months(first, step * periodicity_months)
        if current > end:
            return dates
        dates.append(current)
        step += 1


def index_month(day: date, lag_months: int = 0) -> str:
    """The index month a revision on ``day`` uses, ``lag_months`` earlier (publication delay)."""
    if lag_months < 0:
        raise OpenAMOError("Le décalage de l'indice ne peut être négatif.")
    return month_of(add_months(day, -lag_months))
