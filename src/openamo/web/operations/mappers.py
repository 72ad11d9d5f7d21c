"""Explicit mapping between stored rows and the procurement domain's input (JSON contract)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from openamo.money import format_amount
from openamo.web.operations.models import Lot, Need, Operation

WIZARD_ANSWERS = (
    "date",
    "urgency",
    "electronic_submission",
    "prior_information_notice",
    "site_visit",
    "planned_response_days",
)
"""What the wizard asks beyond the need itself (circumstances of the consultation)."""


def procedure_input(
    operation: Operation, need: Need, lots: Iterable[Lot], answers: dict[str, Any]
) -> dict[str, Any]:
    """The ``amo procedure choose`` input for this operation, its need, lots and answers."""
    data: dict[str, Any] = {
        "date": _iso(answers["date"]),
        "buyer": operation.organisation.buyer_category(),
        "nature": need.nature,
        "estimated_amount_ht": format_amount(need.estimated_amount_ht),
        "duration_months": need.duration_months,
        "renewals": need.renewals,
        "renewal_duration_months": need.renewal_duration_months,
        "options_amount_ht": format_amount(need.options_amount_ht),
        "social_and_specific_services": need.social_and_specific_services,
        "object": (need.object or operation.title)[:500],
    }
    if need.is_framework:
        data["framework"] = framework_input(
            {name: getattr(need, name) for name in FRAMEWORK_FIELDS.values()}
        )
    lot_list = [
        {"name": lot.name[:200], "estimated_amount_ht": format_amount(lot.estimated_amount_ht)}
        for lot in lots
    ]
    if lot_list:
        data["lots"] = lot_list
    for key in WIZARD_ANSWERS[1:]:
        if answers.get(key) is not None:
            data[key] = answers[key]
    return {key: value for key, value in data.items() if value is not None}


FRAMEWORK_FIELDS = {
    "execution": "framework_execution",
    "holders": "framework_holders",
    "holders_count": "framework_holders_count",
    "minimum_ht": "framework_minimum_ht",
    "maximum_ht": "framework_maximum_ht",
    "maximum_quantity": "framework_maximum_quantity",
    "duration_justification": "framework_duration_justification",
}
"""The domain's ``framework`` input (``FrameworkAgreementInput``) → the need's fields."""


def framework_input(values: dict[str, Any]) -> dict[str, Any]:
    """The ``framework`` object of ``amo procedure choose`` from the need's framework fields
    (stored or just typed); a blank field is left to the domain's default."""
    found: dict[str, Any] = {}
    for key, name in FRAMEWORK_FIELDS.items():
        value = values.get(name)
        if value in (None, ""):
            continue
        found[key] = format_amount(value) if key.endswith("_ht") else value
    return found


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime.date) else str(value)
