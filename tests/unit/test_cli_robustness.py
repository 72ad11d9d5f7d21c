"""Property: whatever JSON a user sends, ``amo`` answers (exit 0 or 2), never with a traceback."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz import JSON_VALUES, assert_answers_or_explains, run

CHOOSE = ["procedure", "choose"]

FIELDS = {
    "date": st.sampled_from(["2026-11-23", "2019-04-01", "1999-01-01", "2026-02-30", "", "x"]),
    "buyer": st.sampled_from(["collectivite", "etat", "entite_adjudicatrice", "mairie", ""]),
    "nature": st.sampled_from(["fournitures", "services", "travaux", "autre"]),
    "estimated_amount_ht": st.one_of(
        st.decimals(min_value=-10, max_value=10**9, places=2).map(str),
        st.text(max_size=8),
        st.integers(),
    ),
    "lots": st.lists(
        st.fixed_dictionaries(
            {
                "name": st.text(max_size=5),
                "estimated_amount_ht": st.decimals(0, 10**7, places=2).map(str),
            }
        ),
        max_size=4,
    ),
    "social_and_specific_services": st.booleans(),
    "renewals": st.integers(-1, 5),
    "duration_months": st.integers(-1, 60),
}
near_valid = st.fixed_dictionaries({}, optional=FIELDS)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=near_valid)
def test_near_valid_inputs_never_crash(
    data: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert_answers_or_explains(*run(CHOOSE, json.dumps(data), monkeypatch, capsys))


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=JSON_VALUES)
def test_random_json_never_crashes(
    data: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert_answers_or_explains(*run(CHOOSE, json.dumps(data), monkeypatch, capsys))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=60))
def test_random_text_never_crashes(
    text: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(CHOOSE, text, monkeypatch, capsys)
    assert code in (0, 2), err
