from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from openamo import law
from openamo.errors import LawDataError

VALID = """
description: Seuil de test
metadata:
  unit: currency
values:
  2020-01-01:
    value: 40000
    reference: "CCP R2122-8"
  2021-01-01:
    value: 70000
    until: 2021-06-30
    reference: "Décret temporaire"
  2022-01-01:
    value: 0.2
    reference: "CCP R2123-1"
"""


def write(tmp_path: Path, text: str, name: str = "seuil.yaml") -> Path:
    folder = tmp_path / "test"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_a_value_applies_until_the_day_before_the_next_one(tmp_path: Path) -> None:
    parameter = law.load_tree(write(tmp_path, VALID))["test.seuil"]
    assert parameter.at(date(2020, 12, 31)).value == Decimal(40000)
    assert parameter.at(date(2021, 1, 1)).value == Decimal(70000)


def test_an_explicit_until_leaves_a_gap_that_is_an_error(tmp_path: Path) -> None:
    parameter = law.load_tree(write(tmp_path, VALID))["test.seuil"]
    assert parameter.at(date(2021, 6, 30)).value == Decimal(70000)
    with pytest.raises(LawDataError, match="pas de valeur en vigueur le 01/07/2021"):
        parameter.at(date(2021, 7, 1))


def test_a_date_before_the_first_value_is_a_clear_error(tmp_path: Path) -> None:
    parameter = law.load_tree(write(tmp_path, VALID))["test.seuil"]
    with pytest.raises(LawDataError, match="n'est pas connu avant le 01/01/2020"):
        parameter.at(date(2019, 12, 31))


def test_yaml_floats_become_exact_decimals(tmp_path: Path) -> None:
    parameter = law.load_tree(write(tmp_path, VALID))["test.seuil"]
    assert parameter.at(date(2023, 1, 1)).value == Decimal("0.2")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("values: {2020-01-01: {value: 1, reference: x}}", "description"),
        (
            "description: x\nmetadata: {unit: parsec}\nvalues: {2020-01-01: {value: 1, reference: x}}",
            "unité",
        ),
        (
            "description: x\nmetadata: {unit: currency}\nvalues: {2020-01-01: {value: 1}}",
            "reference",
        ),
        (
            "description: x\nmetadata: {unit: currency}\nvalues: {2020-13-01: {value: 1, reference: x}}",
            "date invalide",
        ),
        (
            "description: x\nmetadata: {unit: currency}\nvalues: {2020-01-01: {value: douze, reference: x}}",
            "nombre attendu",
        ),
        (
            "description: x\nmetadata: {unit: day}\nvalues: {2020-01-01: {value: 1.5, reference: x}}",
            "entier",
        ),
        ("description: x\nmetadata: {unit: currency}\nvalues: {}", "au moins une valeur"),
        ("description: [x\n", "illisible"),
        ("- a\n- b\n", "dictionnaire"),
        (
            "description: x\nmetadata: {unit: currency}\nvalues:\n  2020-01-01: {value: 1, reference: x, until: 2022-01-01}\n  2021-01-01: {value: 2, reference: y}",
            "incohérent",
        ),
    ],
)
def test_a_malformed_file_is_refused_with_a_french_message(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(LawDataError, match=message):
        law.load_tree(write(tmp_path, text))


def test_every_parameter_records_when_it_was_last_checked() -> None:
    # The loader accepts a file without this date (hand-made trees in tests); the product's own
    # tree must say, for each figure, the day somebody last read it in the official text.
    unchecked = [p for p, param in law.parameters().items() if not param.last_value_still_valid_on]
    assert unchecked == []


def test_no_figure_was_checked_before_it_was_published_or_after_today() -> None:
    wrong = []
    for path, parameter in law.parameters().items():
        checked = parameter.last_value_still_valid_on
        assert checked is not None
        if checked > date.today():
            wrong.append(f"{path} : vérifié le {checked}, dans le futur")
        published = [v.start for v in parameter.values if v.start <= checked]
        if not published:
            wrong.append(f"{path} : vérifié le {checked}, avant sa première valeur")
    assert wrong == []


def test_every_figure_was_checked_within_the_biennial_revision() -> None:
    # EU thresholds change every two years: a figure nobody re-checked for longer is suspect.
    # Measured against the real day the suite runs, on purpose: the test fails when the law
    # files need a review, not when the code changes.
    stale = [
        path
        for path, p in law.parameters().items()
        if p.last_value_still_valid_on
        and date.today() - p.last_value_still_valid_on > timedelta(days=730)
    ]
    assert stale == []


def test_every_parameter_answers_every_day_from_its_first_value_unless_it_ended() -> None:
    # A value stops only where the file says so (``until``), or where an explicit gap or end
    # is written: no hole between two values, and an open-ended value answers today.
    for path, parameter in law.parameters().items():
        values = parameter.values
        for previous, following in itertools.pairwise(values):
            if previous.until is None:
                continue
            if previous.until + timedelta(days=1) != following.start:
                assert following.value is None or previous.value is None, (
                    f"{path} : trou entre le {previous.until} et le {following.start}"
                )
        # A stage the text already schedules (EGAlim overseas: 2030, 2035) is the last value but
        # starts later: the open-ended value that answers today is then the one in force now.
        last = next((v for v in reversed(values) if v.start <= date.today()), values[-1])
        if last.until is None and last.value is not None:
            assert parameter.at(date.today()).value == last.value, path
        for scheduled in (v for v in values if v.start > date.today() and v.value is not None):
            assert parameter.at(scheduled.start).value == scheduled.value, path


def test_the_thresholds_answer_at_every_month_of_the_current_biennium() -> None:
    day = date(2019, 4, 1)
    while day <= date(2027, 12, 1):
        snapshot = law.at(day)
        for path in (
            "procurement.thresholds.eu_fournitures_services_autres_pouvoirs_adjudicateurs",
            "procurement.thresholds.eu_travaux",
            "procurement.thresholds.dispense_fournitures_services",
            "procurement.thresholds.dispense_travaux",
        ):
            value = snapshot.value(path)
            assert isinstance(value, Decimal) and value > 0, f"{path} le {day}"
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)


