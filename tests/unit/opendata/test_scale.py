"""The path beyond one machine, tested small: two shares of the real 2019 files imported apart,
their facts written as partitioned Parquet under one folder, and the cross-contract flags and
figures read back over all partitions equal those of one process holding everything."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openamo.opendata.audit import audit_contracts
from openamo.opendata.importer import import_files
from openamo.opendata.scale import audit_parquet, write_facts

FILES = sorted(
    (Path(__file__).resolve().parents[2] / "fixtures" / "decp" / "v1_2019").glob("*.json")
)
TODAY = dt.date(2026, 1, 15)


def test_partitioned_parquet_gives_the_same_figures_and_flags_as_one_process(
    tmp_path: Path,
) -> None:
    first = import_files(FILES[1:3], keep_contracts=True).contracts  # two sources on one machine
    second = import_files(FILES[3:4], keep_contracts=True).contracts  # another on a second one
    root = tmp_path / "faits"
    own = write_facts(first, root) + write_facts(second, root)
    years = {p.name for p in root.iterdir()}
    assert len(years) > 1 and all(name.startswith("annee=") for name in years)

    hits, figures = audit_parquet(root, limit=100_000, today=TODAY)
    whole = audit_contracts([*first, *second], records_read=0, limit=100_000, today=TODAY)

    def plain(rows: list[dict[str, object]]) -> list[str]:
        # Equal amounts come in any order; a buyer published under two names shows either.
        return sorted(repr({k: v for k, v in row.items() if k != "nom"}) for row in rows)

    for name, rows in whole.figures.items():
        assert plain(figures[name]) == plain(rows), name
    assert sorted((h.code, h.explanation) for h in own + hits) == sorted(
        (h.code, h.explanation) for h in whole.hits
    )
    assert sum(row["contrats"] for row in figures["par_annee"]) <= len(first) + len(second)
