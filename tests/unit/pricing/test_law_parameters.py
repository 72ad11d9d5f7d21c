"""Every figure of the pricing, payment and catering trees is dated, sourced and checked."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from openamo import law

ROOTS = ("pricing", "payment", "catering")
FILES = sorted(
    file
    for root in ROOTS
    for file in (law.PARAMETERS_DIR / root).rglob("*.yaml")
    if file.name != "index.yaml"
)


def test_the_three_trees_hold_parameters() -> None:
    assert len(FILES) >= 40


@pytest.mark.parametrize("file", FILES, ids=lambda f: str(f.relative_to(law.PARAMETERS_DIR)))
def test_each_parameter_states_confidence_and_freshness(file: Path) -> None:
    raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    metadata = raw["metadata"]
    assert str(metadata["last_value_still_valid_on"]) >= "2026-11-23"
    assert metadata["confidence"].strip()
    for value in raw["values"].values():
        reference = value["reference"]
        assert any(code in reference for code in ("CCP", "CRPM", "CCAG", "Décret")), reference


@pytest.mark.parametrize("root", ROOTS)
def test_every_folder_documents_itself(root: str) -> None:
    for folder in [
        law.PARAMETERS_DIR / root,
        *(p for p in (law.PARAMETERS_DIR / root).rglob("*") if p.is_dir()),
    ]:
        assert (folder / "index.yaml").is_file(), folder


def test_the_whole_tree_loads_at_every_half_year_since_2013() -> None:
    day = date(2013, 1, 1)
    while day <= date(2027, 12, 31):
        list(law.at(day).in_force())
        day += timedelta(days=182)


def test_niveau_2_stops_counting_after_2026() -> None:
    label = law.parameter("catering.labels.certification_environnementale_niveau_2")
    assert label.at(date(2026, 12, 31)).value is True
    with pytest.raises(law.LawDataError):
        label.at(date(2027, 1, 1))