@pytest.mark.parametrize(
    ("day", "fs", "works"),
    [
        (date(2019, 6, 1), 25000, 25000),
        (date(2020, 1, 1), 40000, 40000),
        (date(2020, 7, 24), 40000, 70000),
        (date(2020, 12, 8), 40000, 100000),
        (date(2024, 6, 1), 40000, 100000),
        (date(2026, 1, 1), 40000, 100000),
        (date(2026, 3, 31), 40000, 100000),
        (date(2026, 4, 1), 60000, 100000),
        (date(2026, 11, 23), 60000, 100000),
    ],
)
def test_dispense_threshold_history(day: date, fs: int, works: int) -> None:
    snapshot = law.at(day)
    assert snapshot.value("procurement.thresholds.dispense_fournitures_services") == fs
    assert snapshot.value("procurement.thresholds.dispense_travaux") == works


@pytest.mark.parametrize(
    ("year", "central", "others", "utilities", "works"),
    [
        (2019, 144000, 221000, 443000, 5548000),
        (2020, 139000, 214000, 428000, 5350000),
        (2022, 140000, 215000, 431000, 5382000),
        (2024, 143000, 221000, 443000, 5538000),
        (2026, 140000, 216000, 432000, 5404000),
    ],
)
def test_eu_thresholds_by_period(
    year: int, central: int, others: int, utilities: int, works: int
) -> None:
    snapshot = law.at(date(year, 6, 1))
    prefix = "procurement.thresholds.eu_"
    assert snapshot.value(prefix + "fournitures_services_autorites_centrales") == central
    assert snapshot.value(prefix + "fournitures_services_autres_pouvoirs_adjudicateurs") == others
    assert snapshot.value(prefix + "fournitures_services_entites_adjudicatrices") == utilities
    assert snapshot.value(prefix + "travaux") == works


def test_an_unknown_parameter_path_is_a_clear_error() -> None:
    with pytest.raises(LawDataError, match="inconnu"):
        law.at(date(2026, 1, 1)).value("procurement.nope")
