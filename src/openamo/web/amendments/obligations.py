"""The avenants' dated obligations (``openamo.web.obligations``): the essential data of a
signed avenant to publish before the deadline its verdict gave (R2196-1).
One query; a published avenant is gone."""

from __future__ import annotations

import datetime

from openamo.amendments import Stage
from openamo.web.amendments.models import Amendment
from openamo.web.amendments.presenters import amendment_url
from openamo.web.contracts.access import visible_contracts
from openamo.web.obligations import Obligation
from openamo.web.organisations.access import organisation_ids
from openamo.web.users import AuthenticatedUser

ROWS = 50


def due(user: AuthenticatedUser, today: datetime.date) -> list[Obligation]:
    signed = (
        Amendment.objects.filter(
            contract__in=visible_contracts(user),
            stage__in=[Stage.SIGNE.value, Stage.NOTIFIE.value],
        )
        # Publishing the essential data is the buyer's duty, not the holder's.
        .exclude(contract__holder_organisation_id__in=organisation_ids(user))
        .select_related("contract")
        .order_by("contract_id", "number")[:ROWS]
    )
    found = []
    for amendment in signed:
        raw = amendment.check_result.get("decp_deadline_on")
        if not raw or not amendment.check_result.get("decp_update_required", True):
            continue
        deadline = datetime.date.fromisoformat(raw)
        found.append(
            Obligation(
                kind="Données essentielles à publier",
                what=f"Avenant n° {amendment.number} : données essentielles à publier avant le "
                f"{deadline:%d/%m/%Y}",
                subject=str(amendment.contract),
                url=amendment_url(amendment),
                due_on=deadline,
                late=deadline < today,
            )
        )
    return found
