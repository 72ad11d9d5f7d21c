"""Every legal YAML case of ``tests/cases/<domain>/*.yaml``, through one strict runner."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from tests.cases._commands import COMMANDS
from tests.cases._runner import (
    LoadedCase,
    case_files,
    command_of,
    derive,
    load_all,
    read_file,
    run_case,
)
from tests.cases._schema import CaseFile

CASES = load_all()


@pytest.mark.parametrize("loaded", CASES)
def test_legal_case(loaded: LoadedCase) -> None:
    run_case(loaded.case, command_of(loaded))


def test_every_file_runs_a_known_command() -> None:
    unknown = {file.name: read_file(file).command for file in case_files()}
    unknown = {name: command for name, command in unknown.items() if command not in COMMANDS}
    assert not unknown, f"commandes inconnues de _commands.py : {unknown}"


def test_each_command_has_its_minimum_number_of_cases() -> None:
    counts = Counter(param.values[0].command for param in CASES)
    for name, command in COMMANDS.items():
        assert counts[name] >= command.minimum_cases, (name, counts[name])


def test_every_case_names_a_real_situation_in_french_once() -> None:
    names = [param.values[0].case.name for param in CASES]
    duplicates = [name for name, count in Counter(names).items() if count > 1]
    assert not duplicates, f"deux cas portent le même nom : {duplicates}"
    for name in names:
        assert len(name.split()) >= 6, f"nom trop court pour décrire une situation : {name}"


def _file(tmp_path: Path, case: dict[str, object]) -> Path:
    file = tmp_path / "cas.yaml"
    document = {"topic": "Essai", "command": "procedure choose", "cases": [case]}
    file.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return file


def test_a_misspelt_key_fails_the_file(tmp_path: Path) -> None:
    file = _file(tmp_path, {"name": "Un cas mal écrit", "input": {}, "expectd": {"a": 1}})
    with pytest.raises(ValidationError, match="expectd"):
        read_file(file)


def test_a_case_needs_exactly_one_input() -> None:
    with pytest.raises(ValidationError, match="exactement une entrée"):
        CaseFile.model_validate({"topic": "t", "command": "c", "cases": [{"name": "sans entrée"}]})


def test_an_error_case_checks_no_output() -> None:
    case = {"name": "n", "input": {}, "expected_error": "x", "expected": {"a": 1}}
    with pytest.raises(ValidationError, match="ne vérifie pas de sortie"):
        CaseFile.model_validate({"topic": "t", "command": "c", "cases": [case]})


def test_a_wrong_expectation_fails_the_case(tmp_path: Path) -> None:
    file = _file(
        tmp_path,
        {
            "name": "Un cas dont l'attendu est faux",
            "input": {
                "date": "2026-11-23",
                "buyer": "collectivite",
                "nature": "services",
                "estimated_amount_ht": "10000",
            },
            "expected": {"procedure": "formalisee"},
        },
    )
    case = read_file(file).cases[0]
    with pytest.raises(AssertionError, match="procedure"):
        run_case(case, COMMANDS["procedure choose"])


def test_a_derivation_is_computed_in_decimal_and_rounded_half_up() -> None:
    assert derive("= 60 * 60000 / 105000 + 20") == "54.29"
    assert derive("= 100 * 2 / 3") == "66.67"
    assert derive("= 0.125 * 100") == "12.50"
