"""Shared by the passation tests: Saint-Exemple's catering operation with its procedure analysed
(launched 01/12/2026), realistic criteria, and offers marked through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from openamo.award.models import CriterionInput
from openamo.web.award import marking
from openamo.web.award.access import Scope, scope_of
from openamo.web.award.mappers import RankingSettings
from openamo.web.award.models import Offer
from openamo.web.award.requests import CriterionRequest, GridRow, OfferEntry
from openamo.web.award.services import criteria as criteria_service
from openamo.web.award.services import offers as offer_service
from openamo.web.award.services import ranking as ranking_service
from openamo.web.award.services import reading
from openamo.web.operations import services as operation_services
from openamo.web.operations.access import operation_access
from openamo.web.operations.models import Lot, Operation
from openamo.web.operations.requests import Circumstances
from openamo.web.users import AuthenticatedUser
from tests.integration.web.conftest import Cast, fresh, make_operation

LAUNCH = datetime.date(2026, 12, 1)
SIRETS = ["35620101200016", "41287651800017", "52974301500016", "70318941500010"]
GRID = [
    {"mark": "0", "label": "Absent", "expected": "Citer ce qui manque au regard du CCTP."},
    {"mark": "10", "label": "Moyen", "expected": "Citer les engagements absents."},
    {"mark": "15", "label": "Satisfaisant", "expected": "Citer les engagements relevés."},
    {"mark": "20", "label": "Très satisfaisant", "expected": "Citer ce qui fait la différence."},
]
CRITERIA: list[dict[str, Any]] = [
    {"name": "Prix", "weight": "40", "kind": "prix", "method": "proportionnelle"},
    {
        "name": "Valeur technique",
        "weight": "40",
        "kind": "technique",
        "max_score": "20",
        "grid": GRID,
        "sub_criteria": [
            {"name": "Qualité des produits", "weight": "25"},
            {"name": "Organisation des livraisons", "weight": "15"},
        ],
    },
    {
        "name": "Performance environnementale",
        "weight": "20",
        "kind": "environnement",
        "max_score": "20",
        "grid": GRID,
    },
]


def typed(criteria: list[dict[str, Any]]) -> list[CriterionRequest]:
    """Criteria written in the domain's JSON form, as their rows type them."""
    return [CriterionRequest.from_domain(CriterionInput.model_validate(c)) for c in criteria]


def grid_rows(grid: list[dict[str, str]]) -> list[GridRow]:
    return [GridRow(Decimal(level["mark"]), level["label"], level["expected"]) for level in grid]


WHY = "Engagements précis et vérifiables relevés dans le mémoire technique, page 4."


def award_operation(cast: Cast, *, shared: bool = True, with_lots: bool = True) -> Operation:
    operation = make_operation(cast, shared=shared, with_lots=with_lots)
    mo = fresh(cast.mo)
    access = operation_access(mo, operation.pk)
    operation_services.analyse_procedure(
        access, mo, Circumstances(LAUNCH, planned_response_days=40)
    )
    criteria_service.save_criteria(
        access, mo, criteria_service.validate_criteria(typed(CRITERIA)), None
    )
    return operation


def scope(user: AuthenticatedUser, operation: Operation, lot: Lot | None) -> Scope:
    return scope_of(operation_access(fresh(user), operation.pk), lot.pk if lot else 0)


def add_offer(
    user: AuthenticatedUser,
    operation: Operation,
    lot: Lot | None,
    bidder: str,
    price: str,
    marks: tuple[str, str, str] | None = ("15", "15", "15"),
    **extra: Any,
) -> Offer:
    """An offer; ``marks`` are (quality, delivery, environment) on 20, each justified."""
    where = scope(user, operation, lot)
    entry = OfferEntry(bidder=bidder, price_ht=Decimal(price), **extra)
    offer = offer_service.add_offer(where, fresh(user), entry)
    if marks is not None:
        mark_offer(user, operation, lot, offer, marks)
    return offer


def mark_offer(
    user: AuthenticatedUser,
    operation: Operation,
    lot: Lot | None,
    offer: Offer,
    marks: tuple[str, str, str],
) -> Offer:
    where = scope(user, operation, lot)
    slots = marking.slots(reading.context_of(operation).criteria)
    typed = [
        marking.MarkEntry.typed(slot, mark, WHY) for slot, mark in zip(slots, marks, strict=True)
    ]
    return offer_service.save_marks(where, fresh(user), offer, typed)


def three_offers(cast: Cast, operation: Operation, lot: Lot) -> list[Offer]:
    """Three regular offers, Bio Val first on price, Maraîchers first overall."""
    return [
        add_offer(cast.consultant, operation, lot, "Bio Val", "58000.00", ("10", "15", "10")),
        add_offer(cast.consultant, operation, lot, "Maraîchers", "61000.00", ("20", "15", "20")),
        add_offer(cast.consultant, operation, lot, "Distri", "66000.00", ("15", "10", "15")),
    ]


def amo_analysis(cast: Cast, operation: Operation, lot: Lot) -> None:
    """The AMO analyses the lot's offers with the default settings (one winner)."""
    ranking_service.analyse(scope(cast.consultant, operation, lot), fresh(cast.consultant),
                            RankingSettings())  # fmt: skip


def analysed_three_offers(cast: Cast, operation: Operation, lot: Lot) -> None:
    """:func:`three_offers`, analysed by the AMO: the ranking awaits the MO's validation."""
    three_offers(cast, operation, lot)
    amo_analysis(cast, operation, lot)
