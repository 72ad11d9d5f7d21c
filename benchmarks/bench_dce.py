"""Benchmark: generating a full DCE (RC, CCAP, CCTP, 3 AE, 3 BPU/DQE) must take < 2 s.

Run: ``.venv/bin/python benchmarks/bench_dce.py``. The first run includes the imports (what a
user waits for on ``amo dce generate``); the following runs show the steady state.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 2.0
RUNS = 5
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "dce_generate.json"


def main() -> int:
    data = json.loads(EXAMPLE.read_text("utf-8"))
    timings = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(RUNS):
            start = time.perf_counter()
            from openamo.documents.dce import generate_dce_from_dict

            result = generate_dce_from_dict(data, Path(tmp) / f"run{run}")
            timings.append(time.perf_counter() - start)
    first, best = timings[0], min(timings)
    files = len(result.files)
    print(f"DCE complet ({files} fichiers) — premier appel, imports compris : {first:.3f} s")
    print(f"Régime établi : meilleur {best:.3f} s, moyen {sum(timings[1:]) / (RUNS - 1):.3f} s")
    print(
        f"Rapport à l'objectif de {TARGET_SECONDS:.1f} s : {first / TARGET_SECONDS:.2f} (premier), {best / TARGET_SECONDS:.2f} (meilleur)"
    )
    if first >= TARGET_SECONDS:
        print("ÉCHEC : la génération dépasse l'objectif.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
