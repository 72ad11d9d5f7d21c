"""What waits on the dashboard (``openamo.web.decisions``): avenants the buyer's maître d'ouvrage
must sign or notify, and avenants the holder's representative must accept or refuse.

What is possible now is the domain's state machine (``allowed_actions``), not a rule of ours.
"""

from __future__ import annotations

from openamo.amendments import Action as Step
from openamo.amendments import Role, Stage, allowed_actions
from openamo.web import revalidation
from openamo.web.amendments.models import Amendment
from openamo.web.amendments.presenters import amendment_url
from openamo.web.amendments.services import CONCLUDED, lifecycle_of, verdict_changes
from openamo.web.decisions import PendingDecision
from openamo.web.organisations.access import deciding_organisation_ids, memberships
from openamo.web.organisations.models import Role as MemberRole
from openamo.web.softdelete import alive_through
from openamo.web.users import AuthenticatedUser

STALE_TRIGGERS = frozenset({"amendment", "amendmentevent", "contract"})


def refresh_stale(operation_id: int | None, contract_id: int | None) -> None:
    """The verdicts of the contract's avenants not yet signed, checked against what the file
    now holds (``openamo.web.revalidation``)."""
    if contract_id is None:
        return
    open_ones = (
        Amendment.objects.filter(contract_id=contract_id)
        .exclude(stage__in=[*CONCLUDED, Stage.ABANDONNE.value])
        .select_related("contract__organisation")
    )
    for amendment in open_ones:
        found = verdict_changes(amendment)
        if found != amendment.stale_changes:
            Amendment.objects.filter(pk=amendment.pk).update(stale_changes=found)


OPEN_STAGES = [
    Stage.BROUILLON.value,
    Stage.RAPPORT.value,
    Stage.AVIS_CAO.value,
    Stage.SIGNATURE.value,
    Stage.SIGNE.value,
]
BUYER_STEPS = {Step.SIGNER: "à signer", Step.NOTIFIER: "à notifier au titulaire"}


def pending(user: AuthenticatedUser) -> list[PendingDecision]:
    """Two queries at most, whatever the number of contracts and amendments."""
    deciding = deciding_organisation_ids(user)
    signing = [m.organisation_id for m in memberships(user) if m.role != MemberRole.LECTEUR]
    found: list[PendingDecision] = []
    if deciding:
        for amendment in _open(contract__organisation_id__in=deciding):
            if amendment.stale_changes:
                first = revalidation.changes_of(amendment.stale_changes)[0].sentence()
                found.append(
                    _decision(amendment, f"vérification {revalidation.STALE_LABEL} — {first}")
                )
                continue
            if amendment.stage == Stage.BROUILLON.value:
                continue
            allowed = allowed_actions(lifecycle_of(amendment, []), Role.ACHETEUR)
            for step, what in BUYER_STEPS.items():
                if step in allowed:
                    found.append(_decision(amendment, what, step=step))
    buyers = {m.organisation_id for m in memberships(user)}
    if signing:
        for amendment in _open(contract__holder_organisation_id__in=signing):
            if amendment.contract.organisation_id in buyers or amendment.stale_changes:
                continue
            if Step.SIGNER in allowed_actions(lifecycle_of(amendment, []), Role.TITULAIRE):
                found.append(_decision(amendment, "à accepter ou refuser", step=Step.SIGNER))
    return found


def _open(**contract_filter: list[int]) -> list[Amendment]:
    return list(
        Amendment.objects.filter(
            alive_through("contract"), stage__in=OPEN_STAGES, **contract_filter
        ).select_related("contract")
    )


def _decision(amendment: Amendment, what: str, *, step: Step | None = None) -> PendingDecision:
    """A step of the avenant's life (``step``) is also a dated obligation: a signature is due
    by the planned date of the modification; a verification to redo stays a decision."""
    return PendingDecision(
        what=f"Avenant n° {amendment.number} {what}",
        subject=str(amendment.contract),
        url=amendment_url(amendment),
        due_on=amendment.modification_date if step is Step.SIGNER else None,
        kind="Étapes des avenants" if step is not None else None,
    )
