"""EGAlim import throughput: lines of a ma cantine purchase file per second, in process.

A canteen buys a few thousand lines a year; a central kitchen or a département importing all its
colleges, a few hundred thousand. The full import (decoding, per-line validation, dated label
lookup, ratios by year and month) of a generated 100 000-line file built from the repository's
example is compared with a baseline measured in the same process — Python's ``csv`` module merely
splitting the same bytes — so that the figure does not depend on the machine's load.
Target: at most 30 times the baseline (about 10 000 lines/s on an idle developer machine).
Exits 1 when the target is missed (benchmarks/_report.py).
"""

from __future__ import annotations

import csv
import io
import sys
import time
from pathlib import Path

from _report import Report, thousands
from openamo.catering import import_purchases

MAX_RATIO_TO_CSV_SPLIT = 30
LINES = 100_000
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "egalim_achats.csv"


def big_file() -> bytes:
    header, *rows = EXAMPLE.read_text(encoding="utf-8").splitlines()
    body = [rows[i % len(rows)] for i in range(LINES)]
    return ("\n".join([header, *body]) + "\n").encode("utf-8")


def main() -> int:
    content = big_file()
    start = time.perf_counter()
    rows = sum(1 for _ in csv.reader(io.StringIO(content.decode("utf-8"))))
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    result = import_purchases(content)
    elapsed = time.perf_counter() - start
    assert result.purchases == LINES and rows == LINES + 1
    report = Report("bench_egalim")
    rate = LINES / elapsed
    report.figure(
        f"import de {thousands(LINES)} lignes : {elapsed:.2f} s, {thousands(rate)} lignes/s"
    )
    report.figure(f"simple découpage CSV des mêmes octets : {baseline:.2f} s")
    report.at_most("import / découpage CSV", elapsed / baseline, MAX_RATIO_TO_CSV_SPLIT)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
