"""What waits for the user's decision, across the apps, for the dashboard.

Each app that asks the maître d'ouvrage to decide something (validate a ranking, decide a
change request, sign an amendment, decide a renewal…) has a ``decisions`` module with
``pending(user) -> list[PendingDecision]``, running a fixed number of SQL queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from openamo.web.users import AuthenticatedUser


@dataclass(frozen=True)
class PendingDecision:
    what: str
    """The decision, e.g. « Avenant n° 2 à signer »."""
    subject: str
    """The operation or contract it concerns."""
    url: str
    due_on: datetime.date | None = None
    kind: str | None = None
    """The dashboard group (``openamo.web.obligations.KINDS``) of a decision that is also a
    dated obligation (a renewal before its notice, an avenant step, a baseline before the
    kick-off): shown there, with its deadline, rather than in the list of decisions."""


def _sources() -> list[Callable[[AuthenticatedUser], list[PendingDecision]]]:
    """The apps that ask for decisions, named here so that the type checker sees each call.

    Imported in the function: each app's module imports ``PendingDecision`` from this one."""
    from openamo.web.amendments import decisions as amendments
    from openamo.web.award import decisions as award
    from openamo.web.construction import decisions as construction
    from openamo.web.contracts import decisions as contracts
    from openamo.web.operations import decisions as operations
    from openamo.web.steering import decisions as steering

    return [
        operations.pending,
        award.pending,
        steering.pending,
        contracts.pending,
        amendments.pending,
        construction.pending,
    ]


def pending_decisions(user: AuthenticatedUser) -> list[PendingDecision]:
    found: list[PendingDecision] = []
    for pending in _sources():
        found += pending(user)
    return sorted(found, key=lambda d: (d.due_on or datetime.date.max, d.subject))
