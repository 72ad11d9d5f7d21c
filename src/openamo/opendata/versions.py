"""The tabular consolidated DECP folded back into contracts and their modifications.

In the tabular form (decp.info, decp-processing) each row is the whole state of one contract for
one titulaire at one version: the rows of a contract share its ``uid`` (buyer SIRET + ``id``). A
row's version is its ``modification_id`` when the column is filled (0 = the initial data), else
the rank of its ``dateNotification`` within the contract (the format gives the modification's own
notification date there). So, of the rows of one contract:

- rows of the same version and of different titulaires are its co-holders (one version, several
  titulaires), not duplicates;
- a row repeating the titulaire and the version of an earlier row is a true duplicate (the same
  state republished): of those, the latest published is kept, the last read among equals;
- each later version whose amount or duration differs from the last known one is a modification
  (the new total amount and the new duration, as in the JSON forms), dated by that version's
  notification and publication, with its titulaires when they changed; a later version that
  changes neither amount nor duration is folded without one.

An extract filtered on dates (such as the real 2024 sample of the tests) may lack a contract's
first versions: its earliest version read then stands as the initial state, and the
modifications are counted from there. Rows need not be sorted: the importer gathers the rows of each contract whatever their order and
folds them at the end of the input (memory grows with the rows of tabular files read this way;
the national file goes through ``columnar``, where DuckDB does the same fold in SQL and spills to
disk). ``columnar`` computes the same classification and the same modifications column-wise; the
tests compare both.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openamo.opendata.reader import RawRecord
from openamo.opendata.records import Contract, Issue, Modification, Party, normalise

# Version of a row: (modification_id or -1, notification date or 1 January of year 1).
VersionKey = tuple[int, dt.date]
NO_DATE = dt.date(1, 1, 1)
_WHOLE = re.compile(r"[+-]?[0-9]{1,30}")


def version_key(data: dict[str, Any], contract: Contract) -> VersionKey:
    """The version a row describes: its ``modification_id`` first, then its notification date."""
    text = str(data.get("modification_id") or "").strip(" \t\r\n")
    rank = int(text) if _WHOLE.fullmatch(text) else -1
    return rank, contract.notified_on or NO_DATE


@dataclass(slots=True)
class TabularRow:
    """One row of a tabular file, normalised alone, with where it was read."""

    ord: int  # position among every tabular row of the import, in reading order
    file: int  # index of its file among the files of the import
    key: VersionKey
    contract: Contract

    @property
    def supplier(self) -> str:
        return self.contract.suppliers[0].id if self.contract.suppliers else ""

    def order(self) -> tuple[dt.date, int]:
        """Latest published first wins, then the last read."""
        return self.contract.published_on or dt.date.min, self.ord


@dataclass
class Folded:
    """A contract rebuilt from its rows, and what each other row was."""

    contract: Contract
    first: TabularRow
    initial: TabularRow  # the row kept for the initial state
    duplicates: list[tuple[TabularRow, TabularRow]] = field(default_factory=list)  # (row, first)
    co_holders: list[TabularRow] = field(default_factory=list)
    versions: list[TabularRow] = field(default_factory=list)  # first row of each later version


def fold(rows: Iterable[TabularRow]) -> Folded:
    """The rows of one contract (same buyer and id), in any order, as one contract."""
    ordered = sorted(rows, key=lambda row: row.ord)
    first = ordered[0]
    folded = Folded(first.contract, first, first)
    by_version: dict[VersionKey, list[TabularRow]] = {}
    holders: dict[tuple[VersionKey, str], TabularRow] = {}
    for row in ordered:
        seen = holders.get((row.key, row.supplier))
        if seen is not None:
            folded.duplicates.append((row, seen))
        elif row.key in by_version:
            folded.co_holders.append(row)
        elif by_version:
            folded.versions.append(row)
        holders.setdefault((row.key, row.supplier), row)
        by_version.setdefault(row.key, []).append(row)
    states = [_state(by_version[key]) for key in sorted(by_version)]
    folded.initial, suppliers = states[0]
    initial = folded.initial.contract
    modifications: list[Modification] = []
    amount, months = initial.amount, initial.duration_months
    known = {party.id for party in suppliers}
    for kept, holders_of_state in states[1:]:
        state = kept.contract
        ids = {party.id for party in holders_of_state}
        changed_holders, known = (holders_of_state if ids != known else ()), ids
        new_amount = state.amount if _changed(state.amount, amount) else None
        new_months = state.duration_months if _changed(state.duration_months, months) else None
        amount = state.amount if state.amount is not None else amount
        months = state.duration_months if state.duration_months is not None else months
        if new_amount is None and new_months is None:
            continue
        modifications.append(
            Modification(
                position=len(modifications),
                notified_on=state.notified_on,
                published_on=state.published_on,
                amount=new_amount,
                duration_months=new_months,
                suppliers=changed_holders,
                object=None,
            )
        )
    issues: dict[Issue, None] = {}
    for row in ordered:
        issues.update(dict.fromkeys(row.contract.issues))
    folded.contract = dataclasses.replace(
        initial, suppliers=suppliers, modifications=modifications, issues=list(issues)
    )
    return folded


def _changed(value: Decimal | int | None, known: Decimal | int | None) -> bool:
    """A known value different from the last known one (an unknown value changes nothing)."""
    return value is not None and known is not None and value != known


def _state(rows: list[TabularRow]) -> tuple[TabularRow, tuple[Party, ...]]:
    """The row kept for one version (its contract is the contract as that version states it),
    and that version's titulaires (the kept row's first, then the others in reading order)."""
    kept = max(rows, key=TabularRow.order)
    parties: dict[str, Party] = {}
    for row in [kept, *rows]:
        if row.contract.suppliers:
            parties.setdefault(row.supplier, row.contract.suppliers[0])
    return kept, tuple(parties.values())


def stored_rows(rows: Iterable[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Rows of one contract as kept together, e.g. in the web's imported history: their
    position in the file and their cells, each distinct row once, in reading order."""
    kept: dict[str, dict[str, Any]] = {}
    for position, data in rows:
        entry = {"position": position, "donnees": data}
        kept.setdefault(repr(sorted(data.items())), entry)
    return list(kept.values())


