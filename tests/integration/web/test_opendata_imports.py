"""A buyer imports its published DECP history as a background job on the PostgreSQL queue
(procrastinate): the worker runs for real, only the buyer's own records are kept, a contract
met twice is merged, progress and counts are on the import's page, and the portfolio audit
reads the imported records."""

from __future__ import annotations

import copy
import json
import threading
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse

from openamo.web.opendata.models import DecpImport, ImportedRecord, ImportStatus
from tests.integration.web.conftest import Cast, client_for, text

SAMPLE = (
    Path(__file__).resolve().parents[2]
    / "fixtures"
    / "decp"
    / "v2_2024"
    / "decp-13001845000028-2024-10-06-01.json"
)
BUYER = "13001845000028"


def history() -> tuple[bytes, dict[str, int]]:
    """The real 2024 sample, plus one record seen twice and one of another buyer."""
    data: dict[str, Any] = json.loads(SAMPLE.read_bytes())
    contracts = data["marches"]["marche"]
    own = {c["id"] for c in contracts if c["acheteur"]["id"] == BUYER}
    twice = copy.deepcopy(contracts[0])
    other = copy.deepcopy(contracts[0])
    other["acheteur"]["id"] = "21750001600019"
    contracts += [twice, other]
    concessions = data["marches"].get("contrat-concession", [])
    expected = {
        "read": len(contracts) + len(concessions),
        "kept": len(own)
        + sum(1 for c in concessions if c.get("autoriteConcedante", {}).get("id") == BUYER),
        "merged": 1,
    }
    expected["other"] = expected["read"] - expected["kept"] - expected["merged"]
    return json.dumps(data).encode(), expected


def run_worker() -> None:
    """procrastinate's own worker, in this process, until the queue is empty; connected as
    ``python -m django procrastinate worker`` connects (its psycopg connector on Django's base).

    It runs in a thread of its own, as a worker process would: ``run_worker`` starts its own
    event loop, which fails in a thread where another test (a browser driven through
    Playwright's sync API) left one running."""
    from procrastinate.contrib.django import app

    failures: list[BaseException] = []

    def work() -> None:
        try:
            with app.replace_connector(app.connector.get_worker_connector()):  # type: ignore[attr-defined]
                app.run_worker(
                    queues=["opendata"],
                    wait=False,
                    install_signal_handlers=False,
                    listen_notify=False,
                )
        except BaseException as exc:  # re-raised in the test's thread
            failures.append(exc)
        finally:
            connections.close_all()

    worker = threading.Thread(target=work, name="procrastinate-worker")
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive(), "le worker n'a pas vidé la file en deux minutes"
    if failures:
        raise failures[0]


def upload(cast: Cast) -> tuple[Any, dict[str, int]]:
    cast.commune.siret = BUYER
    cast.commune.save(update_fields=["siret"])
    content, expected = history()
    response = client_for(cast.mo).post(
        reverse("opendata:import", args=[cast.commune.pk]),
        {"file": SimpleUploadedFile("historique.json", content)},
    )
    return response, expected


@pytest.mark.django_db(transaction=True)
def test_the_import_runs_on_the_queue_and_the_worker_merges_the_buyers_records(cast: Cast) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("La file de tâches vit dans PostgreSQL.")

    response, expected = upload(cast)
    item = DecpImport.objects.get()
    assert response.status_code == 302
    assert item.status == ImportStatus.EN_ATTENTE  # queued, not run in the request
    page = text(client_for(cast.mo).get(response["Location"]))
    assert "En attente" in page and 'http-equiv="refresh"' in page

    run_worker()

    item.refresh_from_db()
    assert item.status == ImportStatus.TERMINE, item.error
    assert (item.records_read, item.records_kept, item.merged, item.records_other) == (
        expected["read"],
        expected["kept"],
        expected["merged"],
        expected["other"],
    )
    assert ImportedRecord.objects.filter(organisation=cast.commune).count() == expected["kept"]
    page = text(client_for(cast.mo).get(response["Location"]))
    assert (
        "Terminé" in page and f"Marchés de votre organisation repris : {expected['kept']}" in page
    )

    audit = text(client_for(cast.reader).get(reverse("opendata:audit", args=[cast.commune.pk])))
    assert f"{expected['kept']} importés" in audit

    # Importing the same file again adds nothing: every record is merged.
    upload(cast)
    run_worker()
    again = DecpImport.objects.order_by("-pk").first()
    assert again is not None and again.status == ImportStatus.TERMINE
    assert again.records_kept == 0 and again.merged == expected["kept"] + 1
    assert ImportedRecord.objects.count() == expected["kept"]


