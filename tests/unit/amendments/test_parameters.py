"""The amendment figures are law data: dated, cited, unit-tagged, stamped and graded."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from openamo import law

PARAMETERS = Path(law.PARAMETERS_DIR)
FILES = sorted(
    file
    for folder in ("amendments", "cgct")
    for file in (PARAMETERS / folder).rglob("*.yaml")
    if file.name != "index.yaml"
)
ARTICLE = re.compile(r"\b[LRD]\s?\d{3,4}-\d+|art\. \d+")


def test_there_are_amendment_parameters() -> None:
    assert len(FILES) >= 14


@pytest.mark.parametrize("file", FILES, ids=lambda f: f.stem)
def test_each_parameter_is_stamped_graded_and_cited(file: Path) -> None:
    raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    metadata = raw["metadata"]
    assert metadata["unit"] in law.UNITS
    assert str(metadata["last_value_still_valid_on"]) >= "2026-11-23"
    assert metadata["confidence"].strip()
    for start, value in raw["values"].items():
        assert ARTICLE.search(value["reference"]), f"{file.name} [{start}] : article manquant"


@pytest.mark.parametrize(
    ("path", "day", "expected"),
    [
        ("amendments.faible_montant_fournitures_services", date(2026, 11, 23), "0.10"),
        ("amendments.faible_montant_travaux", date(2026, 11, 23), "0.15"),
        ("amendments.plafond_par_modification", date(2026, 11, 23), "0.5"),
        ("cgct.avis_cao_avenant", date(2026, 11, 23), "0.05"),
        ("amendments.faible_montant_travaux", date(2017, 6, 1), "0.15"),
    ],
)
def test_the_figures_in_force(path: str, day: date, expected: str) -> None:
    assert law.at(day).value(path) == Decimal(expected)


def test_the_references_follow_the_regime_of_the_contract() -> None:
    assert "2016-360" in law.at(date(2018, 5, 2)).reference("amendments.articles.faible_montant")
    assert (
        law.at(date(2019, 4, 1))
        .reference("amendments.articles.faible_montant")
        .startswith("CCP R2194-8")
    )
    assert "95-127" in law.at(date(2015, 1, 1)).reference("cgct.avis_cao_avenant")
    assert "L1414-4" in law.at(date(2016, 4, 1)).reference("cgct.avis_cao_avenant")


def test_no_amendment_regime_before_april_2016() -> None:
    with pytest.raises(law.LawDataError):
        law.at(date(2016, 3, 31)).value("amendments.articles.regime")
