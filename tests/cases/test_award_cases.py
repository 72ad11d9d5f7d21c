"""Legal YAML cases of the offers analysis (``tests/cases/award/*.yaml``).

Besides the shared keys (``expected``, ``expected_warnings``, ``expected_references``,
``expected_error``), a case may give ``expected_checks`` (codes that must appear in the criteria
checks), ``expected_ambiguities``, ``expected_abnormally_low`` (the exact bidders suspected),
``expected_reason_fragments`` and ``expected_absent_warnings``. A string starting with ``=`` in
``expected`` is a hand derivation (``= 60 * 90000 / 100000 + 20``), computed in Decimal and
rounded to the hundredth, half up — the total the report publishes.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from openamo.award import score_offers_from_dict
from tests.cases._runner import assert_subset, load_cases, run_case

CASES = load_cases("award")

_OPERATORS: dict[type, Callable[[Decimal, Decimal], Decimal]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


def _evaluate(node: ast.AST) -> Decimal:
    if isinstance(node, ast.Expression):
        return _evaluate(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return Decimal(str(node.value))
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_evaluate(node.left), _evaluate(node.right))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_evaluate(node.operand)
    raise ValueError(f"expression non prise en charge : {ast.dump(node)}")


def derive(expression: str) -> str:
    """``"= 60 * 90000 / 100000 + 20"`` → ``"74.00"``."""
    value = _evaluate(ast.parse(expression.removeprefix("=").strip(), mode="eval"))
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):.2f}"


def _resolve(expected: Any) -> Any:
    if isinstance(expected, dict):
        return {key: _resolve(value) for key, value in expected.items()}
    if isinstance(expected, list):
        return [_resolve(item) for item in expected]
    if isinstance(expected, str) and expected.startswith("="):
        return derive(expected)
    return expected


def _all_checks(output: dict[str, Any]) -> list[str]:
    codes = [check["code"] for check in output["criteria_checks"]]
    for lot in output["lots"]:
        codes += [check["code"] for check in lot["criteria_checks"]]
    return codes


def _suspects(output: dict[str, Any]) -> dict[str, str]:
    entries = list(output["abnormally_low"])
    for lot in output["lots"]:
        entries += lot["abnormally_low"]
    return {entry["bidder"]: entry["reason"] for entry in entries}


def test_there_are_at_least_twenty_award_cases() -> None:
    assert len(CASES) >= 20


def test_a_derivation_is_computed_in_decimal_and_rounded_half_up() -> None:
    assert derive("= 60 * 60000 / 105000 + 20") == "54.29"
    assert derive("= 100 * 2 / 3") == "66.67"
    assert derive("= 0.125 * 100") == "12.50"


@pytest.mark.parametrize("case", CASES)
def test_award_case(case: dict[str, Any]) -> None:
    if "expected_error" in case:
        run_case(case, score_offers_from_dict)
        return
    output = score_offers_from_dict(case["input"]).model_dump(mode="json")
    shared = {
        key: case[key]
        for key in ("name", "expected_warnings", "expected_references")
        if key in case
    }
    run_case(
        {**shared, "input": case["input"], "expected": _resolve(case.get("expected", {}))},
        score_offers_from_dict,
    )
    codes = _all_checks(output)
    for code in case.get("expected_checks", []):
        assert code in codes, f"contrôle « {code} » absent de {codes}"
    for fragment in case.get("expected_ambiguities", []):
        assert any(fragment in a for a in output["ambiguities"]), output["ambiguities"]
    for fragment in case.get("expected_absent_warnings", []):
        assert not any(fragment in w for w in output["warnings"]), output["warnings"]
    suspects = _suspects(output)
    if "expected_abnormally_low" in case:
        assert sorted(suspects) == sorted(case["expected_abnormally_low"])
    for bidder, fragments in case.get("expected_reason_fragments", {}).items():
        for fragment in fragments:
            assert fragment in suspects[bidder], f"« {fragment} » absent du motif de {bidder}"
    assert_subset(_resolve(case.get("expected", {})), output)
