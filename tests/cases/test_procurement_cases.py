from __future__ import annotations

from typing import Any

import pytest

from openamo.procurement import choose_procedure_from_dict
from tests.cases._runner import load_cases, run_case

CASES = load_cases("procurement")


def test_there_are_at_least_forty_procurement_cases() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES)
def test_procedure_choice_case(case: dict[str, Any]) -> None:
    run_case(case, choose_procedure_from_dict)
