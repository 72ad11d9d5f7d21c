"""Beyond one machine: the audit's facts as partitioned Parquet, the same SQL over all of them.

Each machine (or job) imports its share of the national files — one source, one year, one
region — and writes its facts with ``write_facts`` under a shared folder (a network file system
or an object store DuckDB reads), one Parquet partition per year of notification. Any machine
then runs the audit's cross-contract rules (splitting over twelve months, repeated dispense)
and the figures per buyer, supplier and year with ``audit_parquet``: DuckDB reads only the
columns and partitions each query needs, so the facts of 3.3 million records (a few hundred
megabytes of Parquet) never have to fit in one process. Rules that look at one contract alone
ran already where the share was imported (``contract_hits``). Nothing here is home-made: the
storage is Parquet, the engine DuckDB.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openamo.opendata.audit import (
    Hit,
    Thresholds,
    connect_facts,
    contract_hits,
    cross_hits,
    facts_columns,
    figures,
    load_thresholds,
    paris_today,
)
from openamo.opendata.records import Contract


def write_facts(contracts: list[Contract], root: Path) -> list[Hit]:
    """Run the one-contract rules on this share and append its facts under
    ``root/annee=YYYY/``; returns this share's one-contract red flags."""
    thresholds = Thresholds()
    hits: list[Hit] = []
    flagged: set[int] = set()
    for position, contract in enumerate(contracts):
        found = contract_hits(contract, thresholds)
        if found:
            flagged.add(position)
            hits.extend(found)
    connection = connect_facts(facts_columns(contracts, flagged))
    root.mkdir(parents=True, exist_ok=True)
    # A unique file name per writer: shares written at the same time never overwrite each other.
    connection.execute(
        f"COPY (SELECT *, year(day) AS annee FROM facts) TO '{_quoted(root)}' "
        "(FORMAT PARQUET, PARTITION_BY (annee), APPEND, "
        "FILENAME_PATTERN 'faits_{uuid}')"
    )
    connection.close()
    return hits


def audit_parquet(
    root: Path, *, limit: int = 100, today: dt.date | None = None
) -> tuple[list[Hit], dict[str, list[dict[str, Any]]]]:
    """Cross-contract red flags and figures over every partition under ``root``."""
    import duckdb

    connection = duckdb.connect()
    connection.execute(
        "CREATE VIEW facts AS SELECT * EXCLUDE (annee) FROM read_parquet("
        f"'{_quoted(root)}/**/*.parquet', hive_partitioning = true)"
    )
    load_thresholds(connection)
    hits = cross_hits(connection, None, today or paris_today())
    found = figures(connection, limit)
    connection.close()
    return hits, found


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