@pytest.mark.django_db(transaction=True)
def test_imported_portfolios_are_invisible_to_other_organisations(cast: Cast) -> None:
    from openamo.web.opendata.imports import run_import

    upload(cast)
    item = DecpImport.objects.get()
    run_import(item.pk)
    detail = reverse("opendata:import_detail", args=[cast.commune.pk, item.pk])
    for outsider in (cast.outsider_mo, cast.consultant):
        client = client_for(outsider)
        assert client.get(detail).status_code == 404
        assert client.get(reverse("opendata:audit", args=[cast.commune.pk])).status_code == 404
        assert client.get(reverse("opendata:import", args=[cast.commune.pk])).status_code == 404
    own = reverse("opendata:import_detail", args=[cast.outsider.pk, item.pk])
    assert client_for(cast.outsider_mo).get(own).status_code == 404
    audit = text(
        client_for(cast.outsider_mo).get(reverse("opendata:audit", args=[cast.outsider.pk]))
    )
    assert "0 importé" in audit


def test_a_reader_may_not_import_and_a_wrong_file_is_refused_in_french(cast: Cast) -> None:
    address = reverse("opendata:import", args=[cast.commune.pk])
    denied = client_for(cast.reader).post(address, {"file": SimpleUploadedFile("a.json", b"{}")})
    assert denied.status_code == 403
    wrong = client_for(cast.mo).post(address, {"file": SimpleUploadedFile("a.docx", b"x")})
    assert wrong.status_code == 200 and "Déposez un fichier .json" in text(wrong)
    assert not DecpImport.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_upload_is_stored_and_read_back_piece_by_piece(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neither the request nor the job holds the file whole: it is kept in pieces of
    ``CHUNK_BYTES`` and written back one piece at a time; the import reads the same records."""
    from openamo.web.opendata import imports
    from openamo.web.opendata.models import DecpImportChunk

    monkeypatch.setattr(imports, "CHUNK_BYTES", 4096)
    _response, expected = upload(cast)
    item = DecpImport.objects.get()
    pieces = list(DecpImportChunk.objects.filter(upload=item).order_by("position"))
    content, _ = history()
    assert item.size == len(content) and len(pieces) == -(-len(content) // 4096)
    assert all(len(piece.content) == 4096 for piece in pieces[:-1])
    assert b"".join(bytes(piece.content) for piece in pieces) == content
    imports.run_import(item.pk)
    item.refresh_from_db()
    assert (item.status, item.records_read, item.records_kept) == (
        ImportStatus.TERMINE,
        expected["read"],
        expected["kept"],
    )


def tabular_history() -> bytes:
    """The buyer's rows from the national tabular file: one contract, two co-holders, amended
    once (+10 %, beyond R2194-8 for services); a row republished; a row of another buyer."""
    lines = ["uid,id,acheteur_id,titulaire_id,montant,codeCPV,procedure,dateNotification"]
    for holder in ("38024392300089", "78471226700060"):
        for amount, day in (("100000", "2024-03-01"), ("110000", "2024-06-03")):
            lines.append(f"{BUYER}T1,T1,{BUYER},{holder},{amount},77310000,Procédure adaptée,{day}")
    lines.append(lines[1])
    lines.append("21750001600019T9,T9,21750001600019,38024392300089,50000,77310000,,2024-03-01")
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.django_db(transaction=True)
def test_tabular_rows_are_kept_together_and_audited_with_their_modifications(
    cast: Cast,
) -> None:
    from openamo.web.opendata import imports

    cast.commune.siret = BUYER
    cast.commune.save(update_fields=["siret"])
    address = reverse("opendata:import", args=[cast.commune.pk])
    for _ in range(2):  # the second import adds nothing
        client_for(cast.mo).post(
            address, {"file": SimpleUploadedFile("decp.csv", tabular_history())}
        )
        item = DecpImport.objects.order_by("-pk").first()
        assert item is not None
        imports.run_import(item.pk)
        item.refresh_from_db()
        assert item.status == ImportStatus.TERMINE, item.error
        assert item.records_read == 6 and item.records_other == 1
        assert item.records_kept + item.merged == 5
    (stored,) = ImportedRecord.objects.filter(organisation=cast.commune)
    assert stored.form == "tabulaire" and stored.modifications == 1
    assert len(stored.data["lignes"]) == 4  # the republished row is kept once
    first = DecpImport.objects.order_by("pk").first()
    assert first is not None and first.records_kept == 1
    audit = text(client_for(cast.reader).get(reverse("opendata:audit", args=[cast.commune.pk])))
    assert "1 importé" in audit
    assert "Modifications cumulées au-delà du plafond des modifications de faible montant" in audit
