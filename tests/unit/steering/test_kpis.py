"""KPIs over time against their targets, and adoption at M+3."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from openamo.errors import OpenAMOError
from openamo.steering import Baseline, KpiStatus, Measurement, track_kpis
from openamo.steering.kpis import KpiView, adoption_check, computed_kpi
from openamo.validation import parse_input
from tests.unit.steering._cast import baseline

DELAY_KPI = {
    "id": "delai",
    "name": "Délai de traitement",
    "unit": "jours",
    "baseline_value": "6",
    "target_value": "2",
    "direction": "baisse",
    "due_on": "2027-12-31",
}


def views(measurements: list[dict[str, Any]], as_of: date = date(2027, 12, 31)) -> list[KpiView]:
    base = parse_input(Baseline, baseline(kpis=[*baseline()["kpis"], DELAY_KPI]))
    return track_kpis(base, [parse_input(Measurement, m) for m in measurements], as_of)


def kpi(items: list[KpiView], key: str) -> KpiView:
    return next(v for v in items if v.key == key)


def test_adoption_due_three_months_after_go_live_by_default() -> None:
    adoption = kpi(views([]), "adoption")
    assert adoption.due_on == date(2027, 8, 4)  # go-live 04/05/2027 + 3 months
    assert adoption.status is KpiStatus.NON_MESURE


def test_adoption_at_m3_is_the_first_measurement_on_or_after_the_review() -> None:
    items = views(
        [
            {"kpi": "adoption", "measured_on": "2027-06-01", "value": "40"},
            {"kpi": "Adoption du portail", "measured_on": "2027-08-05", "value": "72"},
            {"kpi": "adoption", "measured_on": "2027-10-01", "value": "85"},
        ]
    )
    check = adoption_check(items)
    assert check is not None
    assert check.value == Decimal("72") and check.measured_on == date(2027, 8, 5)
    assert check.status is KpiStatus.EN_RETARD  # 72 % < 80 % at M+3
    assert kpi(items, "adoption").status is KpiStatus.ATTEINT  # 85 % later on


def test_a_lower_is_better_kpi_reaching_its_target_is_met() -> None:
    item = kpi(views([{"kpi": "delai", "measured_on": "2027-06-01", "value": "1.5"}]), "delai")
    assert item.status is KpiStatus.ATTEINT
    assert item.progress_percent == Decimal("112.5")  # (6 − 1.5) / (6 − 2)


def test_on_track_means_at_least_80_percent_of_the_straight_line_progress() -> None:
    # First measure 01/01, due 31/12 (364 days); on 01/07 (181 days) 49.7 % is expected.
    measures = [{"kpi": "delai", "measured_on": "2027-01-01", "value": "6"}]
    on_track = [*measures, {"kpi": "delai", "measured_on": "2027-07-01", "value": "4.4"}]
    late = [*measures, {"kpi": "delai", "measured_on": "2027-07-01", "value": "4.5"}]
    # 4.4 → 40 % progress ≥ 0.8 × 49.7 % = 39.8 % ; 4.5 → 37.5 % < 39.8 %
    assert kpi(views(on_track, date(2027, 7, 1)), "delai").status is KpiStatus.EN_BONNE_VOIE
    assert kpi(views(late, date(2027, 7, 1)), "delai").status is KpiStatus.EN_RETARD


def test_past_the_due_date_without_the_target_the_kpi_is_late() -> None:
    item = kpi(views([{"kpi": "delai", "measured_on": "2027-12-31", "value": "3"}]), "delai")
    assert item.status is KpiStatus.EN_RETARD


def test_computed_budget_drift_kpi_is_met_within_the_margin() -> None:
    met = computed_kpi("derive", "Dérive", Decimal("9.99"), Decimal(10), date(2027, 1, 1), None)
    missed = computed_kpi("derive", "Dérive", Decimal("10.01"), Decimal(10), date(2027, 1, 1), None)
    assert met.status is KpiStatus.ATTEINT and met.computed
    assert missed.status is KpiStatus.EN_BONNE_VOIE  # no due date: not yet judged late


@pytest.mark.parametrize(
    ("measurement", "message"),
    [
        ({"kpi": "inconnu", "measured_on": "2027-01-01", "value": "1"}, "inconnu"),
        ({"kpi": "delai", "measured_on": "2028-01-01", "value": "1"}, "après la date"),
    ],
)
def test_measurements_of_unknown_kpis_or_from_the_future_are_refused(
    measurement: dict[str, Any], message: str
) -> None:
    with pytest.raises(OpenAMOError, match=message):
        views([measurement])


def test_two_measurements_the_same_day_are_refused() -> None:
    twice = [{"kpi": "delai", "measured_on": "2027-01-01", "value": v} for v in ("1", "2")]
    with pytest.raises(OpenAMOError, match="Deux mesures"):
        views(twice)


def test_a_kpi_in_euros_may_exceed_a_million() -> None:
    savings = {
        "id": "gains",
        "name": "Gains annuels",
        "unit": "€",
        "baseline_value": "0",
        "target_value": "1500000",
        "due_on": "2027-12-31",
    }
    base = parse_input(Baseline, baseline(kpis=[savings]))
    measure = parse_input(
        Measurement, {"kpi": "gains", "measured_on": "2027-12-31", "value": "1600000"}
    )
    (view,) = track_kpis(base, [measure], date(2027, 12, 31))
    assert view.status is KpiStatus.ATTEINT
    assert view.progress_percent == Decimal("106.7")
