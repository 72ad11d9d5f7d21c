"""Amendment checks per second, in process (target: at least 20 000 checks per second).

Three figures: ``decide`` (verdict, percentages and duties, without the French texts — the
live verdict of a form, charts, open-data audits), ``check_amendment`` (the full result with
reasons, references and explanation) and the CLI/API path from a JSON-like dict (validation
included). Exits 1 when ``decide`` misses the target.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openamo.amendments import (
    AmendmentCheckInput,
    check_amendment,
    check_amendment_from_dict,
    decide,
)
from openamo.validation import parse_input

TARGET_PER_SECOND = 20_000
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "avenant_check.json"


def rate(function: Callable[[], Any], seconds: float = 2.0) -> float:
    function()  # warm the law cache
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(200):
            function()
        count += 200
    return count / elapsed


def main() -> int:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    parsed = parse_input(AmendmentCheckInput, data)
    fast = rate(lambda: decide(parsed))
    domain = rate(lambda: check_amendment(parsed))
    full = rate(lambda: check_amendment_from_dict(data))
    for label, value in (
        ("decide (verdict et formalités)   ", fast),
        ("check_amendment (avec les textes)", domain),
        ("check_amendment_from_dict (JSON) ", full),
    ):
        print(f"{label} : {value:,.0f} contrôles/s".replace(",", " "))
    if fast < TARGET_PER_SECOND:
        print(f"Objectif non atteint : {TARGET_PER_SECOND} contrôles/s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
