"""The one runner of the legal YAML cases (format: ``_schema.py``; commands: ``_commands.py``)."""

from __future__ import annotations

import ast
import copy
import json
import operator
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from openamo.errors import OpenAMOError
from tests.cases._commands import COMMANDS, Command
from tests.cases._schema import Case, CaseFile

CASES_DIR = Path(__file__).parent
EXAMPLES_DIR = CASES_DIR.parents[1] / "examples"


@dataclass(frozen=True)
class LoadedCase:
    file: Path
    command: str
    case: Case


def case_files() -> list[Path]:
    return sorted(CASES_DIR.glob("*/*.yaml"))


def read_file(file: Path) -> CaseFile:
    return CaseFile.model_validate(yaml.safe_load(file.read_text(encoding="utf-8")))


def load_all() -> list[Any]:
    """Every case of every file, as pytest parameters named « file: case name »."""
    params = []
    for file in case_files():
        document = read_file(file)
        for case in document.cases:
            loaded = LoadedCase(file, document.command, case)
            params.append(pytest.param(loaded, id=f"{file.parent.name}/{file.stem}: {case.name}"))
    return params


# --- derivations: "= 60 * 90000 / 100000 + 20" in an expected value ----------------------------

_OPERATORS: dict[type, Callable[[Decimal, Decimal], Decimal]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


def _evaluate(node: ast.AST) -> Decimal:
    if isinstance(node, ast.Expression):
        return _evaluate(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return Decimal(str(node.value))
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_evaluate(node.left), _evaluate(node.right))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_evaluate(node.operand)
    raise ValueError(f"expression non prise en charge : {ast.dump(node)}")


def derive(expression: str) -> str:
    """``"= 60 * 90000 / 100000 + 20"`` → ``"74.00"`` (Decimal, hundredth, half up)."""
    value = _evaluate(ast.parse(expression.removeprefix("=").strip(), mode="eval"))
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):.2f}"


def resolve(expected: Any) -> Any:
    if isinstance(expected, dict):
        return {key: resolve(value) for key, value in expected.items()}
    if isinstance(expected, list):
        return [resolve(item) for item in expected]
    if isinstance(expected, str) and expected.startswith("="):
        return derive(expected)
    return expected


# --- inputs ---------------------------------------------------------------------------------


def merge(base: Any, patch: Any) -> Any:
    """Deep-merge ``patch`` into ``base``; ``None`` removes a key."""
    if not isinstance(base, dict) or not isinstance(patch, dict):
        return copy.deepcopy(patch)
    merged = copy.deepcopy(base)
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge(merged.get(key), value)
    return merged


def case_input(case: Case) -> Any:
    if case.input_example is None:
        return case.input
    file = EXAMPLES_DIR / f"{case.input_example}.json"
    return merge(json.loads(file.read_text(encoding="utf-8")), case.patch or {})


# --- checks ---------------------------------------------------------------------------------


def assert_subset(expected: Any, actual: Any, where: str = "") -> None:
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: objet attendu, obtenu {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{where}.{key} absent de la sortie"
            assert_subset(value, actual[key], f"{where}.{key}")
    elif isinstance(expected, list) and expected and isinstance(expected[0], dict):
        assert isinstance(actual, list) and len(actual) == len(expected), (
            f"{where}: {len(expected)} éléments attendus, obtenu {actual!r}"
        )
        for index, (item, got) in enumerate(zip(expected, actual, strict=True)):
            assert_subset(item, got, f"{where}[{index}]")
    else:
        assert actual == expected, f"{where}: attendu {expected!r}, obtenu {actual!r}"


def _dig(payload: Any, path: str) -> Any:
    for part in path.split("."):
        payload = payload[part]
    return payload


_FRAGMENT_KEYS = (
    "expected_warnings",
    "expected_references",
    "expected_ambiguities",
    "expected_explanation",
    "expected_new_procedure_reasons",
    "expected_checks",
)


def run_case(case: Case, command: Command) -> None:
    data = case_input(case)
    if case.expected_error is not None:
        with pytest.raises(OpenAMOError) as raised:
            command.compute(data)
        assert case.expected_error in str(raised.value), str(raised.value)
        return
    output = command.compute(data).model_dump(mode="json")
    assert_subset(resolve(case.expected), output)
    for list_name, items in case.expected_by_id.items():
        by_id = {item["id"]: item for item in output[list_name]}
        for ident, expected_item in items.items():
            assert_subset(resolve(expected_item), by_id[ident], f"{list_name}[{ident}]")
    for path, rule in case.approx.items():
        tolerance = {"rel": rule.relative} if rule.relative is not None else {"abs": rule.absolute}
        assert float(_dig(output, path)) == pytest.approx(rule.value, **tolerance), path
    for key in _FRAGMENT_KEYS:
        fragments: list[str] = getattr(case, key)
        if fragments:
            found = command.lister(key)(output)
            for fragment in fragments:
                assert any(fragment in item for item in found), f"« {fragment} » absent : {found}"
    if case.expected_absent_warnings:
        warnings = command.lister("expected_absent_warnings")(output)
        for fragment in case.expected_absent_warnings:
            assert not any(fragment in w for w in warnings), f"« {fragment} » présent : {warnings}"
    if case.expected_abnormally_low is not None or case.expected_reason_fragments:
        assert command.suspects is not None, "cette commande ne détecte pas d'offre anormale"
        suspects = command.suspects(output)
        if case.expected_abnormally_low is not None:
            assert sorted(suspects) == sorted(case.expected_abnormally_low)
        for bidder, reason_fragments in case.expected_reason_fragments.items():
            for fragment in reason_fragments:
                assert fragment in suspects[bidder], f"« {fragment} » absent du motif de {bidder}"
    assert output["references"], "toute décision cite ses articles"
    assert output["explanation"].strip(), "toute décision s'explique en français"
    if command.invariants is not None:
        command.invariants(output)


def command_of(loaded: LoadedCase) -> Command:
    assert loaded.command in COMMANDS, (
        f"{loaded.file.name} : commande « {loaded.command} » inconnue de tests/cases/_commands.py"
    )
    return COMMANDS[loaded.command]
