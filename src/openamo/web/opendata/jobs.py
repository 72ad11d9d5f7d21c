"""Start a background job: on the PostgreSQL queue when the database is PostgreSQL (production,
``python -m django procrastinate worker`` runs it); at once, in the request, on SQLite (a local
trial without a worker), where the queue has no tables."""

from __future__ import annotations

from django.db import connection, transaction

from openamo.web.opendata.imports import run_import
from openamo.web.opendata.models import DecpImport


def start_import(item: DecpImport) -> None:
    if connection.vendor == "postgresql":
        from openamo.web.opendata.tasks import import_decp

        transaction.on_commit(lambda: import_decp.defer(import_id=item.pk))
    else:
        run_import(item.pk)
