"""``amo decp import``: read DECP files, validate each record, report what is wrong, record by record.

Every record of a JSON or XML file is judged against the official schema of its own version
(v1.5 for the 2019 format, v2.0.3 since 2024); the tabular consolidated form has no official JSON
schema and is checked field by field. Duplicates are counted within a file (a contract republished
with each modification) and across files (the same contract sent by two platforms), and merged:
the version kept is the one that carries the most modifications, then the latest published.

Tabular rows are not contracts: the rows of one contract (its co-holders, its versions) are
folded back into one contract with its modifications (``versions``); only a row repeating the
titulaire and the version of another is a duplicate.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openamo.opendata.reader import DecpFile, FileIssue, RawRecord
from openamo.opendata.records import Contract, normalise
from openamo.opendata.schemas import SchemaError, validator
from openamo.opendata.versions import TabularRow, fold, version_key

Progress = Callable[[int, int], None]  # (records read so far, bytes read so far)
DEFAULT_LIMIT = 1000


@dataclass
class FileSummary:
    name: str
    form: str | None = None
    encoding: str = "utf-8"
    records: int = 0
    contracts: int = 0
    concessions: int = 0
    schema_valid: int = 0
    schema_invalid: int = 0
    with_modifications: int = 0
    modifications: int = 0
    duplicates: int = 0
    co_holders: int = 0  # tabular rows of another titulaire of the same version
    versions: int = 0  # tabular rows of a later version of a contract already met
    issues: list[FileIssue] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        found = {
            "fichier": self.name,
            "format": self.form,
            "encodage": self.encoding,
            "enregistrements": self.records,
            "marches": self.contracts,
            "concessions": self.concessions,
            "conformes_au_schema": self.schema_valid,
            "non_conformes_au_schema": self.schema_invalid,
            "avec_modifications": self.with_modifications,
            "modifications": self.modifications,
            "doublons_dans_le_fichier": self.duplicates,
            "problemes_du_fichier": [issue.as_dict() for issue in self.issues],
        }
        if self.form == "tabulaire":
            found["lignes_de_cotitulaires"] = self.co_holders
            found["lignes_de_versions"] = self.versions
        return found


@dataclass
class RecordReport:
    contract: Contract
    schema_errors: list[SchemaError]

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.contract.ref(),
            "erreurs_schema": [error.as_dict() for error in self.schema_errors],
            "problemes": [issue.as_dict() for issue in self.contract.issues],
        }


@dataclass
class ImportReport:
    files: list[FileSummary] = field(default_factory=list)
    reports: list[RecordReport] = field(default_factory=list)
    reports_dropped: int = 0
    issue_counts: Counter[str] = field(default_factory=Counter)
    schema_paths: Counter[str] = field(default_factory=Counter)
    duplicates_across: int = 0
    # Duplicates (within or across files) that say something else than the record they repeat:
    # a contract republished with other data, of which only one version is kept.
    conflicting_duplicates: int = 0
    contracts: list[Contract] = field(default_factory=list)  # deduplicated, when kept

    @property
    def records(self) -> int:
        return sum(f.records for f in self.files)

    @property
    def schema_invalid(self) -> int:
        return sum(f.schema_invalid for f in self.files)

    def as_dict(self) -> dict[str, Any]:
        return {
            "enregistrements_lus": self.records,
            "conformes_au_schema": sum(f.schema_valid for f in self.files),
            "non_conformes_au_schema": self.schema_invalid,
            "avec_modifications": sum(f.with_modifications for f in self.files),
            "modifications": sum(f.modifications for f in self.files),
            "doublons_dans_un_fichier": sum(f.duplicates for f in self.files),
            "doublons_entre_fichiers": self.duplicates_across,
            "doublons_au_contenu_different": self.conflicting_duplicates,
            "contrats_distincts": self.records
            - sum(f.duplicates + f.co_holders + f.versions for f in self.files)
            - self.duplicates_across,
            "fichiers": [f.as_dict() for f in self.files],
            "problemes_par_type": dict(self.issue_counts.most_common()),
            "erreurs_schema_par_champ": dict(self.schema_paths.most_common(50)),
            "enregistrements_en_defaut": [r.as_dict() for r in self.reports],
            "enregistrements_en_defaut_non_listes": self.reports_dropped,
        }


def read_records(paths: Iterable[Path], summaries: list[FileSummary]) -> Iterator[RawRecord]:
    for path in paths:
        source = DecpFile(path)
        summary = FileSummary(path.name)
        summaries.append(summary)
        yield from source
        summary.form = source.form
        summary.encoding = source.encoding
        summary.issues = source.issues


def import_files(
    paths: Iterable[Path],
    *,
    keep_contracts: bool = False,
    limit: int = DEFAULT_LIMIT,
    progress: Progress | None = None,
) -> ImportReport:
    """Read, validate and deduplicate; never raises on bad data (it is reported instead)."""
    report = ImportReport()
    kept: dict[tuple[str, str], Contract] = {}
    origin: dict[tuple[str, str], tuple[str, int]] = {}  # file of the first, what it says
    tabular: dict[tuple[str, str], list[TabularRow]] = {}
    count = 0
    for raw in read_records(paths, report.files):
        summary = report.files[-1]
        contract = normalise(raw)
        errors: list[SchemaError] = []
        summary.records += 1
        if raw.kind == "concession":
            summary.concessions += 1
        else:
            summary.contracts += 1
        if raw.form == "tabulaire":
            row = TabularRow(
                count, len(report.files) - 1, version_key(raw.data, contract), contract
            )
            tabular.setdefault((contract.buyer_id, contract.id), []).append(row)
        else:
            checker = validator("2" if raw.form == "2" else "1.5")
            if checker.is_valid(raw.data, raw.kind):
                summary.schema_valid += 1
            else:
                summary.schema_invalid += 1
                errors = checker.errors(raw.data, raw.kind)
                report.schema_paths.update(error.path or "(racine)" for error in errors)
            _merge(report, summary, contract, kept, origin, keep_contracts)
        report.issue_counts.update(issue.code for issue in contract.issues)
        if errors or contract.issues:
            if len(report.reports) < limit:
                report.reports.append(RecordReport(contract, errors))
            else:
                report.reports_dropped += 1
        count += 1
        if progress is not None and count % 2000 == 0:
            progress(count, 0)
    for rows in tabular.values():
        folded = fold(rows)
        files = report.files
        for duplicate, first in folded.duplicates:
            if duplicate.file == first.file:
                files[duplicate.file].duplicates += 1
            else:
                report.duplicates_across += 1
        for co_holder in folded.co_holders:
            files[co_holder.file].co_holders += 1
        for version in folded.versions:
            files[version.file].versions += 1
        _merge(report, files[folded.first.file], folded.contract, kept, origin, keep_contracts)
    report.contracts = list(kept.values())
    if progress is not None:
        progress(count, 0)
    return report


def _merge(
    report: ImportReport,
    summary: FileSummary,
    contract: Contract,
    kept: dict[tuple[str, str], Contract],
    origin: dict[tuple[str, str], tuple[str, int]],
    keep_contracts: bool,
) -> None:
    """Count a contract's modifications and whether it repeats one already met (and says the
    same), keep the best."""
    if contract.modifications:
        summary.with_modifications += 1
        summary.modifications += len(contract.modifications)
    key = (contract.buyer_id, contract.id)
    previous = origin.get(key)
    said = _said(contract)
    if previous is None:
        origin[key] = (contract.file, said)
    else:
        if previous[1] != said:
            report.conflicting_duplicates += 1
        if previous[0] == contract.file:
            summary.duplicates += 1
        else:
            report.duplicates_across += 1
    if keep_contracts:
        current = kept.get(key)
        if current is None or prefer(contract, current):
            kept[key] = contract


def _said(contract: Contract) -> int:
    """A digest of what a record says of its contract (compared with the record it repeats)."""
    return hash(
        (
            contract.kind,
            contract.buyer_name,
            contract.object,
            contract.cpv,
            contract.procedure,
            contract.amount,
            contract.duration_months,
            contract.notified_on,
            contract.published_on,
            contract.offers,
            contract.suppliers,
            tuple(
                (m.amount, m.duration_months, m.notified_on, m.published_on)
                for m in contract.modifications
            ),
        )
    )


def prefer(new: Contract, old: Contract) -> bool:
    """Of two versions of one contract, keep the most amended, then the latest published."""
    if len(new.modifications) != len(old.modifications):
        return len(new.modifications) > len(old.modifications)
    return (new.published_on or dt.date.min) >= (old.published_on or dt.date.min)
