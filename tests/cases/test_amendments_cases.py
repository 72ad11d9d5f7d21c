"""Legal cases of the amendment check: one YAML file per topic, one case per real situation.

Besides the shared runner's keys, a case may list ``expected_ambiguities``,
``expected_new_procedure_reasons`` and ``expected_explanation`` (substrings that must appear).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from openamo.amendments import check_amendment_from_dict
from tests.cases._runner import load_cases, run_case

CASES = load_cases("amendments")
ARTICLE = re.compile(r"\b[LRD] ?\d+(?:-\d+)?\b|\bart\. \d+")

_EXTRA = {
    "expected_ambiguities": "ambiguities",
    "expected_new_procedure_reasons": "new_procedure_reasons",
}


def test_there_are_at_least_forty_amendment_cases() -> None:
    assert len(CASES) >= 40


def test_every_case_names_a_real_situation_in_french() -> None:
    names = [param.values[0]["name"] for param in CASES]
    assert len(set(names)) == len(names), "deux cas portent le même nom"
    for name in names:
        assert len(name.split()) >= 6, f"nom trop court pour décrire une situation : {name}"


@pytest.mark.parametrize("case", CASES)
def test_amendment_case(case: dict[str, Any]) -> None:
    run_case(case, check_amendment_from_dict)
    if "expected_error" in case:
        return
    output = check_amendment_from_dict(case["input"]).model_dump(mode="json")
    for key, field in _EXTRA.items():
        for fragment in case.get(key, []):
            assert any(fragment in item for item in output[field]), (
                f"« {fragment} » absent de {field} : {output[field]}"
            )
    for fragment in case.get("expected_explanation", []):
        assert fragment in output["explanation"]
    for reference in output["references"]:
        assert ARTICLE.search(reference), f"référence sans article : {reference}"
    assert output["verdict"] == ("autorisee" if output["basis"] else "interdite")
    assert output["new_procedure_required"] == (output["verdict"] == "interdite")
