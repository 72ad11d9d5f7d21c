"""Random JSON against a CLI command: whatever the input, the answer is a result (exit 0) or a
French error (exit 2, ``{"error": …}`` on stdout), never a traceback."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openamo.cli import main

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=12)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=10,
)

FUZZ = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
"""Hypothesis settings of these tests (they use pytest's function-scoped fixtures)."""


def run(
    command: list[str],
    stdin: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[int, str, str]:
    """``amo <command> --json`` in this process (hundreds of examples would take minutes as
    subprocesses), reading ``stdin``."""
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main([*command, "--json"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_answers_or_explains(code: int, out: str, err: str) -> None:
    assert code in (0, 2), err
    assert "Traceback" not in err and "Erreur interne" not in err
    assert ("error" in json.loads(out)) == (code == 2)


def never_a_traceback(
    command: list[str], near_valid: st.SearchStrategy[Any]
) -> Callable[..., None]:
    """The test every command has: ``near_valid`` (inputs close to the command's own) or any
    JSON at all, and the command answers or explains. A module binds it to a ``test_`` name."""

    @FUZZ
    @given(data=st.one_of(near_valid, JSON_VALUES))
    def test(
        data: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert_answers_or_explains(*run(command, json.dumps(data), monkeypatch, capsys))

    return test
