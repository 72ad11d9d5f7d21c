"""Cost of drift with and without AMO: the simulation's figures and chart."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from openamo.steering import RoiResult
from openamo.steering.enums import (
    SimulationMode,
)
from openamo.steering.roi import AdoptionResult, DelayResult
from openamo.web.charts import Chart, Series, bar_chart
from openamo.web.steering.presenters.labels import (
    euros,
    fraction,
    number,
)
from openamo.web.tables import Table


@dataclass(frozen=True)
class RoiView:
    """A cost-of-drift simulation in French: figures, hypotheses and their sources."""

    monte_carlo: bool
    runs: str
    seed: int | None
    budget: str
    ceiling: str
    margin_rate: str
    drift_without: str
    drift_with: str
    cost_without: str
    cost_with: str
    savings: str
    amo_cost: str
    net_savings: str
    ratio: str
    implied_amo_cost: str
    claimed: str | None
    probability_without: str
    probability_with: str
    assumptions: list[str]
    warnings: list[str]
    references: list[str]
    explanation: list[str]
    percentiles: Table | None
    delay: dict[str, str] | None
    adoption: dict[str, str] | None


PERCENTILE_LABELS = {
    "cost_without_amo_ht": "Coût final sans AMO",
    "cost_with_amo_ht": "Coût final avec AMO (honoraires exclus)",
    "savings_ht": "Économie",
}


def roi_view(result: RoiResult) -> RoiView:
    p = result.probability_over_budget_with_margin
    claimed = result.claimed_drift_prevented_per_euro
    percentiles = result.percentiles
    return RoiView(
        monte_carlo=result.mode is SimulationMode.MONTE_CARLO,
        runs=number(result.runs, 0),
        seed=result.seed,
        budget=euros(result.baseline_budget_ht),
        ceiling=euros(result.budget_with_margin_ht),
        margin_rate=fraction(result.margin_rate),
        drift_without=fraction(result.drift_without_amo),
        drift_with=fraction(result.drift_with_amo),
        cost_without=euros(result.cost_without_amo_ht),
        cost_with=euros(result.cost_with_amo_ht),
        savings=euros(result.savings_ht),
        amo_cost=euros(result.amo_cost_ht),
        net_savings=euros(result.net_savings_ht),
        ratio=number(result.drift_prevented_per_euro),
        implied_amo_cost=euros(result.implied_amo_cost_ht),
        claimed=number(claimed, 2) if claimed else None,
        probability_without=fraction(p.without_amo),
        probability_with=fraction(p.with_amo),
        assumptions=result.assumptions,
        warnings=result.warnings,
        references=result.references,
        explanation=result.explanation.splitlines(),
        percentiles={
            "header": ["", "P10", "P50 (médiane)", "P90"],
            "rows": [
                [
                    {"text": label},
                    {"text": euros(percentiles[key].p10)},
                    {"text": euros(percentiles[key].p50)},
                    {"text": euros(percentiles[key].p90)},
                ]
                for key, label in PERCENTILE_LABELS.items()
            ],
        }
        if percentiles
        else None,
        delay=_delay(result.delay),
        adoption=_adoption(result.adoption),
    )


def _delay(delay: DelayResult | None) -> dict[str, str] | None:
    if not delay:
        return None
    p = delay.probability_over_tolerance
    return {
        "planned": str(delay.baseline_duration_months),
        "without": number(delay.duration_without_amo_months, 1),
        "with": number(delay.duration_with_amo_months, 1),
        "prevented": number(delay.delay_prevented_months, 1),
        "tolerance": fraction(delay.schedule_tolerance),
        "probability_without": fraction(p.without_amo),
        "probability_with": fraction(p.with_amo),
    }


def _adoption(adoption: AdoptionResult | None) -> dict[str, str] | None:
    if not adoption:
        return None
    return {
        "without": fraction(adoption.adoption_without_amo, 0),
        "with": fraction(adoption.adoption_with_amo, 0),
    }


def roi_chart(result: RoiResult) -> Chart | None:
    """Histogram of the simulated final cost, without and with AMO (two series)."""
    distribution = result.distribution
    if not distribution:
        return None
    edges = distribution.bin_edges_ht
    labels = [f"{number(low / 1000, 0)}–{number(high / 1000, 0)}" for low, high in pairwise(edges)]
    return bar_chart(
        "Distribution du coût final simulé : nombre de tirages par tranche de coût (k€ HT)",
        [
            Series(
                "Sans AMO",
                [
                    (label, Decimal(n))
                    for label, n in zip(labels, distribution.without_amo, strict=True)
                ],
            ),
            Series(
                "Avec AMO",
                [
                    (label, Decimal(n))
                    for label, n in zip(labels, distribution.with_amo, strict=True)
                ],
            ),
        ],
    )
