"""Amendment checks per second, in process.

Three figures: ``decide`` (verdict, percentages and duties, without the French texts — the
live verdict of a form, charts, open-data audits), ``check_amendment`` (the full result with
reasons, references and explanation) and the CLI/API path from a JSON-like dict (validation
included). Target, as a ratio in the same run: ``decide`` runs at least half as fast as the
mere validation of its input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from _report import Report, interleaved_rates, thousands
from openamo.amendments import (
    AmendmentCheckInput,
    check_amendment,
    check_amendment_from_dict,
    decide,
)
from openamo.validation import parse_input

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "avenant_check.json"


def main() -> int:
    report = Report("bench_amendments")
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    parsed = parse_input(AmendmentCheckInput, data)
    rates = interleaved_rates(
        {
            "decide": lambda: decide(parsed),
            "check": lambda: check_amendment(parsed),
            "from_dict": lambda: check_amendment_from_dict(data),
            "parse": lambda: parse_input(AmendmentCheckInput, data),
        }
    )
    for label, key in (
        ("decide (verdict et formalités)   ", "decide"),
        ("check_amendment (avec les textes)", "check"),
        ("check_amendment_from_dict (JSON) ", "from_dict"),
        ("validation seule de l'entrée      ", "parse"),
    ):
        report.figure(f"{label} : {thousands(rates[key])} contrôles/s")
    # The live verdict of a form and the open-data audits call decide(): it must cost no more
    # than validating the same input twice.
    report.at_least("decide / validation de l'entrée", rates["decide"] / rates["parse"], 0.5)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
