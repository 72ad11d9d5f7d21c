"""The text output of every command, on every example of ``examples/``, reads in plain French
(issue 16.6): no snake_case identifier, no dotted parameter path, no English word (the checks
of ``tests/plain_french.py``). ``amo decp export`` writes the DECP JSON schema itself: its keys
and ``false`` are the format, not the tool speaking."""

from __future__ import annotations

import subprocess

import pytest

from tests.e2e.cli._amo import AMO, ROOT
from tests.e2e.cli.test_examples import JSON_COMMANDS
from tests.plain_french import faults

pytestmark = pytest.mark.e2e
FORMATS = {"decp_export.json"}


@pytest.mark.parametrize("name", sorted(set(JSON_COMMANDS) - FORMATS))
def test_the_text_output_of_each_example_reads_in_plain_french(name: str) -> None:
    assert AMO
    result = subprocess.run(
        [AMO, *JSON_COMMANDS[name], str(ROOT / "examples" / name)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert text
    assert not faults(text), faults(text)
