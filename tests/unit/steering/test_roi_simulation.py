"""Monte-Carlo mode: seeded reproducibility and distribution sanity against closed forms.

Tolerances are a few standard errors wide: a biased or unseeded simulation fails them.
"""

from __future__ import annotations

import math
from decimal import Decimal
from statistics import NormalDist
from typing import Any

import numpy as np
import pytest

from openamo.steering import _data
from openamo.steering.roi import RoiResult, lognormal_factors, roi_from_dict, simulate_costs

BASE: dict[str, Any] = {
    "baseline_budget_ht": "75000.00",
    "drift_without_amo": "0.2666666667",
    "drift_with_amo": "0.10",
    "amo_cost_ht": "7350.00",
    "runs": 100_000,
    "seed": 7,
}
SIGMA = 0.21
NORMAL = NormalDist()


def simulate(**changes: Any) -> RoiResult:
    return roi_from_dict({**BASE, **changes})


def lognormal_cdf(x: float, mean_drift: float, sigma: float) -> float:
    location = math.log1p(mean_drift) - sigma * sigma / 2
    return NORMAL.cdf((math.log(x) - location) / sigma)


def test_same_seed_gives_the_same_result_to_the_cent() -> None:
    first, second = simulate(), simulate()
    assert first.model_dump() == second.model_dump()


def test_another_seed_gives_another_sample() -> None:
    assert simulate(seed=8).cost_without_amo_ht != simulate(seed=7).cost_without_amo_ht


def test_absent_seed_defaults_to_zero_and_is_reported() -> None:
    changes = {k: v for k, v in BASE.items() if k != "seed"}
    result = roi_from_dict(changes)
    assert result.seed == 0
    assert result.model_dump() == simulate(seed=0).model_dump()


def test_expected_costs_converge_to_the_deterministic_worked_example() -> None:
    result = simulate()
    # Standard error of the mean ≈ 75 000 × 1.27 × 0.21 / √100 000 ≈ 63 €: 0.5 % is ~7 errors.
    assert float(result.cost_without_amo_ht) == pytest.approx(95_000, rel=0.005)
    assert float(result.cost_with_amo_ht) == pytest.approx(82_500, rel=0.005)
    assert float(result.savings_ht) == pytest.approx(12_500, rel=0.01)
    assert result.drift_prevented_per_euro in {Decimal("1.69"), Decimal("1.70"), Decimal("1.71")}


def test_median_matches_the_lognormal_closed_form() -> None:
    result = simulate()
    assert result.percentiles is not None
    location = math.log1p(0.2666666667) - SIGMA * SIGMA / 2
    assert float(result.percentiles["cost_without_amo_ht"].p50) == pytest.approx(
        75_000 * math.exp(location), rel=0.005
    )


def test_p10_p50_p90_are_ordered_and_the_amo_shifts_the_whole_distribution_down() -> None:
    result = simulate()
    assert result.percentiles is not None
    for key in ("cost_without_amo_ht", "cost_with_amo_ht", "savings_ht"):
        q = result.percentiles[key]
        assert q.p10 < q.p50 < q.p90
    without, with_amo = (result.percentiles[k] for k in ("cost_without_amo_ht", "cost_with_amo_ht"))
    assert with_amo.p90 < without.p90 and with_amo.p10 < without.p10


def test_probability_of_exceeding_budget_plus_margin_matches_the_closed_form() -> None:
    result = simulate()
    p = result.probability_over_budget_with_margin
    expected_without = 1 - lognormal_cdf(1.10, 0.2666666667, SIGMA)  # ≈ 0.7146
    expected_with = 1 - lognormal_cdf(1.10, 0.10, SIGMA)  # ≈ 0.4582
    # Binomial standard error ≤ 0.0016 for 100 000 runs.
    assert float(p.without_amo) == pytest.approx(expected_without, abs=0.008)
    assert float(p.with_amo) == pytest.approx(expected_with, abs=0.008)


def test_default_dispersion_reproduces_its_calibration_18_percent_over_50_percent() -> None:
    sigma = float(_data.benchmarks().value("cost_dispersion"))
    without, _ = simulate_costs(1.0, 0.2666666667, 0.10, sigma, 200_000, np.random.default_rng(1))
    assert float(np.mean(without > 1.5)) == pytest.approx(0.18, abs=0.01)


def test_default_delay_dispersion_puts_one_project_in_six_beyond_70_percent_late() -> None:
    sigma = float(_data.benchmarks().value("delay_dispersion"))
    factors = lognormal_factors(np.random.default_rng(2).standard_normal(200_000), 0.24, sigma)
    assert float(np.mean(factors > 1.7)) == pytest.approx(1 / 6, abs=0.01)


def test_common_random_numbers_make_every_draw_cheaper_with_amo() -> None:
    without, with_amo = simulate_costs(
        75_000, 0.2667, 0.10, SIGMA, 10_000, np.random.default_rng(3)
    )
    assert without.shape == with_amo.shape == (10_000,)
    assert bool(np.all(with_amo < without))
    ratio = with_amo / without
    assert float(ratio.min()) == pytest.approx(float(ratio.max()))  # same Z, same σ


def test_zero_dispersion_collapses_the_simulation_onto_the_deterministic_result() -> None:
    result = simulate(cost_dispersion="0", runs=1000)
    assert result.cost_without_amo_ht == Decimal("95000.00")
    assert result.cost_with_amo_ht == Decimal("82500.00")
    assert result.percentiles is not None
    assert result.percentiles["savings_ht"].p10 == Decimal("12500.00")


def test_histogram_counts_every_run_once() -> None:
    result = simulate(runs=20_000, histogram_bins=25)
    assert result.distribution is not None
    d = result.distribution
    assert len(d.bin_edges_ht) == 26 and len(d.without_amo) == 25
    assert sum(d.without_amo) + d.above_range_without_amo == 20_000
    assert sum(d.with_amo) + d.above_range_with_amo == 20_000
    assert d.above_range_without_amo > 0  # the range stops at the P99.5 of the costs without AMO


def test_simulated_delay_is_reproducible_and_shorter_with_amo() -> None:
    result = simulate(baseline_duration_months=12)
    assert result.delay is not None and result.delay.percentiles is not None
    # Expected 12 × 1.24 = 14.88 and 12 × 1.08 = 12.96 months.
    assert float(result.delay.duration_without_amo_months) == pytest.approx(14.88, abs=0.1)
    assert float(result.delay.duration_with_amo_months) == pytest.approx(12.96, abs=0.1)
    assert result.delay.probability_over_tolerance.with_amo < (
        result.delay.probability_over_tolerance.without_amo
    )


def test_few_runs_are_flagged_as_unstable() -> None:
    assert any("instables" in w for w in simulate(runs=200).warnings)


def test_the_fat_tail_caveat_is_always_stated_in_monte_carlo_mode() -> None:
    assert any("queue épaisse" in w for w in simulate(runs=1000).warnings)
