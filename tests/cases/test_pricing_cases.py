from __future__ import annotations

from typing import Any

import pytest

from openamo.pricing import revise_from_dict
from tests.cases._runner import load_cases, run_case

CASES = load_cases("pricing")


def test_there_are_at_least_twenty_five_pricing_cases() -> None:
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", CASES)
def test_price_revision_case(case: dict[str, Any]) -> None:
    run_case(case, revise_from_dict)
