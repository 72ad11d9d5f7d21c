from __future__ import annotations

from typing import Any

import pytest

from openamo.catering import forecast_from_dict, ratios_from_dict
from tests.cases._runner import load_cases, run_case

CASES = load_cases("catering")


def test_there_are_at_least_twenty_catering_cases() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES)
def test_egalim_case(case: dict[str, Any]) -> None:
    compute = forecast_from_dict if "year" in case["input"] else ratios_from_dict
    run_case(case, compute)
