"""Every dated obligation of the user's files, for the dashboard, grouped by kind.

Each app that holds dated obligations (a deadline to meet, an invoice to pay, a reserve to
lift, data to publish) has an ``obligations`` module with ``due(user, today) ->
list[Obligation]``, running a fixed number of SQL queries. What is done is gone: a paid
invoice, a lifted reserve, a published avenant, a consultation awarded, a contract signed after
its standstill. The decisions that are dated obligations too (``PendingDecision.kind``: a
renewal, an avenant step, a baseline to validate) join their group here, without a query."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from openamo.web.decisions import PendingDecision
from openamo.web.users import AuthenticatedUser

KINDS = [
    "Remise des offres",
    "Délais de suspension avant signature",
    "Bases de référence à valider",
    "Reconductions à décider",
    "Étapes des avenants",
    "Factures en retard",
    "Factures à payer",
    "Paiements en retard",
    "Paiements attendus",
    "Réserves sur les ordres de service",
    "Acomptes de travaux à payer",
    "Décomptes généraux de travaux",
    "Réserves à lever",
    "Avis d'attribution à publier",
    "Données essentielles à publier",
]
"""The groups of the dashboard, in this order."""


@dataclass(frozen=True)
class Obligation:
    kind: str
    """One of ``KINDS``."""
    what: str
    """The obligation, in French, with its figures (« Facture F-12 : 1 200,00 € TTC … »)."""
    subject: str
    """The operation or contract it concerns."""
    url: str
    """Where it is handled."""
    due_on: datetime.date | None
    late: bool = False


@dataclass(frozen=True)
class Group:
    kind: str
    items: list[Obligation]

    @property
    def late(self) -> int:
        return sum(1 for item in self.items if item.late)


def _sources() -> list[Callable[[AuthenticatedUser, datetime.date], list[Obligation]]]:
    """The apps that hold dated obligations, named here so that the type checker sees each call.

    Imported in the function: each app's module imports ``Obligation`` from this one."""
    from openamo.web.amendments import obligations as amendments
    from openamo.web.award import obligations as award
    from openamo.web.construction import obligations as construction
    from openamo.web.contracts import obligations as contracts
    from openamo.web.opendata import obligations as opendata
    from openamo.web.operations import obligations as operations

    return [
        operations.due,
        award.due,
        contracts.due,
        amendments.due,
        opendata.due,
        construction.due,
    ]


def obligations(
    user: AuthenticatedUser, today: datetime.date, decisions: Iterable[PendingDecision] = ()
) -> list[Group]:
    found: list[Obligation] = []
    for due in _sources():
        found += due(user, today)
    found += [
        Obligation(
            kind=d.kind,
            what=d.what + (f" avant le {d.due_on:%d/%m/%Y}" if d.due_on else ""),
            subject=d.subject,
            url=d.url,
            due_on=d.due_on,
            late=d.due_on is not None and d.due_on < today,
        )
        for d in decisions
        if d.kind is not None
    ]
    groups = []
    for kind in KINDS:
        items = sorted(
            (o for o in found if o.kind == kind),
            key=lambda o: (o.due_on or datetime.date.max, o.subject),
        )
        if items:
            groups.append(Group(kind, items))
    return groups
