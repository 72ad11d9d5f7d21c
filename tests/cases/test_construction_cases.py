from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel

from openamo import construction
from tests.cases._runner import load_cases, run_case

CASES = load_cases("construction")
COMMANDS: dict[str, Callable[[Any], BaseModel]] = {
    "moe": construction.choose_moe_procedure_from_dict,
    "honoraires": construction.moe_fee_from_dict,
    "organisation": construction.choose_organisation_from_dict,
    "reception": construction.reception_calendar_from_dict,
    "dgd": construction.final_account_from_dict,
}


def test_every_construction_command_has_at_least_ten_cases() -> None:
    for name in COMMANDS:
        assert sum(1 for case in CASES if case.id.startswith(f"{name}:")) >= 10, name


@pytest.mark.parametrize("case", CASES)
def test_construction_case(case: dict[str, Any], request: pytest.FixtureRequest) -> None:
    command = request.node.callspec.id.split(":", 1)[0]
    run_case(case, COMMANDS[command])