def contract_of_rows(file: str, rows: list[dict[str, Any]]) -> Contract:
    """The contract of rows kept by ``stored_rows``, folded as the importer folds them."""
    found = []
    for index, entry in enumerate(rows):
        raw = RawRecord(file, index, "tabulaire", "marche", entry["donnees"], entry["position"])
        contract = normalise(raw)
        found.append(TabularRow(index, 0, version_key(raw.data, contract), contract))
    return fold(found).contract


def contracts(
    records: Iterable[RawRecord], *, grouped: bool = False
) -> Iterator[tuple[RawRecord, Contract]]:
    """Each record with its contract, the rows of a tabular contract folded into one (given with
    the row of its initial state). ``grouped``: the rows of each contract come together (sorted
    by DuckDB, ``columnar.grouped_rows``), so each contract is folded when the next begins and
    memory stays bounded; otherwise tabular rows are gathered until the end of the input."""
    pending: dict[tuple[str, str], list[tuple[RawRecord, TabularRow]]] = {}
    count = 0
    for raw in records:
        contract = normalise(raw)
        if raw.form != "tabulaire":
            yield raw, contract
            continue
        key = (contract.buyer_id, contract.id)
        if grouped and pending and key not in pending:
            yield from _folded(pending)
            pending.clear()
        row = TabularRow(count, 0, version_key(raw.data, contract), contract)
        pending.setdefault(key, []).append((raw, row))
        count += 1
    yield from _folded(pending)


def _folded(
    pending: dict[tuple[str, str], list[tuple[RawRecord, TabularRow]]],
) -> Iterator[tuple[RawRecord, Contract]]:
    for rows in pending.values():
        raws = {row.ord: raw for raw, row in rows}
        folded = fold(row for _, row in rows)
        yield raws[folded.initial.ord], folded.contract
