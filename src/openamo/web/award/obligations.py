"""The standstill of each validated ranking (``openamo.web.obligations``): the contract may
not be signed before the end of the délai de suspension the domain's award calendar computes
(``amo attribution calendrier``). One query; gone once the contract of the lot is
recorded, or once the signature is possible."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse

from openamo.award import award_calendar_from_dict
from openamo.errors import OpenAMOError
from openamo.web.award.access import GLOBAL
from openamo.web.award.models import AnalysisStatus, LotAnalysis
from openamo.web.contracts.models import Contract
from openamo.web.obligations import Obligation
from openamo.web.operations.access import visible_operations
from openamo.web.operations.models import ConsultationStatus
from openamo.web.softdelete import alive_through
from openamo.web.users import AuthenticatedUser

ROWS = 50
KIND = "Délais de suspension avant signature"


def due(user: AuthenticatedUser, today: datetime.date) -> list[Obligation]:
    contracts = Contract.objects.alive().filter(operation_id=OuterRef("operation_id"))
    analyses = (
        LotAnalysis.objects.filter(
            operation__in=visible_operations(user),
            status=AnalysisStatus.VALIDEE,
            validated_at__gte=datetime.datetime.combine(
                today - datetime.timedelta(days=60), datetime.time.min, datetime.UTC
            ),
            operation__consultation__status=ConsultationStatus.VALIDEE,
        )
        .filter(alive_through("lot"))
        .annotate(
            lot_signed=Exists(contracts.filter(lot_id=OuterRef("lot_id"))),
            any_signed=Exists(contracts),
        )
        .select_related("operation__consultation", "lot")
        .order_by("validated_at", "pk")[:ROWS]
    )
    found = []
    for analysis in analyses:
        signed = analysis.lot_signed if analysis.lot_id else analysis.any_signed
        if signed or analysis.validated_at is None:
            continue
        obligation = _standstill(analysis, today)
        if obligation is not None:
            found.append(obligation)
    return found


def _standstill(analysis: LotAnalysis, today: datetime.date) -> Obligation | None:
    consultation = analysis.operation.consultation
    chosen = consultation.input or {}
    assert analysis.validated_at is not None
    decided = analysis.validated_at.date()
    try:
        calendar = award_calendar_from_dict(
            {
                "decision_on": decided.isoformat(),
                "buyer": chosen.get("buyer"),
                "nature": chosen.get("nature"),
                "procedure": consultation.procedure,
                "estimated_value_ht": chosen.get("estimated_amount_ht"),
            }
        )
    except OpenAMOError:
        return None  # an incomplete file: the award page says what is missing
    last_day = calendar.standstill_last_day_on
    if not calendar.standstill_required or last_day is None or last_day < today:
        return None
    where = analysis.lot or "marché global"
    cited = [
        reference
        for step in calendar.steps
        if step.key == "fin_delai_suspension"
        for reference in step.references
    ]
    return Obligation(
        kind=KIND,
        what=f"{where} : classement validé le {decided:%d/%m/%Y} ; délai de suspension de "
        f"{calendar.standstill_days} jours après l'envoi des lettres de rejet, signature du "
        f"marché possible à partir du {calendar.earliest_signature_on:%d/%m/%Y}"
        + (f" ({' ; '.join(cited)})" if cited else ""),
        subject=analysis.operation.title,
        url=reverse("award:analysis", args=[analysis.operation_id, analysis.lot_id or GLOBAL]),
        due_on=last_day,
    )
