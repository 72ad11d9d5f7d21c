"""The award calendar of a validated ranking: every date from the decision to the notification
(standstill, award notice, essential data, remedies), computed by the domain
(:func:`openamo.award.calendar.award_calendar`) from what the file already holds."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from openamo.award.calendar import AwardCalendarInput, AwardCalendarResult
from openamo.award.calendar import award_calendar as domain_award_calendar
from openamo.errors import OpenAMOError
from openamo.procurement.enums import Buyer, Nature, ProcedureKind
from openamo.validation import french_errors
from openamo.web.award.models import LotAnalysis
from openamo.web.operations.models import Consultation

PROCEDURES = {"dispense", "mapa", "formalisee"}


def decision_day(analysis: LotAnalysis) -> datetime.date | None:
    if analysis.validated_at is None:
        return None
    return timezone.localdate(analysis.validated_at)


def calendar_input(
    analysis: LotAnalysis, consultation: Consultation | None, offers: int
) -> AwardCalendarInput | None:
    """The domain's input, or None when the file lacks what the calendar needs."""
    day = decision_day(analysis)
    if day is None or consultation is None:
        return None
    asked, verdict = consultation.input or {}, consultation.result or {}
    procedure = verdict.get("procedure")
    value = verdict.get("estimated_value_ht") or asked.get("estimated_amount_ht")
    lot = analysis.lot_outcome()
    if procedure not in PROCEDURES or value is None or not asked.get("buyer") or lot is None:
        return None
    prices = {o.bidder: o.price_ht for o in lot.offers}
    launched = consultation.launch_date
    amounts = [prices[bidder] for bidder in lot.awarded if bidder in prices]
    with french_errors():
        return AwardCalendarInput(
            decision_on=day,
            buyer=Buyer(asked["buyer"]),
            nature=Nature(asked["nature"]),
            social_and_specific_services=bool(asked.get("social_and_specific_services")),
            procedure=ProcedureKind(procedure),
            estimated_value_ht=Decimal(str(value)),
            rejected_count=max(offers - len(lot.awarded), 0),
            single_tenderer=offers == 1,
            consultation_launched_on=launched if launched is not None and launched <= day else None,
            amount_ht=sum(amounts, Decimal(0)).quantize(Decimal("0.01")) if amounts else None,
        )


def award_calendar(
    analysis: LotAnalysis, consultation: Consultation | None, offers: int
) -> AwardCalendarResult | None:
    try:
        data = calendar_input(analysis, consultation, offers)
        return domain_award_calendar(data) if data is not None else None
    except OpenAMOError:
        return None
