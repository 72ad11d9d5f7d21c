"""DECP at national scale, column by column: the tabular consolidated file (the form data.gouv.fr
publishes its 3.3 million rows in, Parquet) checked field by field and audited by
``columnar.audit_tabular``, against baselines measured in the same run.

The file is built the way the issue says: the real 2024 tabular rows (8 957, tests/fixtures),
replicated with a new id and amount each time round, written as Parquet. Measured on it:

- merely reading the file (DuckDB loading the 18 columns the audit reads into memory);
- the straightforward pipeline of the issue (standard ``json`` + ``jsonschema`` on the real 2019
  records, about 2 000 records/s on this machine), a rate per record;
- OpenAMO's per-record path (``import_files`` + ``audit_contracts``) on a slice of the same rows:
  the speed before the columnar path;
- ``audit_tabular`` on the whole file: import, every field checked, the rows of each contract
  (co-holders, versions, duplicates) folded into it with its modifications, every red
  flag and the figures.

Targets are ratios in one run, so a busy machine slows both sides: at least 55 times
``json`` + ``jsonschema`` (the issue: 110 000 records/s where that pipeline does 2 000), at most
10 times merely reading the file, and a peak memory of at most 1 GiB. ``OPENAMO_BENCH_N`` sets the
number of rows (default 300 000; 3 300 000 is the national size, a minute of CPU).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

from _report import Report, thousands
from bench_opendata import naive_rate, national_like
from openamo.opendata.audit import audit_contracts
from openamo.opendata.columnar import COLUMNS, audit_tabular
from openamo.opendata.importer import import_files

ROWS = int(os.environ.get("OPENAMO_BENCH_N", "300000"))
PER_RECORD_SLICE = 20_000
NATIONAL = 3_300_000
ISSUE_RATIO_TO_NAIVE = 55  # 110 000 records/s against ~2 000 for json + jsonschema
MAX_RATIO_TO_READ = 10
MEMORY_LIMIT_MIB = 1024
REAL = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "decp" / "tabular"
SAMPLE = REAL / "decp_2024H2_travaux_cpv4521_filtered.csv"
TODAY = dt.date(2026, 12, 3)


def national_parquet(rows: int, target: Path) -> None:
    """The real rows replicated with a new id (and uid) and amount each time round."""
    sample = str(SAMPLE).replace("'", "''")
    real = duckdb.execute(f"SELECT count(*) FROM read_csv('{sample}', header = true)").fetchone()
    assert real is not None
    rounds = -(-rows // real[0])
    duckdb.execute(
        f"""COPY (
            SELECT * REPLACE (
                id || CASE WHEN r > 0 THEN 'R' || r ELSE '' END AS id,
                uid || CASE WHEN r > 0 THEN 'R' || r ELSE '' END AS uid,
                CASE WHEN r > 0 THEN CAST(round(try_cast(montant AS DOUBLE) * (1 + (r % 7) / 100), 2)
                     AS VARCHAR) ELSE montant END AS montant)
            FROM read_csv('{sample}', all_varchar = true, header = true), range({rounds}) t(r)
            LIMIT {rows}
        ) TO '{str(target).replace("'", "''")}' (FORMAT PARQUET)"""
    )


def reading_time(path: Path) -> float:
    """Seconds to load the columns the audit reads into memory, and nothing else."""
    connection = duckdb.connect()
    present = {row[0] for row in connection.execute(f"DESCRIBE SELECT * FROM '{path}'").fetchall()}
    columns = ", ".join(f'"{name}"' for name in COLUMNS if name in present)
    start = time.perf_counter()
    connection.execute(f"CREATE TABLE t AS SELECT {columns} FROM read_parquet('{path}')")
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


def per_record_rate(path: Path, folder: Path) -> float:
    """Records per second of the per-record path on the first rows of the same file."""
    csv = folder / "slice.csv"
    duckdb.execute(
        f"COPY (SELECT * FROM read_parquet('{path}') LIMIT {PER_RECORD_SLICE}) TO '{csv}' (HEADER)"
    )
    start = time.perf_counter()
    imported = import_files([csv], keep_contracts=True, limit=0)
    audit_contracts(imported.contracts, records_read=imported.records, today=TODAY)
    return imported.records / (time.perf_counter() - start)


def own_peak_kib() -> int:
    """The peak resident memory of this process image, in KiB. ``ru_maxrss`` is not it: Linux
    carries the parent's resident size over the fork and exec of a spawned process (a parent of
    800 MiB gives a child of 14 MiB an ``ru_maxrss`` of 813 MiB), and at the national size the
    parent holds the DuckDB that wrote the file; ``VmHWM`` is the peak of this image alone."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def timed_audit(path: str, queue: Any) -> None:
    """In a fresh process, so that its peak memory is the audit's own (not the set-up's)."""
    start, cpu = time.perf_counter(), time.process_time()
    audit = audit_tabular([Path(path)], limit=100, today=TODAY)
    flags = {flag["code"]: flag["nombre"] for flag in audit.as_dict()["alertes"]}
    queue.put(
        (
            time.perf_counter() - start,
            time.process_time() - cpu,
            audit.records_read,
            audit.contracts,
            sum(flags.values()),
            own_peak_kib(),
        )
    )


def main() -> int:
    report = Report("DECP à l'échelle nationale : format tabulaire, en colonnes")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = folder / "decp.parquet"
        national_parquet(ROWS, path)
        reading = reading_time(path)
        naive = naive_rate(national_like(2000))
        per_record = per_record_rate(path, folder)
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        child = context.Process(target=timed_audit, args=(str(path), queue))
        child.start()
        full, cpu, records, contracts, alerts, peak = queue.get()
        child.join()
        size = path.stat().st_size
    assert records == ROWS, records
    rate = ROWS / full
    report.figure(
        f"{thousands(ROWS)} lignes ({size / 1e6:.0f} Mo de Parquet), {thousands(contracts)} "
        f"marchés après regroupement de leurs lignes : lecture seule {reading:.2f} s, import contrôlé + "
        f"audit {full:.2f} s ({thousands(rate)} lignes/s ; {cpu:.1f} s de processeur), "
        f"{thousands(alerts)} alertes"
    )
    report.figure(f"json + jsonschema : {thousands(naive)} enr./s")
    report.figure(
        f"chemin enregistrement par enregistrement (avant) : {thousands(per_record)} enr./s "
        f"(sur {thousands(PER_RECORD_SLICE)} lignes) ; en colonnes : {rate / per_record:.0f} × plus vite"
    )
    report.figure(f"mémoire maximale du processus de l'audit : {peak / 1024:.0f} Mio")
    report.figure(
        f"extrapolation à {thousands(NATIONAL)} lignes : {NATIONAL / rate:.0f} s à ce rythme "
        "(objectif de l'issue : 30 s)"
    )
    report.at_least("rythme en colonnes / json + jsonschema", rate / naive, ISSUE_RATIO_TO_NAIVE)
    report.at_most(
        "durée en colonnes / lecture seule du fichier", full / reading, MAX_RATIO_TO_READ
    )
    report.at_most("mémoire maximale / 1 Gio", peak / 1024 / MEMORY_LIMIT_MIB, 1)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
