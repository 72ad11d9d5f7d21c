"""``amo`` speaks French about itself too (issue 16.6): the help of every group, command and
sub-command, found by walking the command tree, and the usage errors (missing argument or
option, unknown command or option, refused value) — no English word, no snake_case, none of
Typer's and Click's English strings — with the exit code of the JSON contract (2, stdout empty).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator

import pytest
import typer.main

from openamo.cli import GROUPS, main
from tests.plain_french import faults

ENGLISH_STRINGS = [
    "Usage",
    "Commands",
    "Arguments",
    "[required]",
    "[default",
    "Show this message",
    "Install completion",
    "Show completion",
    "completion",
    "Missing",
    "No such",
    "Invalid value",
    "Try '",
    "for help",
    "Error",
    "Aborted",
    "Did you mean",
    "Possible options",
    "Got unexpected",
    "requires",
    "Input should",
    "is not one of",
    "<str>",
    "<bool>",
    "<int",
    "<path>",
    "list[",
    "COMMAND",
    "ARGS",
]
"""What Typer and Click print in English (help screens, errors), as the CLI showed it."""

TYPED = re.compile(r"(?<![\w-])--?[a-z][\w-]*")
"""Option names (``--json``, ``--buyer-category``): the syntax the user types, not prose."""

TYPED_VALUES = {"entite_adjudicatrice", "maitre_ouvrage"}
"""Values typed after ``amo admin``'s options (``--role maitre_ouvrage``): the CLI contract
writes enum values in lowercase with underscores; the help lists what to type."""


def _tree(command: object, path: list[str]) -> Iterator[list[str]]:
    yield path
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _tree(sub, [*path, name])


def _command_paths() -> list[list[str]]:
    paths: list[list[str]] = []
    for group, (module, _) in GROUPS.items():
        app = importlib.import_module(f"openamo.cli.{module}").app
        paths.extend(_tree(typer.main.get_command(app), [group]))
    return paths


COMMAND_PATHS = _command_paths()
COMMAND_NAMES = {name for path in COMMAND_PATHS for name in path}


def _prose(text: str) -> str:
    """``text`` without what the user types: option names, command names, typed values."""
    text = TYPED.sub(" ", text)
    words = re.split(r"(\W+)", text)
    typed = COMMAND_NAMES | TYPED_VALUES
    return " ".join("".join(w for w in words if w not in typed).split())


def _whole(fragment: str) -> re.Pattern[str]:
    """``fragment`` not inside a longer word (« COMMAND » is not « COMMANDE »)."""
    start = r"\b" if fragment[0].isalnum() else ""
    end = r"\b" if fragment[-1].isalnum() else ""
    return re.compile(start + re.escape(fragment) + end)


def _english(text: str) -> list[str]:
    found = [s for s in ENGLISH_STRINGS if _whole(s).search(text)]
    return found + faults(_prose(text))


def _amo(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_walk_finds_every_group_and_nested_command() -> None:
    assert len(COMMAND_PATHS) > 3 * len(GROUPS)
    assert ["dce", "generate"] in COMMAND_PATHS
    assert ["admin", "organisation", "create"] in COMMAND_PATHS


def test_the_root_help_is_french(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _amo(["--help"], capsys)
    assert code == 0 and out.startswith("Utilisation : amo <groupe> <commande>")
    assert not _english(out), _english(out)


@pytest.mark.parametrize("rich", [True, False], ids=["rich", "sans rich"])
@pytest.mark.parametrize("path", COMMAND_PATHS, ids=" ".join)
def test_the_help_of_every_command_is_french(
    path: list[str], rich: bool, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("typer.core.HAS_RICH", rich)  # TYPER_USE_RICH=0: Click's plain help
    code, out, err = _amo([*path, "--help"], capsys)
    assert code == 0, err
    assert "Utilisation : amo " + " ".join(path) in out
    assert "Affiche cette aide." in out
    assert not _english(out), _english(out)


USAGE_ERRORS = {
    "paramètre manquant": (["dce", "generate"], "Le paramètre « FICHIER » manque."),
    "option obligatoire manquante": (["dce", "generate", "x.json"], "« --out » manque"),
    "commande inconnue": (["dce", "nope"], "Commande « nope » inconnue."),
    "commande approchée": (["dce", "generat"], "Vouliez-vous dire « generate » ?"),
    "commande manquante": (["admin", "organisation"], "Commandes possibles : create, list"),
    "option inconnue": (["procedure", "choose", "--jsn"], "Vouliez-vous dire « --json » ?"),
    "valeur sans option": (["dce", "generate", "x.json", "--out"], "attend une valeur"),
    "entier invalide": (["serve", "--port", "abc"], "« --port » : nombre entier attendu"),
    "entier trop grand": (["serve", "--port", "99999"], "valeur trop grande (maximum 65535)"),
    "choix invalide": (
        ["egalim", "export", "x.csv", "--format", "zz"],
        "« zz » non reconnue (valeurs possibles : achats, bilan)",
    ),
    "paramètre en trop": (["procedure", "choose", "a.json", "b.json", "--json"], "en trop"),
}


@pytest.mark.parametrize("case", sorted(USAGE_ERRORS))
def test_usage_errors_are_french_and_exit_2(case: str, capsys: pytest.CaptureFixture[str]) -> None:
    args, expected = USAGE_ERRORS[case]
    code, out, err = _amo(args, capsys)
    assert code == 2, err
    assert out == ""  # nothing on stdout, as before: the JSON contract is unchanged
    assert "Erreur : " in err and expected in err, err
    assert not _english(err), _english(err)


def test_a_usage_error_names_the_command_and_its_help(capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = _amo(["dce", "generate"], capsys)
    assert err.splitlines()[0] == "Utilisation : amo dce generate [OPTIONS] {FICHIER}"
    assert err.splitlines()[-1] == "Aide : amo dce generate --help"
