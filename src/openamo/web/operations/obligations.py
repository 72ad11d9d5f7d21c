"""The bid deadlines of the consultations still in passation (``openamo.web.obligations``):
one query; a consultation whose operation is in execution (awarded) is gone."""

from __future__ import annotations

import datetime

from django.urls import reverse

from openamo.web.obligations import Obligation
from openamo.web.operations.access import visible_operations
from openamo.web.operations.models import Consultation, Stage
from openamo.web.users import AuthenticatedUser

ROWS = 50


def due(user: AuthenticatedUser, today: datetime.date) -> list[Obligation]:
    consultations = (
        Consultation.objects.filter(
            operation__in=visible_operations(user),
            operation__stage__in=[Stage.AMONT, Stage.PASSATION],
            response_deadline__gte=today,
        )
        .select_related("operation")
        .only("response_deadline", "operation__title")
        .order_by("response_deadline", "pk")[:ROWS]
    )
    return [
        Obligation(
            kind="Remise des offres",
            what=f"Date limite de remise des offres le {c.response_deadline:%d/%m/%Y}",
            subject=c.operation.title,
            url=reverse("operations:consultation", args=[c.operation_id]),
            due_on=c.response_deadline,
        )
        for c in consultations
        if c.response_deadline is not None
    ]
