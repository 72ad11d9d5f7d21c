"""Deterministic mode of ``amo projet roi``: the worked example of the source article, by hand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from openamo.errors import OpenAMOError
from openamo.steering import _data
from openamo.steering.roi import RoiResult, roi_from_dict

WORKED_EXAMPLE: dict[str, Any] = {
    "baseline_budget_ht": "75000.00",
    "drift_without_amo": "0.2666666667",
    "drift_with_amo": "0.10",
    "amo_cost_ht": "7350.00",
}


def roi(**changes: Any) -> RoiResult:
    return roi_from_dict({**WORKED_EXAMPLE, **changes})


def test_worked_example_75000_gives_95000_without_and_82500_with_amo() -> None:
    result = roi()
    assert result.mode.value == "deterministe"
    assert result.cost_without_amo_ht == Decimal("95000.00")
    assert result.cost_with_amo_ht == Decimal("82500.00")
    assert result.savings_ht == Decimal("12500.00")


def test_worked_example_prevents_1_70_euro_of_drift_per_euro_of_amo() -> None:
    # 12 500 / 7 350 = 1.7006…, rounded half up to two decimals.
    assert roi().drift_prevented_per_euro == Decimal("1.70")
    assert roi().net_savings_ht == Decimal("5150.00")


def test_claimed_ratio_of_1_7_implies_an_amo_cost_of_7352_94() -> None:
    result = roi(claimed_drift_prevented_per_euro="1.7")
    # 12 500 / 1.7 = 7 352.941… → 7 352.94
    assert result.implied_amo_cost_ht == Decimal("7352.94")
    plain = result.explanation.replace("\u202f", " ").replace("\u00a0", " ")
    assert "12 500,00 € / 1,7 = 7 352,94 €" in plain


def test_the_data_file_worked_example_is_what_the_engine_computes() -> None:
    example = _data.benchmarks().worked_example
    result = roi_from_dict(
        {
            "baseline_budget_ht": example["baseline_budget_ht"],
            "amo_cost_ht": example["implied_amo_cost_ht"],
            "claimed_drift_prevented_per_euro": example["claimed_drift_prevented_per_euro"],
        }
    )
    assert result.cost_without_amo_ht == Decimal(str(example["cost_without_amo_ht"]))
    assert result.cost_with_amo_ht == Decimal(str(example["cost_with_amo_ht"]))
    assert result.savings_ht == Decimal(str(example["savings_ht"]))
    assert result.implied_amo_cost_ht == Decimal(str(example["implied_amo_cost_ht"]))
    assert result.drift_prevented_per_euro == Decimal("1.70")


def test_defaults_come_from_the_benchmarks_file_with_their_sources() -> None:
    result = roi_from_dict({"baseline_budget_ht": "75000", "amo_cost_ht": "7350"})
    assert result.drift_without_amo == Decimal("0.2666666667")
    assert result.drift_with_amo == Decimal("0.10")
    assert any("Standish" in r for r in result.references)
    assert any("Digital Corpus" in r for r in result.references)
    assert any("peu sûre (source unique et intéressée)" in w for w in result.warnings)
    # the confidence is said in words, never by its code (« hypothese », « faible »)
    assert not any("hypothese" in w or "« faible »" in w for w in result.warnings)


def test_only_the_drift_without_amo_given_takes_off_the_worked_example_16_67_points() -> None:
    result = roi_from_dict(
        {"baseline_budget_ht": "100000", "amo_cost_ht": "5000", "drift_without_amo": "0.40"}
    )
    # 0.40 − 0.1666666667 = 0.2333333333 → 123 333.33 €
    assert result.drift_with_amo == Decimal("0.2333333333")
    assert result.cost_with_amo_ht == Decimal("123333.33")
    assert result.cost_without_amo_ht == Decimal("140000.00")


def test_a_small_drift_without_amo_is_not_reduced_below_zero() -> None:
    result = roi_from_dict(
        {"baseline_budget_ht": "100000", "amo_cost_ht": "5000", "drift_without_amo": "0.05"}
    )
    assert result.drift_with_amo == Decimal(0)
    assert result.cost_with_amo_ht == Decimal("100000.00")


def test_hand_computed_case_120000_with_30_and_5_percent_drift() -> None:
    result = roi_from_dict(
        {
            "baseline_budget_ht": "120000",
            "drift_without_amo": "0.30",
            "drift_with_amo": "0.05",
            "amo_cost_ht": "10000",
        }
    )
    assert result.cost_without_amo_ht == Decimal("156000.00")
    assert result.cost_with_amo_ht == Decimal("126000.00")
    assert result.savings_ht == Decimal("30000.00")
    assert result.drift_prevented_per_euro == Decimal("3.00")
    assert result.budget_with_margin_ht == Decimal("132000.00")


def test_deterministic_probability_of_exceeding_budget_plus_margin_is_certain_or_impossible() -> (
    None
):
    result = roi()
    # 95 000 > 82 500 ; 82 500 is not strictly above 82 500.
    assert result.probability_over_budget_with_margin.without_amo == Decimal("1.0000")
    assert result.probability_over_budget_with_margin.with_amo == Decimal("0.0000")


def test_amo_that_costs_more_than_it_saves_gives_a_negative_net_and_a_warning() -> None:
    result = roi(amo_cost_ht="20000")
    assert result.drift_prevented_per_euro == Decimal("0.63")
    assert result.net_savings_ht == Decimal("-7500.00")
    assert any("moins de 1 €" in w for w in result.warnings)


def test_drift_with_amo_above_drift_without_gives_negative_savings_not_an_error() -> None:
    result = roi(drift_with_amo="0.30")
    assert result.savings_ht == Decimal("-2500.00")
    assert any("ne réduit pas la dérive" in w for w in result.warnings)


def test_percent_notation_is_read_as_a_fraction() -> None:
    assert roi(drift_with_amo="10 %").cost_with_amo_ht == Decimal("82500.00")


def test_delay_and_adoption_in_deterministic_mode() -> None:
    result = roi(baseline_duration_months=10, adoption_without_amo="0.45")
    assert result.delay is not None and result.adoption is not None
    # 10 × 1.24 = 12.4 months ; 10 × (1 + 0.24 − 0.16) = 10.8 months
    assert result.delay.duration_without_amo_months == Decimal("12.4")
    assert result.delay.duration_with_amo_months == Decimal("10.8")
    assert result.delay.delay_prevented_months == Decimal("1.6")
    assert result.adoption.adoption_with_amo == Decimal("0.71")


def test_adoption_gain_is_capped_at_100_percent() -> None:
    result = roi(adoption_without_amo="0.90")
    assert result.adoption is not None
    assert result.adoption.adoption_with_amo == Decimal(1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"baseline_budget_ht": "0"}, "strictement positif"),
        ({"amo_cost_ht": "0"}, "coût de l'AMO"),
        ({"drift_without_amo": "-1"}, "valeur trop petite"),
        ({"runs": -1}, "valeur trop petite"),
        ({"runs": True}, "entier"),
        ({"delay_with_amo": "0.1"}, "durée prévue du projet"),
        ({"unknown": 1}, "champ inconnu"),
        ({"drift_with_amo": "beaucoup"}, "nombre invalide"),
    ],
)
def test_invalid_inputs_raise_one_french_error(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(OpenAMOError) as raised:
        roi(**changes)
    assert message in str(raised.value)


def test_amounts_beyond_the_contract_limits_are_refused_in_french() -> None:
    with pytest.raises(OpenAMOError, match="hors limites"):
        roi(baseline_budget_ht="900000000000000", drift_without_amo="5")
