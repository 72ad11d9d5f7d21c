"""Benchmark: generating the example's full DCE (RC, CCAP, CCTP, 3 AE, 3 BPU/DQE), then a large
one (10 lots × 200 BPU lines), with the time of each document and, when LibreOffice is there,
the page count of each piece.

Run: ``.venv/bin/python benchmarks/bench_dce.py``. The first call includes the imports (what a
user waits for on ``amo dce generate``); the following calls show the steady state. Target, as a
ratio in the same run: the steady state costs at most 5 times the bare libraries writing as
many one-paragraph documents and one-cell workbooks (their fixed cost: opening the template,
zipping, writing) — about 1.5 s for the first call and 0.3 s after on an idle machine. The large
DCE (10 lots × 200 lines, 2 000 BPU lines) costs at most 8 times the example's (3 lots × 4
lines): the pieces grow with the lots, the workbooks with the lines, nothing quadratically.

Those targets time the writing of the documents; the page numbers of the sommaires (one
LibreOffice print of the RC and the CCAP, ``openamo.documents.pagination``) are timed apart, when
LibreOffice is there: at most 3 times LibreOffice printing two one-paragraph documents (its own
start-up, which dominates) — and again from the cache of pages (what a second web download of
the same DCE costs).
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from _report import Report, best_of

RUNS = 5
MAX_RATIO_TO_BARE_LIBRARIES = 5
MAX_RATIO_LARGE_TO_EXAMPLE = 8
MAX_RATIO_PAGINATION_TO_BARE_PRINT = 3
LARGE_LOTS, LARGE_LINES = 10, 200
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


def large_dce(data: dict[str, object]) -> dict[str, object]:
    """The example with 10 lots of 200 lines each (same amounts scaled, same criteria)."""
    large = copy.deepcopy(data)
    model = large["lots"][0]  # type: ignore[index]
    lots = []
    for number in range(1, LARGE_LOTS + 1):
        lot = copy.deepcopy(model)
        lot["number"] = number
        lot["name"] = f"Lot de denrées n° {number}"
        lot["items"] = [
            {
                "code": f"{number}.{line}",
                "designation": f"Denrée {line} du lot {number}, calibre et conditionnement décrits",
                "unit": "kg",
                "quantity": str(100 + line),
                "estimated_unit_price_ht": "2.50",
            }
            for line in range(1, LARGE_LINES + 1)
        ]
        lot["min_amount_ht"], lot["max_amount_ht"] = "20000.00", "200000.00"
        lot["estimated_amount_ht"] = "60000.00"
        lots.append(lot)
    large["lots"] = lots
    return large


@contextlib.contextmanager
def timed_pieces() -> Iterator[dict[str, float]]:
    """Time spent writing each document (wraps the two writers of dce.py while in the block)."""
    from openamo.documents import dce

    times: dict[str, float] = {}
    originals: dict[str, Callable[..., Any]] = {"_docx": dce._docx, "_workbook": dce._workbook}
    out_argument = {"_docx": 3, "_workbook": 2}

    def wrap(name: str) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            value = originals[name](*args, **kwargs)
            times[Path(args[out_argument[name]]).name] = time.perf_counter() - start
            return value

        return timed

    for name in originals:
        setattr(dce, name, wrap(name))
    try:
        yield times
    finally:
        for name, function in originals.items():
            setattr(dce, name, function)


def page_counts(folder: Path) -> dict[str, int] | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdfinfo = shutil.which("pdfinfo")
    if not soffice or not pdfinfo:
        return None
    pdf_dir = folder / "pdf"
    files = sorted(str(path) for path in folder.iterdir() if path.suffix in {".docx", ".xlsx"})
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{folder}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(pdf_dir),
            *files,
        ],
        capture_output=True,
        check=False,
        timeout=600,
    )
    counts = {}
    for pdf in sorted(pdf_dir.glob("*.pdf")):
        info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=False)
        pages = [line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages")]
        counts[pdf.stem] = int(pages[0]) if pages else 0
    return counts


def bare_print(folder: Path) -> None:
    """LibreOffice printing two one-paragraph documents with a fresh profile (its fixed cost)."""
    import docx

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice is not None
    files = []
    for index in range(2):
        document = docx.Document()
        document.add_paragraph("Règlement de la consultation")
        document.save(str(folder / f"bare{index}.docx"))
        files.append(str(folder / f"bare{index}.docx"))
    profile = (folder / f"lo-{time.perf_counter_ns()}").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder / "bare-pdf"),
            *files,
        ],
        capture_output=True,
        check=True,
        timeout=600,
    )


class MemoryPageCache:
    """The web keeps the pages in PostgreSQL (award.TocPages); a dict here."""

    def __init__(self) -> None:
        self.pages: dict[str, list[str]] = {}

    def get(self, key: str) -> list[str] | None:
        return self.pages.get(key)

    def put(self, key: str, pages: list[str]) -> None:
        self.pages[key] = pages


def pagination_figures(report: Report, data: dict[str, object], large: dict[str, object]) -> None:
    from openamo.documents import pagination
    from openamo.documents.dce import generate_dce_from_dict

    if pagination.tools() is None:
        report.figure("numéros de page des sommaires : LibreOffice ou poppler absent, non mesuré")
        return
    with tempfile.TemporaryDirectory() as tmp:
        timings: dict[str, float] = {}
        cached: dict[str, float] = {}
        for label, source in (("exemple", data), (f"{LARGE_LOTS} lots", large)):
            cache = MemoryPageCache()
            for run in ("print", "cache"):
                folder = Path(tmp) / f"{label}-{run}"
                os.environ["OPENAMO_TOC_PAGES"] = "0"
                generate_dce_from_dict(source, folder)
                os.environ["OPENAMO_TOC_PAGES"] = "1"
                pieces = [folder / "RC.docx", folder / "CCAP.docx"]
                start = time.perf_counter()
                numbered = pagination.number_toc_pages(pieces, cache)
                (timings if run == "print" else cached)[label] = time.perf_counter() - start
                assert numbered == pieces, f"sommaire non numéroté ({label}, {run})"
        bare = best_of(2, lambda: bare_print(Path(tmp)))
    report.figure(
        "numéros de page des sommaires du RC et du CCAP (une impression LibreOffice) : "
        + ", ".join(f"{label} {seconds:.3f} s" for label, seconds in timings.items())
    )
    report.figure(
        "les mêmes, contenu déjà imprimé (pages lues dans le cache, comme sur le web) : "
        + ", ".join(f"{label} {seconds:.3f} s" for label, seconds in cached.items())
    )
    report.figure(f"LibreOffice imprimant deux documents d'un paragraphe : {bare:.3f} s")
    report.at_most(
        "sommaires numérotés / impression LibreOffice nue",
        max(timings.values()) / bare,
        MAX_RATIO_PAGINATION_TO_BARE_PRINT,
    )


def main() -> int:
    report = Report("bench_dce")
    os.environ["OPENAMO_TOC_PAGES"] = "0"  # the writing alone; the print is timed apart
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

    large = large_dce(data)
    with tempfile.TemporaryDirectory() as tmp:
        with timed_pieces() as times:
            start = time.perf_counter()
            generate_dce_from_dict(large, Path(tmp) / "large")
            large_time = time.perf_counter() - start
        report.figure(
            f"DCE de {LARGE_LOTS} lots × {LARGE_LINES} lignes ({len(times)} fichiers) : "
            f"{large_time:.3f} s"
        )
        for name in ("RC.docx", "CCAP.docx", "CCTP.docx"):
            report.figure(f"  {name} : {times[name]:.3f} s")
        workbooks = [s for n, s in times.items() if n.endswith(".xlsx")]
        actes = [s for n, s in times.items() if n.startswith("AE_")]
        report.figure(
            f"  par lot : AE {sum(actes) / len(actes):.3f} s, BPU/DQE de {LARGE_LINES} lignes "
            f"{sum(workbooks) / len(workbooks):.3f} s"
        )
        report.at_most(
            "grand DCE / DCE de l'exemple", large_time / steady, MAX_RATIO_LARGE_TO_EXAMPLE
        )
        with tempfile.TemporaryDirectory() as example_tmp:
            generate_dce_from_dict(data, Path(example_tmp))
            counts = page_counts(Path(example_tmp))
        if counts is not None:
            report.figure(
                "pages de l'exemple : " + ", ".join(f"{k} {v}" for k, v in counts.items())
            )
    pagination_figures(report, data, large)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
