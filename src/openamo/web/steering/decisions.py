"""What waits for the buyer's maître d'ouvrage on the dashboard (``openamo.web.decisions``): a
baseline to validate and freeze, change requests to accept or refuse. Two queries, whatever
the number of projects."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from openamo.steering.enums import Decision
from openamo.web.decisions import PendingDecision
from openamo.web.operations.kinds import OperationKind
from openamo.web.organisations.access import deciding_organisation_ids
from openamo.web.steering.models import Baseline, BaselineStatus, ChangeRequest


def pending(user: Any) -> list[PendingDecision]:
    # Only the buyer's own maître d'ouvrage decides (``require_validate``), never through a share.
    deciding = deciding_organisation_ids(user)
    if not deciding:
        return []
    live = {
        "operation__organisation_id__in": deciding,
        "operation__deleted_at__isnull": True,
        # An operation whose kind was changed away from IT no longer offers its steering pages.
        "operation__kind": OperationKind.INFORMATIQUE,
    }
    found = [
        PendingDecision(
            what="Base de référence à valider",
            subject=baseline.operation.title,
            url=reverse("steering:baseline", args=[baseline.operation_id]),
        )
        for baseline in Baseline.objects.filter(status=BaselineStatus.BROUILLON, **live)
        .select_related("operation")
        .only("operation_id", "operation__title")
    ]
    changes = (
        ChangeRequest.objects.filter(decision=Decision.EN_ATTENTE.value, **live)
        .select_related("operation")
        .only("number", "title", "operation_id", "operation__title")
        .order_by("operation__title", "number")
    )
    found += [
        PendingDecision(
            what=f"Demande d'évolution {change.code} « {change.title} » à décider",
            subject=change.operation.title,
            url=reverse("steering:change_detail", args=[change.operation_id, change.pk]),
        )
        for change in changes
    ]
    return found
