"""What waits for the buyer's maître d'ouvrage on the dashboard (``openamo.web.decisions``):
renewals to decide, service orders to sign, receptions to pronounce, penalties to apply.
Four queries, whatever the number of contracts."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from openamo.web.contracts.models import (
    Contract,
    Penalty,
    PenaltyStatus,
    Reception,
    ReceptionDecision,
    Renewal,
    RenewalDecision,
    ServiceOrder,
)
from openamo.web.decisions import PendingDecision
from openamo.web.organisations.access import deciding_organisation_ids
from openamo.web.softdelete import ALIVE, alive_through
from openamo.web.users import AuthenticatedUser

# What ``str(contract)`` needs: the pending decisions load nothing else of the contract.
CONTRACT_LABEL = ("contract__reference", "contract__title")


def pending(user: AuthenticatedUser) -> list[PendingDecision]:
    deciding = deciding_organisation_ids(user)
    if not deciding:
        return []
    live = ALIVE & alive_through("contract") & Q(contract__organisation_id__in=deciding)
    found: list[PendingDecision] = []
    seen: set[int] = set()
    renewals = (
        Renewal.objects.filter(live, decision=RenewalDecision.A_DECIDER)
        .select_related("contract")
        .only("contract_id", "number", "decision_deadline", *CONTRACT_LABEL)
    )
    for renewal in renewals.order_by("contract_id", "number"):
        # Only the next renewal of each contract: the later ones depend on it.
        if renewal.contract_id in seen:
            continue
        seen.add(renewal.contract_id)
        found.append(
            PendingDecision(
                what=f"Reconduction n° {renewal.number} à décider",
                subject=str(renewal.contract),
                url=reverse("contracts:detail", args=[renewal.contract_id]) + "#reconductions",
                due_on=renewal.decision_deadline,
                kind="Reconductions à décider",
            )
        )
    for order in (
        ServiceOrder.objects.filter(live, issued_on__isnull=True)
        .select_related("contract")
        .only("contract_id", "number", *CONTRACT_LABEL)
    ):
        found.append(_quality(order.contract, f"Ordre de service n° {order.number} à signer"))
    for reception in (
        Reception.objects.filter(live, decision=ReceptionDecision.A_DECIDER)
        .select_related("contract")
        .only("contract_id", "label", *CONTRACT_LABEL)
    ):
        found.append(_quality(reception.contract, f"Réception « {reception.label} » à prononcer"))
    for penalty in (
        Penalty.objects.filter(live, status=PenaltyStatus.PROPOSEE)
        .select_related("contract")
        .only("contract_id", "reason", *CONTRACT_LABEL)
    ):
        found.append(_quality(penalty.contract, f"Pénalité « {penalty.reason} » à décider"))
    return found


def _quality(contract: Contract, what: str) -> PendingDecision:
    return PendingDecision(
        what=what, subject=str(contract), url=reverse("contracts:quality", args=[contract.pk])
    )
