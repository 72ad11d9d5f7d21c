"""What the demonstration data of each web app builds upon (see ``openamo.web.demo``).

The demo tells one story around its reference day (the day it is loaded): the commune's
catering contract of 2025, notified after its own consultation and renewed once, is in
execution; the consultation that will replace it was launched some weeks before the reference
day, its offers are in and being analysed. Dates of what is still under way are written with
:func:`story_day`, so that nothing that has already happened falls in the future whatever the
day the demo is loaded; what is closed (the 2025 contract, the canteen's works) keeps its dates.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User

from openamo.dates import add_months
from openamo.web.operations.models import Operation
from openamo.web.organisations.models import Organisation

RENEWAL_LAUNCH_DAYS = -75
"""The renewal consultation was launched 75 days before the reference day: its offers are in
(the deadline is about 35 days later) and the AMO firm is analysing them."""


def story_day(reference: datetime.date, days: int = 0, *, months: int = 0) -> datetime.date:
    """The day ``months`` months then ``days`` days after the reference day (before it when
    negative)."""
    return add_months(reference, months) + datetime.timedelta(days=days)


@dataclass(frozen=True)
class DemoContext:
    commune: Organisation
    amo_firm: Organisation
    contractor: Organisation
    users: dict[str, User]
    """Demo users by username (``marie.dupont`` is the commune's maître d'ouvrage,
    ``alice.bernard`` the AMO firm's consultant, ``emma.roux`` the contractor's member)."""
    catering: Operation
    """« Renouvellement de la restauration scolaire 2027 »: need, four lots, procedure analysed,
    consultation launched (:data:`RENEWAL_LAUNCH_DAYS`), offers being analysed."""
    software: Operation
    """« Nouveau logiciel de gestion RH »: the IT project, need described."""
    previous_catering: Operation
    """« Restauration scolaire 2025 — produits biologiques »: the previous consultation, whose
    contract (notified in August 2025, renewed once) is in execution."""
    reference_day: datetime.date
    """The day the story is told from (the day the demo is loaded)."""

    def day(self, days: int = 0, *, months: int = 0) -> datetime.date:
        """:func:`story_day` from this demo's reference day."""
        return story_day(self.reference_day, days, months=months)

    @property
    def renewal_launch(self) -> datetime.date:
        return self.day(RENEWAL_LAUNCH_DAYS)
