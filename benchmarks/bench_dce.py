"""Benchmark: generating the example's full DCE (RC, CCAP, CCTP, 3 AE, 3 BPU/DQE).

Run: ``.venv/bin/python benchmarks/bench_dce.py``. The first call includes the imports (what a
user waits for on ``amo dce generate``); the following calls show the steady state. Target, as a
ratio in the same run: the steady state costs at most 5 times the bare libraries writing as
many one-paragraph documents and one-cell workbooks (their fixed cost: opening the template,
zipping, writing) — about 1.5 s for the first call and 0.3 s after on an idle machine.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from _report import Report, best_of

RUNS = 5
MAX_RATIO_TO_BARE_LIBRARIES = 5
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "dce_generate.json"


def bare_libraries(folder: Path, documents: int, workbooks: int) -> None:
    import docx
    import openpyxl

    for index in range(documents):
        document = docx.Document()
        document.add_paragraph("Règlement de la consultation")
        document.save(str(folder / f"piece{index}.docx"))
    for index in range(workbooks):
        workbook = openpyxl.Workbook()
        workbook.active["A1"] = "Bordereau des prix"
        workbook.save(folder / f"bpu{index}.xlsx")


def main() -> int:
    report = Report("bench_dce")
    data = json.loads(EXAMPLE.read_text("utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        from openamo.documents.dce import generate_dce_from_dict

        result = generate_dce_from_dict(data, Path(tmp) / "first")
        first = time.perf_counter() - start
        runs = iter(range(RUNS))
        steady = best_of(RUNS, lambda: generate_dce_from_dict(data, Path(tmp) / f"r{next(runs)}"))
        names = [Path(f).suffix for f in result.files]
        bare = best_of(
            RUNS, lambda: bare_libraries(Path(tmp), names.count(".docx"), names.count(".xlsx"))
        )
    report.figure(
        f"DCE complet ({len(names)} fichiers) — premier appel, imports compris : {first:.3f} s"
    )
    report.figure(f"régime établi (meilleur de {RUNS}) : {steady:.3f} s")
    report.figure(
        f"mêmes nombres de fichiers vides écrits par python-docx et openpyxl : {bare:.3f} s"
    )
    report.at_most("DCE / fichiers vides", steady / bare, MAX_RATIO_TO_BARE_LIBRARIES)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
