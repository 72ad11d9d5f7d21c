"""Forecast of the EGAlim ratios from a catering DQE before award: each line's estimated amount
(unit price × quantity) is counted like a purchase dated in the forecast year, so the buyer sees
whether the lots, as priced by the bidders, will reach the targets — and how much is missing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from openamo.catering.models import ForecastInput, ForecastResult, Period
from openamo.catering.ratios import LabelCalendar, build_result, count_purchase
from openamo.money import format_euros, format_share, to_cents
from openamo.validation import parse_input
from openamo.wording import count


def forecast(data: ForecastInput) -> ForecastResult:
    period = Period(start=date(data.year, 1, 1), end=date(data.year, 12, 31))
    calendar = LabelCalendar()
    when = (period.start, period.end)
    items = [
        count_purchase(
            line.family,
            to_cents(line.unit_price_ht * line.quantity),
            line.labels,
            line.is_meat_or_fish,
            when,
            calendar,
        )
        for line in data.lines
    ]
    dqe_total = sum((item.amount for item in items), start=Decimal(0))
    items += [
        count_purchase(p.family, p.amount_ht, p.labels, p.is_meat_or_fish, p.date or when, calendar)
        for p in data.other_purchases
    ]
    ratios = build_result(items, period, [], [], data.buyer, data.territory)
    warnings = [
        "Prévision : montants estimés du DQE (quantités indicatives), les ratios réels dépendront "
        "des commandes et des labels effectivement livrés — prévoyez leur justification "
        "(certificats, étiquetage) dans le CCTP.",
        *ratios.warnings,
    ]
    missing = ratios.missing_ht
    goal = {key: format_share(Decimal(value)) for key, value in ratios.targets.items()}
    text = (
        f"Prévision {data.year} sur {count(len(data.lines), 'ligne')} de DQE "
        f"({format_euros(dqe_total)} HT)"
        + (f" et {count(len(data.other_purchases), 'autre achat')}" if data.other_purchases else "")
        + f". {ratios.explanation} Achats de qualité à ajouter pour atteindre les objectifs : "
        f"{format_euros(missing['quality_50'])} ({goal['quality']}), "
        f"{format_euros(missing['organic_20'])} de bio ({goal['organic']}), "
        f"{format_euros(missing['meat_fish_60'])} de viandes et poissons ({goal['meat_fish']})."
    )
    return ForecastResult(
        year=data.year,
        lines=len(data.lines),
        dqe_total_ht=dqe_total,
        ratios=ratios,
        warnings=warnings,
        references=ratios.references,
        explanation=text,
    )


def forecast_from_dict(data: Any) -> ForecastResult:
    return forecast(parse_input(ForecastInput, data))
