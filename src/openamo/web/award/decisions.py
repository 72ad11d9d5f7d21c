"""Rankings proposed for validation, for the dashboard of the buyer's maître d'ouvrage."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse

from openamo.web.award.access import GLOBAL
from openamo.web.award.models import AnalysisStatus, LotAnalysis
from openamo.web.decisions import PendingDecision
from openamo.web.organisations.access import deciding_organisation_ids


def pending(user: Any) -> list[PendingDecision]:
    """Lots whose proposed ranking awaits the user's validation (one SQL query)."""
    deciding = deciding_organisation_ids(user)
    if not deciding:
        return []
    analyses = (
        LotAnalysis.objects.filter(
            status=AnalysisStatus.PROPOSEE,
            operation__organisation_id__in=deciding,
            operation__deleted_at__isnull=True,
        )
        .filter(Q(lot__isnull=True) | Q(lot__deleted_at__isnull=True))
        .select_related("operation", "lot")
        .order_by("operation__title", "lot__number")
    )
    return [
        PendingDecision(
            what=f"Classement des offres à valider — {analysis.lot or 'marché global'}",
            subject=analysis.operation.title,
            url=reverse("award:analysis", args=[analysis.operation_id, analysis.lot_id or GLOBAL]),
        )
        for analysis in analyses
    ]
