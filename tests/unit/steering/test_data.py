"""The steering data files: every default figure has a dated source and a confidence."""

from __future__ import annotations

from datetime import date

from openamo.steering import _data


def test_every_figure_names_known_sources_checked_at_a_date() -> None:
    bench = _data.benchmarks()
    assert bench.figures, "aucun chiffre de référence"
    for figure in bench.figures.values():
        for source in figure.sources:
            assert bench.sources[source].checked_on <= date.today()
        assert figure.confidence in _data.CONFIDENCE_LABELS


def test_the_issue_figures_are_all_present() -> None:
    bench = _data.benchmarks()
    assert (
        bench.value("chaos_2020_successful")
        + bench.value("chaos_2020_challenged")
        + (bench.value("chaos_2020_failed"))
        == 1
    )
    assert str(bench.value("amo_delay_reduction_points")) == "0.16"  # −16 % de retard moyen
    assert str(bench.value("adoption_gain_points_m3")) == "0.26"  # +26 % d'adoption à M+3
    # 26.67 % − 16.67 points = 10 %: the worked example's two drifts agree with the reduction.
    assert bench.value("cost_drift_without_amo") - bench.value(
        "amo_cost_drift_reduction_points"
    ) == bench.value("cost_drift_with_amo")


def test_the_ten_framing_questions_weigh_100_points() -> None:
    rules = _data.framing_rules()
    assert sum(q.weight for q in rules.questions) == 100
    assert [q.number for q in rules.questions] == list(range(1, 11))
    assert {q.id for q in rules.questions if q.critical} == {
        "objectif_metier",
        "fonctionnalites_indispensables",
        "budget",
        "planning",
    }


def test_thresholds_alert_before_the_margin_is_consumed() -> None:
    alerts = _data.thresholds().margin_alerts
    assert alerts.vigilance < alerts.alerte < 1 <= alerts.depassement
