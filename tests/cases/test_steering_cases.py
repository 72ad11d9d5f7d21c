"""Runner of the steering scenarios (``tests/cases/steering/*.yaml``).

A file names its ``command`` (roi, cadrage, pilotage). A case has ``name`` (a French sentence),
``input`` — or ``input_example`` (``examples/projet_<name>.json``) with an optional ``patch``
deep-merged into it (``null`` removes a key) — and any of: ``expected`` (a subset of the JSON
output), ``expected_by_id`` (items of output lists found by their ``id``), ``approx`` (dotted
path → ``value`` with ``relative`` or ``absolute`` tolerance, for Monte-Carlo results),
``expected_warnings`` / ``expected_references`` (substrings), ``expected_error``.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from openamo.errors import OpenAMOError
from openamo.steering import assess_framing_from_dict, roi_from_dict, steering_report_from_dict
from tests.cases._runner import assert_subset

CASES_DIR = Path(__file__).parent / "steering"
EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"
COMMANDS: dict[str, Callable[[Any], BaseModel]] = {
    "roi": roi_from_dict,
    "cadrage": assess_framing_from_dict,
    "pilotage": steering_report_from_dict,
}


def load() -> list[Any]:
    params = []
    for file in sorted(CASES_DIR.glob("*.yaml")):
        document = yaml.safe_load(file.read_text(encoding="utf-8"))
        for case in document["cases"]:
            case = {"command": document["command"], **case}
            params.append(pytest.param(case, id=f"{file.stem}: {case['name']}"))
    return params


CASES = load()


def merge(base: Any, patch: Any) -> Any:
    if not isinstance(base, dict) or not isinstance(patch, dict):
        return copy.deepcopy(patch)
    merged = copy.deepcopy(base)
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge(merged.get(key), value)
    return merged


def case_input(case: dict[str, Any]) -> Any:
    if "input_example" not in case:
        return case["input"]
    file = EXAMPLES_DIR / f"projet_{case['input_example']}.json"
    return merge(json.loads(file.read_text(encoding="utf-8")), case.get("patch", {}))


def dig(payload: Any, path: str) -> Any:
    for part in path.split("."):
        payload = payload[part]
    return payload


def test_every_command_has_at_least_ten_scenarios() -> None:
    for command in COMMANDS:
        assert sum(1 for c in CASES if c.values[0]["command"] == command) >= 10, command


@pytest.mark.parametrize("case", CASES)
def test_steering_case(case: dict[str, Any]) -> None:
    compute = COMMANDS[case["command"]]
    data = case_input(case)
    if "expected_error" in case:
        with pytest.raises(OpenAMOError) as raised:
            compute(data)
        assert case["expected_error"] in str(raised.value)
        return
    output = compute(data).model_dump(mode="json")
    assert_subset(case.get("expected", {}), output)
    for list_name, items in case.get("expected_by_id", {}).items():
        by_id = {item["id"]: item for item in output[list_name]}
        for ident, expected in items.items():
            assert_subset(expected, by_id[ident], f"{list_name}[{ident}]")
    for path, rule in case.get("approx", {}).items():
        got = float(dig(output, path))
        tolerance = {"rel": rule["relative"]} if "relative" in rule else {"abs": rule["absolute"]}
        assert got == pytest.approx(rule["value"], **tolerance), path
    for fragment in case.get("expected_warnings", []):
        assert any(fragment in w for w in output["warnings"]), (fragment, output["warnings"])
    for fragment in case.get("expected_references", []):
        assert any(fragment in r for r in output["references"]), (fragment, output["references"])
    assert output["references"], "tout résultat cite ses sources"
    assert output["explanation"].strip(), "tout résultat s'explique en français"
