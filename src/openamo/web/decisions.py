"""What waits for the user's decision, across the apps, for the dashboard.

Each app that asks the maître d'ouvrage to decide something (validate a ranking, decide a
change request, sign an amendment, decide a renewal…) has a ``decisions`` module with
``pending(user) -> list[PendingDecision]``, running a fixed number of SQL queries.
"""

from __future__ import annotations

import datetime
import importlib
from dataclasses import dataclass
from typing import Any

APPS_WITH_DECISIONS = ["operations", "award", "steering", "contracts", "amendments"]


@dataclass(frozen=True)
class PendingDecision:
    what: str
    """The decision, e.g. « Avenant n° 2 à signer »."""
    subject: str
    """The operation or contract it concerns."""
    url: str
    due_on: datetime.date | None = None


def pending_decisions(user: Any) -> list[PendingDecision]:
    found: list[PendingDecision] = []
    for app in APPS_WITH_DECISIONS:
        # Imported here: each app's module imports ``PendingDecision`` from this one.
        found += importlib.import_module(f"openamo.web.{app}.decisions").pending(user)
    return sorted(found, key=lambda d: (d.due_on or datetime.date.max, d.subject))
