"""A buyer imports its own published DECP history: the file is read by the domain's streaming
reader, each record validated against its official schema, only the buyer's own records (its
SIRET) kept, and a contract met twice (in this file or an earlier import) merged into one — the
most amended, then the latest published, version wins. The rows of a tabular file (one per
contract, titulaire and version) are kept together on their contract and folded into it with
its modifications (``openamo.opendata.versions``). Runs as a background job
(``openamo.web.opendata.tasks``); progress is written on the import as it goes."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from openamo.opendata.importer import prefer
from openamo.opendata.reader import DecpFile
from openamo.opendata.records import Contract, normalise
from openamo.opendata.schemas import validator
from openamo.opendata.versions import contract_of_rows, stored_rows
from openamo.web.audit.models import Action
from openamo.web.audit.services import record
from openamo.web.opendata.access import BuyerAccess
from openamo.web.opendata.models import DecpImport, DecpImportChunk, ImportedRecord, ImportStatus
from openamo.web.users import AuthenticatedUser

CHUNK_BYTES = 1024 * 1024
PROGRESS_EVERY = 200
SHOWN_ERRORS = 50


def create_import(
    access: BuyerAccess, user: AuthenticatedUser, filename: str, upload: Any
) -> DecpImport:
    """Stores the upload (a Django ``UploadedFile``) piece by piece, never whole in memory."""
    access.require_own()
    access.require_edit()
    with transaction.atomic():
        item = DecpImport.objects.create(
            organisation=access.organisation, created_by=user, filename=filename, size=0
        )
        size = 0
        upload.seek(0)
        position = 0
        # read(n) rather than chunks(): an in-memory upload gives its chunks() in one piece.
        while content := upload.read(CHUNK_BYTES):
            DecpImportChunk.objects.create(upload=item, position=position, content=content)
            size += len(content)
            position += 1
        DecpImport.objects.filter(pk=item.pk).update(size=size)
        item.size = size
        record(
            user,
            Action.IMPORT,
            item,
            operation_id=None,
            after={"fichier": filename, "taille": size},
        )
    return item


def imports_of(access: BuyerAccess) -> list[DecpImport]:
    access.require_own()
    return list(DecpImport.objects.filter(organisation=access.organisation)[:20])


def write_upload(item: DecpImport, path: Path) -> None:
    """The stored pieces, one at a time (a server-side cursor on PostgreSQL), into ``path``."""
    pieces = (
        DecpImportChunk.objects.filter(upload=item)
        .order_by("position")
        .values_list("content", flat=True)
    )
    with path.open("wb") as handle:
        for content in pieces.iterator(chunk_size=1):
            handle.write(bytes(content))


def run_import(import_id: int) -> None:
    """The job: never raises on bad data (it is reported on the import instead)."""
    item = DecpImport.objects.select_related("organisation").get(pk=import_id)
    if item.status == ImportStatus.TERMINE:
        return
    DecpImport.objects.filter(pk=item.pk).update(status=ImportStatus.EN_COURS)
    siret = item.organisation.siret
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / item.filename
            write_upload(item, path)
            _read(item, path, siret)
    except Exception as exc:
        DecpImport.objects.filter(pk=item.pk).update(
            status=ImportStatus.ECHEC,
            error=f"Le fichier n'a pas pu être lu jusqu'au bout : {exc}",
            finished_at=timezone.now(),
        )


def _read(item: DecpImport, path: Path, siret: str) -> None:
    source = DecpFile(path)
    read = kept = other = merged = invalid = 0
    errors: list[dict[str, str]] = []
    # Keys only (not the records' data): a record met again is fetched when it is met.
    existing: dict[tuple[str, str], int] = {
        (siret_, contract_id): pk
        for siret_, contract_id, pk in ImportedRecord.objects.filter(
            organisation=item.organisation
        ).values_list("buyer_siret", "contract_id", "pk")
    }
    # The buyer's own tabular rows, per contract (a buyer's history: thousands, not millions).
    tabular: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = {}
    for raw in source:
        read += 1
        contract = normalise(raw)
        if raw.form != "tabulaire":
            checker = validator("2" if raw.form == "2" else "1.5")
            if not checker.is_valid(raw.data, raw.kind):
                invalid += 1
                for error in checker.errors(raw.data, raw.kind)[:3]:
                    if len(errors) < SHOWN_ERRORS:
                        errors.append(
                            {
                                "position": raw.location,
                                "champ": error.path,
                                "message": error.message,
                            }
                        )
        if not siret or contract.buyer_id != siret:
            other += 1
        elif raw.form == "tabulaire":
            key = (contract.buyer_id, contract.id[:60])
            tabular.setdefault(key, []).append((raw.location, raw.data))
        else:
            key = (contract.buyer_id, contract.id[:60])
            known = existing.get(key)
            if known is None:
                existing[key] = ImportedRecord.objects.create(
                    organisation=item.organisation,
                    source=item,
                    buyer_siret=key[0],
                    contract_id=key[1],
                    form=raw.form,
                    kind=raw.kind,
                    location=raw.location[:60],
                    modifications=len(contract.modifications),
                    data=raw.data,
                ).pk
                kept += 1
            else:
                merged += 1
                current = ImportedRecord.objects.select_related("source").get(pk=known)
                old = imported_contract(current)
                if prefer(contract, old):
                    current.source = item
                    current.form, current.kind = raw.form, raw.kind
                    current.location = raw.location[:60]
                    current.modifications = len(contract.modifications)
                    current.data = raw.data
                    current.save()
        if read % PROGRESS_EVERY == 0:
            DecpImport.objects.filter(pk=item.pk).update(
                records_read=read, records_kept=kept, records_other=other, merged=merged
            )
    for key, rows in tabular.items():
        created = _keep_rows(item, key, rows, existing)
        kept += created
        merged += len(rows) - created  # the other rows of a contract are folded into it
    with transaction.atomic():
        DecpImport.objects.filter(pk=item.pk).update(
            status=ImportStatus.TERMINE,
            records_read=read,
            records_kept=kept,
            records_other=other,
            merged=merged,
            finished_at=timezone.now(),
            report={
                "non_conformes_au_schema": invalid,
                "erreurs_schema": errors,
                "problemes_du_fichier": [issue.message for issue in source.issues],
                "format": source.form,
            },
        )


def _keep_rows(
    item: DecpImport,
    key: tuple[str, str],
    rows: list[tuple[str, dict[str, Any]]],
    existing: dict[tuple[str, str], int],
) -> int:
    """Store a contract's tabular rows (with those an earlier import kept, if tabular too);
    returns 1 if the contract is new."""
    known = existing.get(key)
    if known is None:
        lines = stored_rows(rows)
        contract = contract_of_rows(item.filename, lines)
        existing[key] = ImportedRecord.objects.create(
            organisation=item.organisation,
            source=item,
            buyer_siret=key[0],
            contract_id=key[1],
            form="tabulaire",
            kind="marche",
            location=rows[0][0][:60],
            modifications=len(contract.modifications),
            data={"lignes": lines},
        ).pk
        return 1
    current = ImportedRecord.objects.select_related("source").get(pk=known)
    if current.form == "tabulaire" and "lignes" in current.data:
        earlier = [(line["position"], line["donnees"]) for line in current.data["lignes"]]
        lines = stored_rows([*earlier, *rows])
        contract = contract_of_rows(item.filename, lines)
    else:
        lines = stored_rows(rows)
        contract = contract_of_rows(item.filename, lines)
        if not prefer(contract, normalise(_raw_of(current))):
            return 0
    current.source = item
    current.form, current.kind = "tabulaire", "marche"
    current.location = rows[0][0][:60]
    current.modifications = len(contract.modifications)
    current.data = {"lignes": lines}
    current.save()
    return 0


def imported_contract(row: ImportedRecord, position: int = 0) -> Contract:
    """The contract of a stored record: its tabular rows folded, or the record normalised."""
    if row.form == "tabulaire" and "lignes" in row.data:
        return contract_of_rows(row.source.filename, row.data["lignes"])
    return normalise(_raw_of(row, position))


def _raw_of(row: ImportedRecord, position: int = 0) -> Any:
    from openamo.opendata.reader import RawRecord

    return RawRecord(row.source.filename, position, row.form, row.kind, row.data, row.location)  # type: ignore[arg-type]
