"""What waits on the dashboard (``openamo.web.decisions``): avenants the buyer's maître d'ouvrage
must sign or notify, and avenants the holder's representative must accept or refuse.

What is possible now is the domain's state machine (``allowed_actions``), not a rule of ours.
"""

from __future__ import annotations

from typing import Any

from openamo.amendments import Action as Step
from openamo.amendments import Role, Stage, allowed_actions
from openamo.web.amendments.models import Amendment
from openamo.web.amendments.presenters import amendment_url
from openamo.web.amendments.services import lifecycle_of
from openamo.web.decisions import PendingDecision
from openamo.web.organisations.access import deciding_organisation_ids, memberships
from openamo.web.organisations.models import Role as MemberRole

OPEN_STAGES = [Stage.RAPPORT.value, Stage.AVIS_CAO.value, Stage.SIGNATURE.value, Stage.SIGNE.value]
BUYER_STEPS = {Step.SIGNER: "à signer", Step.NOTIFIER: "à notifier au titulaire"}


def pending(user: Any) -> list[PendingDecision]:
    """Two queries at most, whatever the number of contracts and amendments."""
    deciding = deciding_organisation_ids(user)
    signing = [m.organisation_id for m in memberships(user) if m.role != MemberRole.LECTEUR]
    found: list[PendingDecision] = []
    if deciding:
        for amendment in _open(contract__organisation_id__in=deciding):
            allowed = allowed_actions(lifecycle_of(amendment, []), Role.ACHETEUR)
            for step, what in BUYER_STEPS.items():
                if step in allowed:
                    found.append(_decision(amendment, what))
    buyers = {m.organisation_id for m in memberships(user)}
    if signing:
        for amendment in _open(contract__holder_organisation_id__in=signing):
            if amendment.contract.organisation_id in buyers:
                continue
            if Step.SIGNER in allowed_actions(lifecycle_of(amendment, []), Role.TITULAIRE):
                found.append(_decision(amendment, "à accepter ou refuser"))
    return found


def _open(**contract_filter: Any) -> list[Amendment]:
    return list(
        Amendment.objects.filter(
            stage__in=OPEN_STAGES, contract__deleted_at__isnull=True, **contract_filter
        ).select_related("contract")
    )


def _decision(amendment: Amendment, what: str) -> PendingDecision:
    return PendingDecision(
        what=f"Avenant n° {amendment.number} {what}",
        subject=str(amendment.contract),
        url=amendment_url(amendment),
    )
