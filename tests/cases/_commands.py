"""Which domain function each legal-case file runs, named by its ``amo`` command.

A file's ``command`` is looked up here; a new command adds one entry (its compute function,
the minimum number of cases it needs, and where its output keeps the lists the cases check).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from openamo.amendments import check_amendment_from_dict
from openamo.award import award_calendar_from_dict, score_offers_from_dict
from openamo.catering import forecast_from_dict, ratios_from_dict
from openamo.construction import (
    choose_moe_procedure_from_dict,
    choose_organisation_from_dict,
    final_account_from_dict,
    moe_fee_from_dict,
    monthly_statements_from_dict,
    reception_calendar_from_dict,
    review_phases_from_dict,
    service_orders_from_dict,
    works_increase_from_dict,
)
from openamo.pricing import late_payment_from_dict, revise_from_dict
from openamo.pricing.advance import advance_from_dict, retention_from_dict
from openamo.pricing.subcontracting import subcontracting_from_dict
from openamo.procurement import choose_procedure_from_dict
from openamo.procurement.without_competition import without_competition_from_dict
from openamo.steering import assess_framing_from_dict, roi_from_dict, steering_report_from_dict

Output = dict[str, Any]
Lister = Callable[[Output], list[str]]


def _field(name: str) -> Lister:
    return lambda output: list(output[name])


DEFAULT_LISTS: Mapping[str, Lister] = {
    "expected_warnings": _field("warnings"),
    "expected_absent_warnings": _field("warnings"),
    "expected_references": _field("references"),
    "expected_ambiguities": _field("ambiguities"),
    "expected_new_procedure_reasons": _field("new_procedure_reasons"),
    "expected_explanation": lambda output: [output["explanation"]],
}


@dataclass(frozen=True)
class Command:
    compute: Callable[[Any], BaseModel]
    minimum_cases: int
    lists: Mapping[str, Lister] = field(default_factory=dict)
    # Bidder → reason of every abnormally low suspicion (commands that detect them).
    suspects: Callable[[Output], dict[str, str]] | None = None
    # Rules every output of the command obeys, whatever the case.
    invariants: Callable[[Output], None] | None = None

    def lister(self, key: str) -> Lister:
        return {**DEFAULT_LISTS, **self.lists}[key]


ARTICLE = re.compile(r"\b[LRD] ?\d+(?:-\d+)?\b|\bart\. \d+")


def _amendment_invariants(output: Output) -> None:
    for reference in output["references"]:
        assert ARTICLE.search(reference), f"référence sans article : {reference}"
    assert output["verdict"] == ("autorisee" if output["basis"] else "interdite")
    assert output["new_procedure_required"] == (output["verdict"] == "interdite")


def _criteria_checks(output: Output) -> list[str]:
    codes = [check["code"] for check in output["criteria_checks"]]
    for lot in output["lots"]:
        codes += [check["code"] for check in lot["criteria_checks"]]
    return codes


def _abnormally_low(output: Output) -> dict[str, str]:
    entries = list(output["abnormally_low"])
    for lot in output["lots"]:
        entries += lot["abnormally_low"]
    return {entry["bidder"]: entry["reason"] for entry in entries}


COMMANDS: Mapping[str, Command] = {
    "procedure choose": Command(choose_procedure_from_dict, minimum_cases=40),
    "procedure sans-concurrence": Command(
        without_competition_from_dict,
        minimum_cases=20,
        lists={"expected_checks": _field("documentation")},
    ),
    "avenant check": Command(
        check_amendment_from_dict, minimum_cases=40, invariants=_amendment_invariants
    ),
    "offres score": Command(
        score_offers_from_dict,
        minimum_cases=20,
        lists={"expected_checks": _criteria_checks},
        suspects=_abnormally_low,
    ),
    "attribution calendrier": Command(award_calendar_from_dict, minimum_cases=15),
    "prix revision": Command(revise_from_dict, minimum_cases=25),
    "paiement retard": Command(late_payment_from_dict, minimum_cases=20),
    "paiement avance": Command(advance_from_dict, minimum_cases=15),
    "paiement retenue": Command(retention_from_dict, minimum_cases=10),
    "paiement sous-traitance": Command(subcontracting_from_dict, minimum_cases=8),
    "egalim ratios": Command(ratios_from_dict, minimum_cases=20),
    "egalim prevision": Command(forecast_from_dict, minimum_cases=3),
    "projet roi": Command(roi_from_dict, minimum_cases=10),
    "projet cadrage": Command(assess_framing_from_dict, minimum_cases=10),
    "projet pilotage": Command(steering_report_from_dict, minimum_cases=10),
    "travaux moe": Command(choose_moe_procedure_from_dict, minimum_cases=15),
    "travaux honoraires": Command(moe_fee_from_dict, minimum_cases=10),
    "travaux organisation": Command(choose_organisation_from_dict, minimum_cases=10),
    "travaux reception": Command(reception_calendar_from_dict, minimum_cases=15),
    "travaux dgd": Command(final_account_from_dict, minimum_cases=15),
    "travaux phases": Command(review_phases_from_dict, minimum_cases=15),
    "travaux ordres": Command(service_orders_from_dict, minimum_cases=8),
    "travaux acomptes": Command(monthly_statements_from_dict, minimum_cases=8),
    "travaux augmentation": Command(works_increase_from_dict, minimum_cases=10),
}
