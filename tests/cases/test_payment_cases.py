from __future__ import annotations

from typing import Any

import pytest

from openamo.pricing import late_payment_from_dict
from tests.cases._runner import load_cases, run_case

CASES = load_cases("payment")


def test_there_are_at_least_twenty_payment_cases() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES)
def test_late_payment_case(case: dict[str, Any]) -> None:
    run_case(case, late_payment_from_dict)
