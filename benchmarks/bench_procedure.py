"""Procedure decisions per second (in process) and CLI cold start.

Targets, as ratios measured in the same run: a decision costs at most twice the validation of\nits input; ``amo --version`` starts within 3 times a bare ``python -c pass``.
A *decision* is ``decide()``: the rules applied (procedure, publicity, DCE, deadlines, lots).
``choose_procedure()`` adds the French justification, warnings and references; its rate is
reported too. Both are given as ratios to a baseline measured in the same process: validating
the same inputs (pydantic), which every adapter pays anyway.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _report import Report, interleaved_rates, thousands
from openamo.procurement import ProcedureInput, choose_procedure, decide
from openamo.validation import parse_input

INPUTS: list[dict[str, Any]] = [
    {
        "date": "2026-11-23",
        "buyer": "collectivite",
        "nature": "services",
        "estimated_amount_ht": "59999.99",
    },
    {
        "date": "2026-03-31",
        "buyer": "etat",
        "nature": "fournitures",
        "estimated_amount_ht": "150000",
    },
    {
        "date": "2024-06-01",
        "buyer": "collectivite",
        "nature": "travaux",
        "estimated_amount_ht": "6000000",
        "lots": [
            {"name": "A", "estimated_amount_ht": "5100000"},
            {"name": "B", "estimated_amount_ht": "900000"},
        ],
    },
    {
        "date": "2022-01-10",
        "buyer": "entite_adjudicatrice",
        "nature": "services",
        "estimated_amount_ht": "95000",
        "site_visit": True,
        "planned_response_days": 12,
    },
]


def cold_start(command: list[str], runs: int = 15) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> int:
    report = Report("bench_procedure")
    parsed = [parse_input(ProcedureInput, item) for item in INPUTS]
    rates = interleaved_rates(
        {
            "decide": lambda: [decide(item) for item in parsed],
            "justified": lambda: [choose_procedure(item) for item in parsed],
            "parse": lambda: [parse_input(ProcedureInput, item) for item in INPUTS],
        }
    )
    decisions, justified, parsing = (
        len(INPUTS) * rates[k] for k in ("decide", "justified", "parse")
    )
    amo = shutil.which("amo", path=str(Path(sys.executable).parent))
    assert amo
    startup = cold_start([amo, "--version"])
    python = cold_start([sys.executable, "-c", "pass"])
    report.figure(f"décisions de procédure : {thousands(decisions)}/s")
    report.figure(f"décisions justifiées (textes, alertes, références) : {thousands(justified)}/s")
    report.figure(f"validation seule des mêmes entrées : {thousands(parsing)}/s")
    report.figure(
        f"démarrage à froid « amo --version » : {startup * 1000:.0f} ms ; "
        f"« python -c pass » : {python * 1000:.0f} ms"
    )
    # The rules must not cost more than twice the validation every adapter pays anyway
    # (≈ 0.85 to 1.05 on the reference machine), and the CLI must start lazily.
    report.at_least("décision / validation des mêmes entrées", decisions / parsing, 0.5)
    report.at_most("démarrage de amo / démarrage de Python nu", startup / python, 3.0)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
