"""Properties of the check over random situations (hypothesis)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from openamo.amendments import check_amendment_from_dict, decide_from_dict
from openamo.amendments._context import situation_for
from openamo.amendments.bases import assess, candidates
from openamo.amendments.models import AmendmentCheckInput
from openamo.errors import OpenAMOError
from openamo.validation import parse_input
from tests.fuzz import JSON_VALUES, assert_answers_or_explains, run

CHECK = ["avenant", "check"]

BASES = ["R2194-1", "R2194-2", "R2194-5", "R2194-6", "R2194-7", "R2194-8"]
KINDS = [
    "clause_reexamen",
    "prestations_supplementaires",
    "circonstances_imprevues",
    "nouveau_titulaire",
    "non_substantielle",
    "faible_montant",
]
amounts = st.decimals(min_value=1, max_value=10**8, places=2)
signed = st.decimals(min_value=-(10**6), max_value=10**6, places=2)
optional_bool = st.none() | st.booleans()

contracts = st.fixed_dictionaries(
    {
        "nature": st.sampled_from(["fournitures", "services", "travaux"]),
        "buyer": st.sampled_from(["collectivite", "etat", "entite_adjudicatrice"]),
        "procedure": st.sampled_from(["mapa", "formalisee"]),
        "initial_amount_ht": amounts.map(str),
        "notified_on": st.sampled_from(["2018-03-01", "2019-06-01", "2024-02-01", "2025-12-01"]),
    }
)
previous = st.lists(
    st.fixed_dictionaries({"amount_ht": signed.map(str), "basis": st.sampled_from(BASES)}),
    max_size=6,
)
modifications = st.fixed_dictionaries(
    {
        "date": st.sampled_from(["2026-01-01", "2026-11-23", "2027-12-31"]),
        "amount_ht": signed.map(str),
        "kind": st.sampled_from(KINDS),
    },
    optional={
        "changes_object": st.booleans(),
        "separable": optional_bool,
        "foreseeable": optional_bool,
        "major_inconvenience": optional_bool,
        "price_only": st.booleans(),
        "form": st.sampled_from(["avenant", "decision_unilaterale"]),
        "transfer_cause": st.sampled_from(["clause_reexamen", "restructuration", "autre"]),
        "substantial_conditions": st.lists(
            st.sampled_from(
                ["conditions_initiales", "equilibre_economique", "champ_application", "titulaire"]
            ),
            max_size=4,
        ),
    },
)


def situation(contract: dict[str, Any], prior: list[Any], modification: dict[str, Any]) -> Any:
    return {"contract": contract, "previous_modifications": prior, "modification": modification}


def run_or_none(data: dict[str, Any]) -> dict[str, Any] | None:
    try:
        return check_amendment_from_dict(data).model_dump(mode="json")
    except OpenAMOError:
        return None


@settings(max_examples=300, deadline=None)
@given(contract=contracts, prior=previous, modification=modifications)
def test_the_verdict_is_always_consistent(
    contract: dict[str, Any], prior: list[Any], modification: dict[str, Any]
) -> None:
    result = run_or_none(situation(contract, prior, modification))
    if result is None:
        return
    allowed = result["verdict"] == "autorisee"
    assert allowed == (result["basis"] is not None) == (not result["new_procedure_required"])
    if not allowed:
        assert result["new_procedure_reasons"]
        assert not (result["cao_opinion_required"] or result["modification_notice_required"])
        assert not result["decp_update_required"]
    if result["modification_notice_required"]:
        assert result["basis"] in ("R2194-2", "R2194-5")
        assert contract["procedure"] == "formalisee"
    assert result["references"] and result["explanation"]
    for value in (result["modification_percent"], result["cumulative_percent"]):
        assert Decimal(value).as_tuple().exponent == -2


@settings(max_examples=300, deadline=None)
@given(contract=contracts, prior=previous, modification=modifications)
def test_the_fast_decision_and_the_explained_check_always_agree(
    contract: dict[str, Any], prior: list[Any], modification: dict[str, Any]
) -> None:
    data = situation(contract, prior, modification)
    result = run_or_none(data)
    if result is None:
        with pytest.raises(OpenAMOError):
            decide_from_dict(data)
        return
    decision = decide_from_dict(data)
    assert decision.verdict.value == result["verdict"]
    assert (decision.basis.value if decision.basis else None) == result["basis"]
    for field in (
        "cao_opinion_required",
        "modification_notice_required",
        "decp_update_required",
        "new_procedure_required",
    ):
        assert getattr(decision, field) == result[field], field
    assert f"{decision.cumulative_percent:.2f}" == result["cumulative_percent"]
    assert (decision.decp_deadline_on.isoformat() if decision.decp_deadline_on else None) == (
        result["decp_deadline_on"]
    )


@settings(max_examples=300, deadline=None)
@given(contract=contracts, prior=previous, modification=modifications)
def test_a_case_is_closed_exactly_when_its_text_gives_a_blocking_reason(
    contract: dict[str, Any], prior: list[Any], modification: dict[str, Any]
) -> None:
    try:
        parsed = parse_input(AmendmentCheckInput, situation(contract, prior, modification))
        current = situation_for(parsed)
    except OpenAMOError:
        return
    for basis in candidates(current):
        assessment = assess(basis, current)
        assert assessment.available == (not assessment.blocking), (basis, assessment.reasons)


@settings(max_examples=200, deadline=None)
@given(
    contract=contracts,
    prior=previous,
    modification=modifications,
    added=amounts,
    basis=st.sampled_from(BASES),
)
def test_adding_a_positive_modification_never_lowers_the_cumulative_percentages(
    contract: dict[str, Any],
    prior: list[Any],
    modification: dict[str, Any],
    added: Decimal,
    basis: str,
) -> None:
    before = run_or_none(situation(contract, prior, modification))
    assume(before is not None)
    more = [*prior, {"amount_ht": str(added), "basis": basis}]
    after = run_or_none(situation(contract, more, modification))
    assert after is not None
    assert before is not None
    assert Decimal(after["cumulative_percent"]) >= Decimal(before["cumulative_percent"])
    # R2194-9 is a *net* cumulation (directive art. 72 §2): a positive modification can
    # offset earlier reductions, so only the signed total is monotonic.
    assert Decimal(after["new_amount_ht"]) > Decimal(before["new_amount_ht"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(contract=contracts, prior=previous, amount=amounts, smaller=st.floats(0.01, 1.0))
def test_a_smaller_low_value_modification_is_allowed_when_a_larger_one_is(
    contract: dict[str, Any], prior: list[Any], amount: Decimal, smaller: float
) -> None:
    # R2194-9 cumulates *net* (directive art. 72 §2): after earlier reductions, a smaller
    # increase leaves the net total further below zero, and its absolute value can exceed the
    # limit where a larger increase brought it back near zero. The property holds from a
    # non-negative net total of earlier low-value modifications.
    earlier = sum(
        (Decimal(p["amount_ht"]) for p in prior if p.get("basis") == "R2194-8"), Decimal(0)
    )
    assume(earlier >= 0)
    modification = {"date": "2026-11-23", "amount_ht": str(amount), "kind": "faible_montant"}
    larger = run_or_none(situation(contract, prior, modification))
    assume(larger is not None and larger["verdict"] == "autorisee")
    reduced = (amount * Decimal(str(smaller))).quantize(Decimal("0.01"))
    assume(reduced > 0)
    lower = run_or_none(situation(contract, prior, {**modification, "amount_ht": str(reduced)}))
    assert lower is not None and lower["verdict"] == "autorisee"


near_valid = st.fixed_dictionaries(
    {},
    optional={
        "contract": contracts | st.dictionaries(st.sampled_from(["nature", "x"]), JSON_VALUES),
        "previous_modifications": previous | JSON_VALUES,
        "modification": modifications | JSON_VALUES,
        "extra": JSON_VALUES,
    },
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=near_valid | JSON_VALUES)
def test_random_or_malformed_json_never_produces_a_traceback(
    data: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert_answers_or_explains(*run(CHECK, json.dumps(data), monkeypatch, capsys))


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=80))
def test_random_text_never_produces_a_traceback(
    text: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(CHECK, text, monkeypatch, capsys)
    assert code in (0, 2), err
    assert "Traceback" not in err
