"""Cost of drift with and without AMO: deterministic worked example and Monte-Carlo simulation.

``amo projet roi`` — input (ARCHITECTURE.md contract, plus documented optional fields):

- ``baseline_budget_ht`` (amount > 0): budget of the project as framed, AMO fee excluded;
- ``amo_cost_ht`` (amount > 0): the AMO's own fee;
- ``drift_without_amo``, ``drift_with_amo`` (fractions, "0.10" = 10 %): mean budget drift each
  way. Defaults: the published figures of ``steering/data/benchmarks.yaml`` (26.67 % without,
  and, with AMO, 10 % — or the drift without AMO minus 16.67 points when only that one is given);
- ``runs`` (0 or absent: deterministic; up to 1 000 000 Monte-Carlo draws), ``seed`` (default 0);
- ``margin_rate`` (default 0.10): budget margin; the result gives the probability of exceeding
  budget + margin;
- ``cost_dispersion`` (default 0.21): σ of the log of final cost / budget (log-normal law);
- ``baseline_duration_months`` (optional) with ``delay_without_amo`` (default 0.24),
  ``delay_with_amo`` (default: without − 0.16) and ``delay_dispersion`` (default 0.42);
- ``adoption_without_amo`` (optional fraction): adoption rate at M+3 expected without AMO;
- ``claimed_drift_prevented_per_euro`` (optional): a ratio announced by a vendor, from which the
  implied AMO cost is derived (the worked example announces 1.7);
- ``histogram_bins`` (default 20): bins of the simulated cost distribution (charts);
- ``project`` (optional): name shown in the text output.

Output: ``mode`` ("deterministe" | "monte_carlo"), ``runs``, ``seed``, ``baseline_budget_ht``,
``margin_rate``, ``budget_with_margin_ht``, ``drift_without_amo``, ``drift_with_amo``,
``cost_without_amo_ht`` / ``cost_with_amo_ht`` (expected final project cost, AMO fee excluded),
``savings_ht``, ``amo_cost_ht``, ``net_savings_ht`` (savings − AMO fee),
``drift_prevented_per_euro`` (savings / AMO cost, two decimals), ``break_even_amo_cost_ht``,
``claimed_drift_prevented_per_euro`` and ``implied_amo_cost_ht`` (savings / claimed ratio),
``probability_over_budget_with_margin`` ({"without_amo", "with_amo"}, 0 or 1 in deterministic
mode), ``percentiles`` (Monte-Carlo: P10/P50/P90 of cost each way and of savings), ``delay``,
``adoption``, ``distribution`` (histogram), ``assumptions``, ``warnings``, ``sources``,
``references``, ``explanation``. Ratios and probabilities are decimal strings.

The simulation draws one standard normal per run and per dimension (cost, delay), shared by the
"with" and "without" scenarios (common random numbers: each run compares the same project with
and without AMO). Final cost = budget × exp(μ + σZ) with μ = ln(1 + mean drift) − σ²/2, so the
expected final cost is exactly budget × (1 + mean drift). NumPy floats are used only inside the
simulation; every figure leaves it as a Decimal rounded half up to the cent.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import Field, StrictInt, model_validator

from openamo.money import format_euros
from openamo.steering import _data
from openamo.steering._types import (
    DecimalText,
    Fraction,
    bounded_amount,
    french_number,
    french_percent,
    quantize,
)
from openamo.steering.enums import SimulationMode
from openamo.validation import Amount, InputModel, OutputModel, SignedAmount, parse_input

MAX_RUNS = 1_000_000
FloatArray = npt.NDArray[np.float64]


class RoiInput(InputModel):
    baseline_budget_ht: Amount
    amo_cost_ht: Amount
    drift_without_amo: Fraction | None = Field(default=None, ge=Decimal("-0.9"), le=10)
    drift_with_amo: Fraction | None = Field(default=None, ge=Decimal("-0.9"), le=10)
    runs: StrictInt | None = Field(default=None, ge=0, le=MAX_RUNS)
    seed: StrictInt | None = Field(default=None, ge=0, le=2**63 - 1)
    margin_rate: Fraction | None = Field(default=None, ge=0, le=1)
    cost_dispersion: Fraction | None = Field(default=None, ge=0, le=2)
    baseline_duration_months: StrictInt | None = Field(default=None, ge=1, le=240)
    delay_without_amo: Fraction | None = Field(default=None, ge=Decimal("-0.9"), le=10)
    delay_with_amo: Fraction | None = Field(default=None, ge=Decimal("-0.9"), le=10)
    delay_dispersion: Fraction | None = Field(default=None, ge=0, le=2)
    adoption_without_amo: Fraction | None = Field(default=None, ge=0, le=1)
    claimed_drift_prevented_per_euro: Fraction | None = Field(default=None, gt=0, le=1000)
    histogram_bins: StrictInt = Field(default=20, ge=2, le=200)
    project: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _positive_amounts(self) -> RoiInput:
        if self.baseline_budget_ht <= 0:
            raise ValueError("le budget de référence doit être strictement positif")
        if self.amo_cost_ht <= 0:
            raise ValueError("le coût de l'AMO doit être strictement positif")
        delay_fields = (self.delay_without_amo, self.delay_with_amo, self.delay_dispersion)
        if self.baseline_duration_months is None and any(v is not None for v in delay_fields):
            raise ValueError(
                "les retards supposent la durée prévue du projet (durée de référence, en mois)"
            )
        return self


class Percentiles(OutputModel):
    p10: SignedAmount
    p50: SignedAmount
    p90: SignedAmount


class MonthPercentiles(OutputModel):
    p10: DecimalText
    p50: DecimalText
    p90: DecimalText


class Probabilities(OutputModel):
    without_amo: DecimalText
    with_amo: DecimalText


class DelayResult(OutputModel):
    baseline_duration_months: int
    delay_without_amo: DecimalText
    delay_with_amo: DecimalText
    duration_without_amo_months: DecimalText
    duration_with_amo_months: DecimalText
    delay_prevented_months: DecimalText
    schedule_tolerance: DecimalText
    probability_over_tolerance: Probabilities
    percentiles: dict[str, MonthPercentiles] | None


class AdoptionResult(OutputModel):
    adoption_without_amo: DecimalText
    adoption_with_amo: DecimalText
    gain_points: DecimalText


class Distribution(OutputModel):
    bin_edges_ht: list[Amount]
    without_amo: list[int]
    with_amo: list[int]
    above_range_without_amo: int
    above_range_with_amo: int


class SourceInfo(OutputModel):
    id: str
    citation: str
    url: str | None
    confidence: str
    checked_on: str


class RoiResult(OutputModel):
    project: str | None
    mode: SimulationMode
    runs: int
    seed: int | None
    baseline_budget_ht: Amount
    margin_rate: DecimalText
    budget_with_margin_ht: Amount
    drift_without_amo: DecimalText
    drift_with_amo: DecimalText
    cost_without_amo_ht: Amount
    cost_with_amo_ht: Amount
    savings_ht: SignedAmount
    amo_cost_ht: Amount
    net_savings_ht: SignedAmount
    drift_prevented_per_euro: DecimalText
    break_even_amo_cost_ht: SignedAmount
    claimed_drift_prevented_per_euro: DecimalText | None
    implied_amo_cost_ht: SignedAmount | None
    probability_over_budget_with_margin: Probabilities
    percentiles: dict[str, Percentiles] | None
    delay: DelayResult | None
    adoption: AdoptionResult | None
    distribution: Distribution | None
    assumptions: list[str]
    warnings: list[str]
    sources: list[SourceInfo]
    references: list[str]
    explanation: str


@dataclass(frozen=True)
class Hypotheses:
    """Every parameter of the model, with where its value comes from."""

    drift_without: Decimal
    drift_with: Decimal
    margin_rate: Decimal
    cost_dispersion: Decimal
    delay_without: Decimal | None
    delay_with: Decimal | None
    delay_dispersion: Decimal | None
    assumptions: tuple[str, ...]
    sources: tuple[str, ...]
    warnings: tuple[str, ...]


def roi_from_dict(data: Any) -> RoiResult:
    """Validate a JSON-like dict (CLI/API contract) and compute the cost of drift."""
    return compute_roi(parse_input(RoiInput, data))


def compute_roi(data: RoiInput) -> RoiResult:
    hypotheses = resolve_hypotheses(data)
    runs = data.runs or 0
    if runs == 0:
        return _deterministic(data, hypotheses)
    return _monte_carlo(data, hypotheses, runs, data.seed if data.seed is not None else 0)


# ---------------------------------------------------------------------------------------------
# Hypotheses: user values first, then the published defaults of benchmarks.yaml


def resolve_hypotheses(data: RoiInput) -> Hypotheses:
    bench = _data.benchmarks()
    limits = _data.thresholds()
    assumptions: list[str] = []
    sources: list[str] = []
    warnings: list[str] = []

    def default(name: str, text: str) -> Decimal:
        figure = bench.figure(name)
        shown = (
            french_number(figure.value)
            if name.endswith("dispersion")
            else french_percent(figure.value)
        )
        assumptions.append(f"{text} : {shown} par défaut ({_cite(name)}).")
        for source in figure.sources:
            if source not in sources:
                sources.append(source)
        if figure.confidence in {"faible", "hypothese"}:
            warnings.append(
                f"{text} : valeur par défaut peu sûre "
                f"({_data.CONFIDENCE_LABELS[figure.confidence]}) — "
                "remplacez-la par vos propres données si vous en avez."
            )
        return figure.value

    for value, text in (
        (data.drift_without_amo, "Dérive budgétaire moyenne sans AMO"),
        (data.drift_with_amo, "Dérive budgétaire moyenne avec AMO"),
    ):
        if value is not None:
            assumptions.append(f"{text} : {french_percent(value)} (saisie).")
    drift_without = data.drift_without_amo
    if drift_without is None:
        drift_without = default("cost_drift_without_amo", "Dérive budgétaire moyenne sans AMO")
    drift_with = data.drift_with_amo
    if drift_with is None:
        if data.drift_without_amo is None:
            drift_with = default("cost_drift_with_amo", "Dérive budgétaire moyenne avec AMO")
        else:
            cut = default("amo_cost_drift_reduction_points", "Baisse de dérive due à l'AMO")
            drift_with = _reduced(drift_without, cut)
    margin = data.margin_rate
    if margin is None:
        margin = limits.default_margin_rate.value
        assumptions.append(
            f"Marge budgétaire : {french_percent(margin)} par défaut (« budget maximal + 10 % de "
            "marge », question 6 du cadrage)."
        )
    dispersion = data.cost_dispersion
    if dispersion is None and data.runs:
        dispersion = default("cost_dispersion", "Dispersion du coût final (σ log-normal)")
    delays = _delay_hypotheses(data, default)
    return Hypotheses(
        drift_without=drift_without,
        drift_with=drift_with,
        margin_rate=margin,
        cost_dispersion=dispersion if dispersion is not None else bench.value("cost_dispersion"),
        delay_without=delays[0],
        delay_with=delays[1],
        delay_dispersion=delays[2],
        assumptions=tuple(assumptions),
        sources=tuple(sources),
        warnings=tuple(warnings),
    )


def _delay_hypotheses(
    data: RoiInput, default: Callable[[str, str], Decimal]
) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    if data.baseline_duration_months is None:
        return None, None, None
    without = data.delay_without_amo
    if without is None:
        without = default("delay_without_amo", "Retard moyen sans AMO")
    with_amo = data.delay_with_amo
    if with_amo is None:
        cut = default("amo_delay_reduction_points", "Baisse du retard due à l'AMO")
        with_amo = _reduced(without, cut)
    dispersion = data.delay_dispersion
    if dispersion is None and data.runs:
        dispersion = default("delay_dispersion", "Dispersion de la durée finale (σ log-normal)")
    return without, with_amo, dispersion


def _reduced(value: Decimal, cut: Decimal) -> Decimal:
    """``value − cut`` in points, never below zero when the value was an overrun."""
    if value <= 0:
        return value
    return max(Decimal(0), value - cut)


def _cite(figure_name: str) -> str:
    bench = _data.benchmarks()
    return " ; ".join(bench.sources[s].short for s in bench.figure(figure_name).sources)


# ---------------------------------------------------------------------------------------------
# Deterministic mode: the worked example


def _deterministic(data: RoiInput, hyp: Hypotheses) -> RoiResult:
    budget = data.baseline_budget_ht
    ceiling = bounded_amount(budget * (1 + hyp.margin_rate), "budget avec marge")
    without = bounded_amount(budget * (1 + hyp.drift_without), "coût final")
    with_amo = bounded_amount(budget * (1 + hyp.drift_with), "coût final")
    probabilities = Probabilities(
        without_amo=_certain(without > ceiling), with_amo=_certain(with_amo > ceiling)
    )
    delay = _deterministic_delay(data, hyp)
    return _result(
        data,
        hyp,
        SimulationMode.DETERMINISTE,
        0,
        None,
        without,
        with_amo,
        probabilities,
        None,
        delay,
        None,
    )


def _deterministic_delay(data: RoiInput, hyp: Hypotheses) -> DelayResult | None:
    if data.baseline_duration_months is None:
        return None
    assert hyp.delay_without is not None and hyp.delay_with is not None
    months = Decimal(data.baseline_duration_months)
    tolerance = _data.thresholds().schedule_tolerance.value
    without = quantize(months * (1 + hyp.delay_without), 1)
    with_amo = quantize(months * (1 + hyp.delay_with), 1)
    return DelayResult(
        baseline_duration_months=data.baseline_duration_months,
        delay_without_amo=hyp.delay_without,
        delay_with_amo=hyp.delay_with,
        duration_without_amo_months=without,
        duration_with_amo_months=with_amo,
        delay_prevented_months=without - with_amo,
        schedule_tolerance=tolerance,
        probability_over_tolerance=Probabilities(
            without_amo=_certain(hyp.delay_without > tolerance),
            with_amo=_certain(hyp.delay_with > tolerance),
        ),
        percentiles=None,
    )


# ---------------------------------------------------------------------------------------------
# Monte-Carlo mode (NumPy, vectorised, seeded)


def lognormal_factors(normals: FloatArray, mean_drift: float, dispersion: float) -> FloatArray:
    """Final / initial ratio for each draw, with expectation exactly ``1 + mean_drift``."""
    location = math.log1p(mean_drift) - dispersion * dispersion / 2
    return np.exp(location + dispersion * normals)


def simulate_costs(
    budget: float,
    drift_without: float,
    drift_with: float,
    dispersion: float,
    runs: int,
    rng: np.random.Generator,
) -> tuple[FloatArray, FloatArray]:
    """Simulated final costs without and with AMO (common random numbers), in euros (floats)."""
    normals = rng.standard_normal(runs)
    return (
        budget * lognormal_factors(normals, drift_without, dispersion),
        budget * lognormal_factors(normals, drift_with, dispersion),
    )


def _monte_carlo(data: RoiInput, hyp: Hypotheses, runs: int, seed: int) -> RoiResult:
    rng = np.random.default_rng(seed)
    without, with_amo = simulate_costs(
        float(data.baseline_budget_ht),
        float(hyp.drift_without),
        float(hyp.drift_with),
        float(hyp.cost_dispersion),
        runs,
        rng,
    )
    ceiling = bounded_amount(data.baseline_budget_ht * (1 + hyp.margin_rate), "budget avec marge")
    probabilities = Probabilities(
        without_amo=_share(without > float(ceiling)),
        with_amo=_share(with_amo > float(ceiling)),
    )
    percentiles = {
        "cost_without_amo_ht": _percentiles(without),
        "cost_with_amo_ht": _percentiles(with_amo),
        "savings_ht": _percentiles(without - with_amo),
    }
    delay = _simulated_delay(data, hyp, rng, runs)
    distribution = _histogram(without, with_amo, data.histogram_bins)
    return _result(
        data,
        hyp,
        SimulationMode.MONTE_CARLO,
        runs,
        seed,
        _money(without.mean()),
        _money(with_amo.mean()),
        probabilities,
        percentiles,
        delay,
        distribution,
    )


def _simulated_delay(
    data: RoiInput, hyp: Hypotheses, rng: np.random.Generator, runs: int
) -> DelayResult | None:
    if data.baseline_duration_months is None:
        return None
    assert hyp.delay_without is not None and hyp.delay_with is not None
    assert hyp.delay_dispersion is not None
    normals = rng.standard_normal(runs)
    months = float(data.baseline_duration_months)
    dispersion = float(hyp.delay_dispersion)
    without = months * lognormal_factors(normals, float(hyp.delay_without), dispersion)
    with_amo = months * lognormal_factors(normals, float(hyp.delay_with), dispersion)
    tolerance = _data.thresholds().schedule_tolerance.value
    limit = months * (1 + float(tolerance))
    mean_without = _months(without.mean())
    mean_with = _months(with_amo.mean())
    return DelayResult(
        baseline_duration_months=data.baseline_duration_months,
        delay_without_amo=hyp.delay_without,
        delay_with_amo=hyp.delay_with,
        duration_without_amo_months=mean_without,
        duration_with_amo_months=mean_with,
        delay_prevented_months=mean_without - mean_with,
        schedule_tolerance=tolerance,
        probability_over_tolerance=Probabilities(
            without_amo=_share(without > limit), with_amo=_share(with_amo > limit)
        ),
        percentiles={
            "duration_without_amo_months": _month_percentiles(without),
            "duration_with_amo_months": _month_percentiles(with_amo),
        },
    )


def _histogram(without: FloatArray, with_amo: FloatArray, bins: int) -> Distribution:
    low = float(min(without.min(), with_amo.min()))
    high = float(np.percentile(without, 99.5))
    if high <= low:
        high = low + 1.0
    counts_without, edges = np.histogram(without, bins=bins, range=(low, high))
    counts_with, _ = np.histogram(with_amo, bins=edges)
    return Distribution(
        bin_edges_ht=[_money(edge) for edge in edges],
        without_amo=[int(c) for c in counts_without],
        with_amo=[int(c) for c in counts_with],
        above_range_without_amo=int(np.count_nonzero(without > edges[-1])),
        above_range_with_amo=int(np.count_nonzero(with_amo > edges[-1])),
    )


def _money(value: float | np.floating[Any]) -> Decimal:
    """Leave the float world: exact binary value, then rounded half up to the cent."""
    return bounded_amount(Decimal(float(value)), "montant simulé")


def _months(value: float | np.floating[Any]) -> Decimal:
    return quantize(Decimal(float(value)), 1)


def _certain(event: bool) -> Decimal:
    """Probability of an event in deterministic mode: certain or impossible."""
    return quantize(Decimal(1 if event else 0), 4)


def _share(mask: npt.NDArray[np.bool_]) -> Decimal:
    return quantize(Decimal(int(np.count_nonzero(mask))) / Decimal(mask.size), 4)


def _percentiles(values: FloatArray) -> Percentiles:
    p10, p50, p90 = np.percentile(values, [10, 50, 90])
    return Percentiles(p10=_money(p10), p50=_money(p50), p90=_money(p90))


def _month_percentiles(values: FloatArray) -> MonthPercentiles:
    p10, p50, p90 = np.percentile(values, [10, 50, 90])
    return MonthPercentiles(p10=_months(p10), p50=_months(p50), p90=_months(p90))


# ---------------------------------------------------------------------------------------------
# Result, explanation, references


def _result(
    data: RoiInput,
    hyp: Hypotheses,
    mode: SimulationMode,
    runs: int,
    seed: int | None,
    without: Decimal,
    with_amo: Decimal,
    probabilities: Probabilities,
    percentiles: dict[str, Percentiles] | None,
    delay: DelayResult | None,
    distribution: Distribution | None,
) -> RoiResult:
    savings = without - with_amo
    ratio = quantize(savings / data.amo_cost_ht, 2)
    claimed = data.claimed_drift_prevented_per_euro
    implied = bounded_amount(savings / claimed, "coût implicite") if claimed else None
    warnings = [*hyp.warnings, *_warnings(data, hyp, mode, runs, savings, ratio)]
    adoption = _adoption(data, hyp)
    source_ids = _source_ids(hyp, mode)
    bench = _data.benchmarks()
    result = RoiResult(
        project=data.project,
        mode=mode,
        runs=runs,
        seed=seed,
        baseline_budget_ht=data.baseline_budget_ht,
        margin_rate=hyp.margin_rate,
        budget_with_margin_ht=bounded_amount(data.baseline_budget_ht * (1 + hyp.margin_rate)),
        drift_without_amo=hyp.drift_without,
        drift_with_amo=hyp.drift_with,
        cost_without_amo_ht=without,
        cost_with_amo_ht=with_amo,
        savings_ht=savings,
        amo_cost_ht=data.amo_cost_ht,
        net_savings_ht=bounded_amount(savings - data.amo_cost_ht, "gain net"),
        drift_prevented_per_euro=ratio,
        break_even_amo_cost_ht=savings,
        claimed_drift_prevented_per_euro=claimed,
        implied_amo_cost_ht=implied,
        probability_over_budget_with_margin=probabilities,
        percentiles=percentiles,
        delay=delay,
        adoption=adoption,
        distribution=distribution,
        assumptions=[*hyp.assumptions, *_model_assumptions(mode, hyp)],
        warnings=warnings,
        sources=[_source_info(s) for s in source_ids],
        references=[bench.reference(s) for s in source_ids],
        explanation="",
    )
    return result.model_copy(update={"explanation": _explain(result, data)})


def _adoption(data: RoiInput, hyp: Hypotheses) -> AdoptionResult | None:
    if data.adoption_without_amo is None:
        return None
    gain = _data.benchmarks().value("adoption_gain_points_m3")
    return AdoptionResult(
        adoption_without_amo=data.adoption_without_amo,
        adoption_with_amo=min(Decimal(1), data.adoption_without_amo + gain),
        gain_points=gain,
    )


def _source_ids(hyp: Hypotheses, mode: SimulationMode) -> list[str]:
    ids = list(hyp.sources)
    for always in ("standish_chaos_2020", "digital_corpus_amo_it"):
        if always not in ids:
            ids.append(always)
    if mode is SimulationMode.MONTE_CARLO and "flyvbjerg_budzier_2011" not in ids:
        ids.append("flyvbjerg_budzier_2011")
    return ids


def _source_info(source_id: str) -> SourceInfo:
    source = _data.benchmarks().sources[source_id]
    return SourceInfo(
        id=source_id,
        citation=source.citation,
        url=source.url,
        confidence=source.confidence,
        checked_on=source.checked_on.isoformat(),
    )


def _model_assumptions(mode: SimulationMode, hyp: Hypotheses) -> list[str]:
    lines = [
        "Les honoraires de l'AMO sont exclus du coût final du projet ; ils sont comparés à "
        "l'économie (dérive évitée par euro d'AMO)."
    ]
    if mode is SimulationMode.MONTE_CARLO:
        lines.append(
            "Coût final = budget × exp(μ + σZ), Z normale centrée réduite, μ = ln(1 + dérive "
            f"moyenne) − σ²/2 (espérance exacte), σ = {french_number(hyp.cost_dispersion)} ; "
            "le même tirage Z sert aux scénarios avec et sans AMO (même projet comparé)."
        )
    return lines


def _warnings(
    data: RoiInput,
    hyp: Hypotheses,
    mode: SimulationMode,
    runs: int,
    savings: Decimal,
    ratio: Decimal,
) -> list[str]:
    found: list[str] = []
    if hyp.drift_with >= hyp.drift_without:
        found.append("Dans vos hypothèses, l'AMO ne réduit pas la dérive : aucune économie.")
    elif ratio < 1:
        found.append(
            "L'AMO coûte plus qu'elle n'évite de dérive (moins de 1 € évité par euro) : son "
            "intérêt doit venir d'ailleurs (adoption, sécurité juridique, réversibilité)."
        )
    if mode is SimulationMode.DETERMINISTE and data.seed is not None:
        found.append("« seed » est ignoré en mode déterministe (runs absent ou 0).")
    if mode is SimulationMode.MONTE_CARLO:
        if runs < 1000:
            found.append("Moins de 1 000 tirages : les percentiles sont instables.")
        found.append(
            "La loi log-normale sous-estime la queue épaisse des projets informatiques (un projet "
            "sur six dépasse son budget de 200 % en moyenne selon Flyvbjerg et Budzier 2011) : "
            "le P90 est optimiste."
        )
    return found


def _explain(result: RoiResult, data: RoiInput) -> str:
    budget = format_euros(result.baseline_budget_ht)
    lines = [
        f"Budget initial {budget} HT, marge de {french_percent(result.margin_rate)} : plafond "
        f"{format_euros(result.budget_with_margin_ht)} HT.",
    ]
    if result.mode is SimulationMode.DETERMINISTE:
        lines += [
            f"Sans AMO, dérive de {french_percent(result.drift_without_amo)} : {budget} × (1 + "
            f"{french_number(result.drift_without_amo, 4)}) = "
            f"{format_euros(result.cost_without_amo_ht)} HT.",
            f"Avec AMO, dérive de {french_percent(result.drift_with_amo)} : {budget} × (1 + "
            f"{french_number(result.drift_with_amo, 4)}) = {format_euros(result.cost_with_amo_ht)}"
            " HT (honoraires d'AMO exclus).",
        ]
    else:
        runs = f"{result.runs:,}".replace(",", "\u202f")
        lines.append(
            f"Sur {runs} tirages (graine {result.seed}), coût final moyen sans AMO {format_euros(result.cost_without_amo_ht)} HT, avec AMO "
            f"{format_euros(result.cost_with_amo_ht)} HT (honoraires d'AMO exclus)."
        )
        assert result.percentiles is not None
        for key, label in (("cost_without_amo_ht", "sans AMO"), ("cost_with_amo_ht", "avec AMO")):
            p = result.percentiles[key]
            lines.append(
                f"Coût {label} : P10 {format_euros(p.p10)}, P50 {format_euros(p.p50)}, "
                f"P90 {format_euros(p.p90)}."
            )
    probability = result.probability_over_budget_with_margin
    lines += [
        f"Économie : {format_euros(result.cost_without_amo_ht)} − "
        f"{format_euros(result.cost_with_amo_ht)} = {format_euros(result.savings_ht)}.",
        f"Coût de l'AMO {format_euros(result.amo_cost_ht)} : {format_euros(result.savings_ht)} / "
        f"{format_euros(result.amo_cost_ht)} = {french_number(result.drift_prevented_per_euro)} € "
        f"de dérive évitée par euro d'AMO ; gain net {format_euros(result.net_savings_ht)}.",
        "Probabilité de dépasser le budget + marge : "
        f"{french_percent(probability.without_amo)} sans AMO, "
        f"{french_percent(probability.with_amo)} avec AMO.",
    ]
    if result.implied_amo_cost_ht is not None and data.claimed_drift_prevented_per_euro:
        lines.append(
            f"Ratio annoncé de {french_number(data.claimed_drift_prevented_per_euro, 1)} € par "
            f"euro : coût d'AMO implicite = {format_euros(result.savings_ht)} / "
            f"{french_number(data.claimed_drift_prevented_per_euro, 1)} = "
            f"{format_euros(result.implied_amo_cost_ht)} HT."
        )
    if result.delay is not None:
        d = result.delay
        lines.append(
            f"Durée prévue {d.baseline_duration_months} mois : {french_number(d.duration_without_amo_months, 1)}"
            f" mois sans AMO, {french_number(d.duration_with_amo_months, 1)} mois avec AMO "
            f"({french_number(d.delay_prevented_months, 1)} mois de retard évités)."
        )
    if result.adoption is not None:
        a = result.adoption
        lines.append(
            f"Adoption à M+3 : {french_percent(a.adoption_without_amo, 0)} sans AMO, "
            f"{french_percent(a.adoption_with_amo, 0)} avec AMO (non valorisée en euros)."
        )
    return "\n".join(lines)
