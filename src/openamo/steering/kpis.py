"""Success KPIs tracked over time against their targets, adoption at M+3 first among them.

A KPI is ``atteint`` when its latest value meets the target; past its due date without meeting
it, ``en_retard``; before, ``en_bonne_voie`` when its progress since the baseline value is at
least ``kpi_on_track_ratio`` (80 %) of the progress expected at that date on a straight line
from the first measurement to the due date. Budget drift and schedule slip are added as two
computed KPIs whose targets are the budget margin and the schedule tolerance.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from pydantic import Field

from openamo.errors import OpenAMOError
from openamo.steering import _data
from openamo.steering._types import DecimalText, Measure, quantize
from openamo.steering.baseline import Baseline, KpiTarget, add_months
from openamo.steering.enums import KpiDirection, KpiStatus, MilestoneKind
from openamo.validation import InputModel, OutputModel


class Measurement(InputModel):
    kpi: str = Field(min_length=1, max_length=200, description="id ou nom de l'indicateur")
    measured_on: date
    value: Measure


class Point(OutputModel):
    measured_on: date
    value: DecimalText


class KpiView(OutputModel):
    key: str
    name: str
    unit: str
    direction: KpiDirection
    is_adoption: bool
    computed: bool
    baseline_value: DecimalText | None
    target_value: DecimalText
    due_on: date | None
    latest_value: DecimalText | None
    latest_on: date | None
    progress_percent: DecimalText | None
    status: KpiStatus
    series: list[Point]


class AdoptionCheck(OutputModel):
    """Adoption at M+3 (or at the review the framing chose): the first value on or after it."""

    kpi: str
    due_on: date | None
    target_value: DecimalText
    value: DecimalText | None
    measured_on: date | None
    status: KpiStatus


def track_kpis(
    baseline: Baseline, measurements: Iterable[Measurement], as_of: date
) -> list[KpiView]:
    series = _series(baseline, measurements, as_of)
    go_live = baseline.milestone(MilestoneKind.MISE_EN_SERVICE)
    review = _data.thresholds().adoption_review_months
    views = []
    for kpi in baseline.kpis:
        due = kpi.due_on
        if due is None and go_live is not None:
            months = kpi.due_months_after_go_live
            due = add_months(go_live.planned_on, review if months is None else months)
        views.append(_view(kpi, due, series.get(kpi.key, []), computed=False))
    return views


def computed_kpi(
    key: str, name: str, value: Decimal, target: Decimal, as_of: date, due: date | None
) -> KpiView:
    """A KPI measured by OpenAMO itself (budget drift, slip): lower is better, target = limit."""
    kpi = KpiTarget(
        id=key,
        name=name,
        unit="%",
        baseline_value=Decimal(0),
        target_value=target,
        direction=KpiDirection.BAISSE,
    )
    return _view(kpi, due, [Point(measured_on=as_of, value=value)], computed=True)


def adoption_check(views: list[KpiView]) -> AdoptionCheck | None:
    view = next((v for v in views if v.is_adoption), None)
    if view is None:
        return None
    on_time = [p for p in view.series if view.due_on is not None and p.measured_on >= view.due_on]
    point = on_time[0] if on_time else (view.series[-1] if view.series else None)
    if point is None:
        status = KpiStatus.NON_MESURE
    elif _meets(point.value, view.target_value, view.direction):
        status = KpiStatus.ATTEINT
    else:
        status = KpiStatus.EN_RETARD if on_time else view.status
    return AdoptionCheck(
        kpi=view.name,
        due_on=view.due_on,
        target_value=view.target_value,
        value=point.value if point else None,
        measured_on=point.measured_on if point else None,
        status=status,
    )


def _series(
    baseline: Baseline, measurements: Iterable[Measurement], as_of: date
) -> dict[str, list[Point]]:
    keys = {kpi.key: kpi.key for kpi in baseline.kpis}
    keys.update({kpi.name: kpi.key for kpi in baseline.kpis})
    series: dict[str, dict[date, Point]] = {}
    for item in measurements:
        key = keys.get(item.kpi)
        if key is None:
            raise OpenAMOError(
                f"Mesure d'un indicateur inconnu « {item.kpi} » (indicateurs de la base de "
                "référence : " + ", ".join(sorted(k.key for k in baseline.kpis)) + ")."
            )
        if item.measured_on > as_of:
            raise OpenAMOError(
                f"Mesure de « {item.kpi} » datée du {item.measured_on:%d/%m/%Y}, après la date du"
                f" tableau de bord ({as_of:%d/%m/%Y})."
            )
        points = series.setdefault(key, {})
        if item.measured_on in points:
            raise OpenAMOError(f"Deux mesures de « {item.kpi} » le {item.measured_on:%d/%m/%Y}.")
        points[item.measured_on] = Point(measured_on=item.measured_on, value=item.value)
    return {key: [points[d] for d in sorted(points)] for key, points in series.items()}


def _view(kpi: KpiTarget, due: date | None, series: list[Point], computed: bool) -> KpiView:
    latest = series[-1] if series else None
    progress = _progress(kpi, latest.value) if latest else None
    return KpiView(
        key=kpi.key,
        name=kpi.name,
        unit=kpi.unit,
        direction=kpi.direction,
        is_adoption=kpi.is_adoption,
        computed=computed,
        baseline_value=kpi.baseline_value,
        target_value=kpi.target_value,
        due_on=due,
        latest_value=latest.value if latest else None,
        latest_on=latest.measured_on if latest else None,
        progress_percent=progress,
        status=_status(kpi, due, series, progress),
        series=series,
    )


def _meets(value: Decimal, target: Decimal, direction: KpiDirection) -> bool:
    return value >= target if direction is KpiDirection.HAUSSE else value <= target


def _progress(kpi: KpiTarget, value: Decimal) -> Decimal | None:
    start = kpi.baseline_value
    if start is None or start == kpi.target_value:
        return None
    return quantize((value - start) * 100 / (kpi.target_value - start), 1)


def _status(
    kpi: KpiTarget, due: date | None, series: list[Point], progress: Decimal | None
) -> KpiStatus:
    if not series:
        return KpiStatus.NON_MESURE
    latest = series[-1]
    if _meets(latest.value, kpi.target_value, kpi.direction):
        return KpiStatus.ATTEINT
    if due is not None and latest.measured_on >= due:
        return KpiStatus.EN_RETARD
    if progress is None:
        return KpiStatus.EN_BONNE_VOIE
    expected = _expected_progress(series[0].measured_on, latest.measured_on, due)
    ratio = _data.thresholds().kpi_on_track_ratio
    return KpiStatus.EN_BONNE_VOIE if progress >= expected * ratio else KpiStatus.EN_RETARD


def _expected_progress(start: date, today: date, due: date | None) -> Decimal:
    """Straight line from the first measurement (0 %) to the due date (100 %)."""
    if due is None or due <= start:
        return Decimal(0)
    elapsed = max(0, min((today - start).days, (due - start).days))
    return Decimal(elapsed) * 100 / Decimal((due - start).days)
