"""Shared runner for the legal YAML cases: one file per topic, one case per real situation.

A case has ``name`` (a French sentence), ``input`` and either ``expected`` (a subset of the JSON
output), ``expected_warnings`` / ``expected_references`` (substrings that must appear), or
``expected_error`` (a substring of the French error message).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from openamo.errors import OpenAMOError

CASES_DIR = Path(__file__).parent


def load_cases(domain: str) -> list[Any]:
    params = []
    for file in sorted((CASES_DIR / domain).glob("*.yaml")):
        document = yaml.safe_load(file.read_text(encoding="utf-8"))
        for case in document["cases"]:
            params.append(pytest.param(case, id=f"{file.stem}: {case['name']}"))
    return params


def assert_subset(expected: Any, actual: Any, where: str = "") -> None:
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: objet attendu, obtenu {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{where}.{key} absent de la sortie"
            assert_subset(value, actual[key], f"{where}.{key}")
    elif isinstance(expected, list) and expected and isinstance(expected[0], dict):
        assert isinstance(actual, list) and len(actual) == len(expected), (
            f"{where}: {len(expected)} éléments attendus, obtenu {actual!r}"
        )
        for index, (item, got) in enumerate(zip(expected, actual, strict=True)):
            assert_subset(item, got, f"{where}[{index}]")
    else:
        assert actual == expected, f"{where}: attendu {expected!r}, obtenu {actual!r}"


def run_case(case: dict[str, Any], compute: Callable[[Any], BaseModel]) -> None:
    if "expected_error" in case:
        with pytest.raises(OpenAMOError) as raised:
            compute(case["input"])
        assert case["expected_error"] in str(raised.value)
        return
    output = compute(case["input"]).model_dump(mode="json")
    assert_subset(case.get("expected", {}), output)
    for fragment in case.get("expected_warnings", []):
        assert any(fragment in w for w in output["warnings"]), (
            f"avertissement « {fragment} » absent de {output['warnings']}"
        )
    for fragment in case.get("expected_references", []):
        assert any(fragment in r for r in output["references"]), (
            f"référence « {fragment} » absente de {output['references']}"
        )
    assert output["references"], "toute décision cite ses articles"
    assert output["explanation"].strip(), "toute décision s'explique en français"
