"""The award calendar of a validated ranking: every date from the decision to the notification
(standstill, award notice, essential data, remedies), computed by the domain
(:func:`openamo.award.calendar.award_calendar`) from what the file already holds."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from openamo.award.calendar import AwardCalendarResult, award_calendar_from_dict
from openamo.errors import OpenAMOError
from openamo.web.award.models import LotAnalysis
from openamo.web.operations.models import Consultation

PROCEDURES = {"dispense", "mapa", "formalisee"}


def decision_day(analysis: LotAnalysis) -> datetime.date | None:
    if analysis.validated_at is None:
        return None
    return timezone.localdate(analysis.validated_at)


def calendar_input(
    analysis: LotAnalysis, consultation: Consultation | None, offers: int
) -> dict[str, Any] | None:
    """The domain's input, or None when the file lacks what the calendar needs."""
    day = decision_day(analysis)
    if day is None or consultation is None:
        return None
    asked, verdict = consultation.input or {}, consultation.result or {}
    procedure = verdict.get("procedure")
    value = verdict.get("estimated_value_ht") or asked.get("estimated_amount_ht")
    if procedure not in PROCEDURES or value is None or not asked.get("buyer"):
        return None
    lots: list[dict[str, Any]] = analysis.result.get("lots") or [{}]
    awarded = lots[0].get("awarded", [])
    prices = {o["bidder"]: Decimal(o["price_ht"]) for o in lots[0].get("offers", [])}
    payload: dict[str, Any] = {
        "decision_on": day.isoformat(),
        "buyer": asked["buyer"],
        "nature": asked["nature"],
        "procedure": procedure,
        "estimated_value_ht": str(value),
        "rejected_count": max(offers - len(awarded), 0),
        "single_tenderer": offers == 1,
    }
    launched = consultation.launch_date
    if launched is not None and launched <= day:
        payload["consultation_launched_on"] = launched.isoformat()
    amounts = [prices[bidder] for bidder in awarded if bidder in prices]
    if amounts:
        payload["amount_ht"] = f"{sum(amounts, Decimal(0)):.2f}"
    return payload


def award_calendar(
    analysis: LotAnalysis, consultation: Consultation | None, offers: int
) -> AwardCalendarResult | None:
    payload = calendar_input(analysis, consultation, offers)
    if payload is None:
        return None
    try:
        return award_calendar_from_dict(payload)
    except OpenAMOError:
        return None
