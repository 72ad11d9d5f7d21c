"""The award parameters: dated, cited, practice settings marked as such."""

from __future__ import annotations

import re
from datetime import date, timedelta

from openamo import law

AWARD = [path for path in law.parameters() if path.startswith("award.")]
ARTICLE = re.compile(r"\b[LRD]\.? ?\d{3,4}(-\d+)*\b")


def test_there_are_award_parameters_in_each_family() -> None:
    families = {path.split(".")[1] for path in AWARD}
    assert {
        "criteres",
        "offres_anormalement_basses",
        "conditions_execution",
    } <= families


def test_every_award_value_cites_an_article() -> None:
    for path in AWARD:
        for value in law.parameter(path).values:
            assert ARTICLE.search(value.reference), f"{path} : {value.reference}"


def test_abnormally_low_settings_say_they_are_practice_not_law() -> None:
    for path in AWARD:
        if ".offres_anormalement_basses." in path:
            reference = law.parameter(path).values[0].reference.lower()
            assert "pratique" in reference or "non adoptée" in reference, path


def test_the_award_tree_answers_every_day_since_the_code_came_into_force() -> None:
    day = date(2019, 4, 1)
    always = AWARD
    while day <= date(2027, 12, 31):
        snapshot = law.at(day)
        for path in always:
            snapshot.get(path)
        day += timedelta(days=30)


def test_climat_et_resilience_changes_take_effect_on_21_august_2026() -> None:
    path = "award.criteres.critere_environnemental_obligatoire"
    assert law.at(date(2026, 8, 20)).value(path) is False
    assert law.at(date(2026, 8, 21)).value(path) is True
    assert (
        law.at(date(2026, 8, 21)).value(
            "award.conditions_execution.condition_environnementale_obligatoire"
        )
        is True
    )
