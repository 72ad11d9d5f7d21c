"""Framing: the ten questions, the completeness score, what is missing and the baseline."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from openamo.errors import OpenAMOError
from openamo.steering import AnswerStatus, RiskLevel, assess_framing_from_dict
from openamo.steering.framing import FramingResult
from openamo.steering.report import steering_report_from_dict
from tests.unit.steering._cast import example


def framing(data: dict[str, Any]) -> FramingResult:
    return assess_framing_from_dict(data)


def status(result: FramingResult, question: str) -> AnswerStatus:
    return next(q.status for q in result.questions if q.id == question)


def test_an_empty_framing_scores_zero_is_critical_and_lists_the_ten_questions() -> None:
    result = framing({"project": {"name": "Projet vide"}})
    assert result.completeness_score == Decimal("0.0")
    assert result.risk_level is RiskLevel.CRITIQUE
    assert result.missing_answers_count == 10
    assert [q.number for q in result.questions] == list(range(1, 11))
    assert len(result.missing_answers) == 10
    assert result.baseline is None and not result.baseline_ready
    assert all(q.why_it_matters for q in result.questions)


def test_the_example_scores_95_with_only_the_gdpr_answer_partial() -> None:
    result = framing(example("cadrage"))
    # 100 − 10 (Q5) + 10 × 0.5 = 95
    assert result.completeness_score == Decimal("95.0")
    assert result.risk_level is RiskLevel.FAIBLE
    assert [q.id for q in result.questions if q.status is not AnswerStatus.COMPLETE] == [
        "contraintes_reglementaires"
    ]
    q5 = result.questions[4]
    assert q5.points == Decimal("5.0") and q5.max_points == 10
    assert any("DPO" in item for item in q5.missing)
    assert result.baseline_ready


def test_a_missing_critical_answer_floors_the_risk_at_high_even_with_a_good_score() -> None:
    data = example("cadrage")
    del data["budget"]
    result = framing(data)
    # 95 − 12 = 83 ≥ 80 would be « faible », but the budget is a critical question.
    assert result.completeness_score == Decimal("83.0")
    assert result.risk_level is RiskLevel.ELEVE
    assert not result.baseline_ready and result.baseline is None
    assert any("question 6" in gap for gap in result.baseline_gaps)


def test_irritants_heard_only_from_management_are_a_partial_answer() -> None:
    data = example("cadrage")
    data["irritants"] = [{"description": "Pas de tableau de bord", "source": "encadrement"}]
    result = framing(data)
    assert status(result, "irritants_utilisateurs") is AnswerStatus.PARTIELLE
    assert result.completeness_score == Decimal("90.0")


def test_more_than_60_percent_of_the_cost_indispensable_is_not_a_prioritised_scope() -> None:
    data = example("cadrage")
    for feature in data["features"]:
        if feature["id"] == "conges":
            feature["priority"] = "indispensable"
    # (18 000 + 9 000 + 7 000 + 14 000) / 67 000 = 71.6 % > 60 %
    result = framing(data)
    q3 = next(q for q in result.questions if q.id == "fonctionnalites_indispensables")
    assert q3.status is AnswerStatus.PARTIELLE
    assert "72\u00a0%" in q3.missing[0]


def test_without_costs_the_indispensable_share_is_counted_in_features() -> None:
    features = [
        {"name": "A", "priority": "indispensable"},
        {"name": "B", "priority": "indispensable"},
        {"name": "C", "priority": "importante"},
    ]
    data: dict[str, Any] = {"project": {"name": "P"}, "features": features}
    assert status(framing(data), "fonctionnalites_indispensables") is AnswerStatus.PARTIELLE
    features.append({"name": "D", "priority": "souhaitable"})  # 2/4 = 50 %
    assert status(framing(data), "fonctionnalites_indispensables") is AnswerStatus.COMPLETE


def test_training_after_go_live_is_the_late_change_management_pitfall() -> None:
    data = example("cadrage")
    data["adoption"]["training_starts_on"] = "2027-06-15"
    result = framing(data)
    q9 = next(q for q in result.questions if q.id == "strategie_adoption")
    assert q9.status is AnswerStatus.PARTIELLE
    assert "commence le 15/06/2027, mise en service le 01/06/2027" in q9.missing[-1]
    late = next(r for r in result.risks if r.id == "conduite_changement_tardive")
    assert late.probability == 4  # not lowered: its framing question is incomplete


def test_dates_out_of_order_make_the_schedule_partial() -> None:
    data = example("cadrage")
    data["schedule"]["go_live_on"] = "2027-04-01"
    q7 = framing(data).questions[6]
    assert q7.status is AnswerStatus.PARTIELLE
    assert "incohérentes" in q7.missing[0]


def test_no_export_format_leaves_the_lock_in_risk_at_its_starting_probability() -> None:
    data = example("cadrage")
    del data["data"]["export_format"]
    result = framing(data)
    lock_in = next(r for r in result.risks if r.id == "dependance_integrateur")
    assert lock_in.probability == 3
    assert any("réversibilité" in c for c in lock_in.contract_clauses)
    assert any("Export des données" in c for c in lock_in.contract_clauses)


def test_the_baseline_has_scope_budget_with_margin_milestones_and_kpis() -> None:
    result = framing(example("cadrage"))
    assert result.baseline is not None and result.baseline_summary is not None
    summary = result.baseline_summary
    assert summary.budget_with_margin_ht == Decimal("82500.00")
    assert summary.margin_ht == Decimal("7500.00")
    assert summary.features_in_scope == 7
    assert summary.features_cost_ht == Decimal("67000.00")
    assert summary.indispensable_share == Decimal("0.5075")  # 34 000 / 67 000
    milestones = {m.id: m.planned_on for m in result.baseline.milestones}
    assert milestones == {
        "lancement": date(2027, 1, 11),
        "recette": date(2027, 5, 3),
        "mise_en_service": date(2027, 6, 1),
        "revue_m3": date(2027, 9, 1),
    }
    due = {k.key: k.due_on for k in result.baseline.kpis}
    assert due == {"delai_conges": date(2027, 12, 1), "adoption_portail": date(2027, 9, 1)}


def test_the_margin_defaults_to_10_percent() -> None:
    result = framing({"project": {"name": "P"}, "budget": {"maximum_ht": "50000"}})
    assert result.baseline is not None
    assert result.baseline.margin_rate == Decimal("0.10")
    assert result.baseline.budget_with_margin_ht == Decimal("55000.00")


def test_feature_costs_above_the_budget_are_flagged() -> None:
    data = example("cadrage")
    data["budget"]["maximum_ht"] = "60000"
    assert any("dépasse le budget maximal" in w for w in framing(data).warnings)


def test_the_printed_baseline_feeds_the_steering_dashboard_unchanged() -> None:
    printed = framing(example("cadrage")).model_dump(mode="json")["baseline"]
    report = steering_report_from_dict(
        {"project": "RH", "as_of": "2027-02-01", "baseline": printed}
    )
    assert report.baseline_summary.budget_with_margin_ht == Decimal("82500.00")


def test_framing_cites_the_source_article_and_the_contract_references() -> None:
    result = framing(example("cadrage"))
    assert any("Digital Corpus" in r for r in result.references)
    assert any("CCAG-TIC" in r for r in result.references)
    assert any("RGPD" in r for r in result.references)
    assert "95,0/100" in result.explanation


def test_duplicate_features_are_refused() -> None:
    data = {"project": {"name": "P"}, "features": [{"name": "A", "priority": "indispensable"}] * 2}
    with pytest.raises(OpenAMOError, match="en double"):
        framing(data)


def test_a_framing_without_a_project_name_is_refused_in_french() -> None:
    with pytest.raises(OpenAMOError) as raised:
        framing({"project": {}})
    assert "project.name" in str(raised.value)
