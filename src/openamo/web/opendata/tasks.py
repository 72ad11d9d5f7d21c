"""Background jobs on the PostgreSQL-backed queue (procrastinate): ``python -m django
procrastinate worker`` runs them (README « Tâches de fond »)."""

from __future__ import annotations

from django.db import connections
from procrastinate.contrib.django import app

from openamo.web.opendata.imports import run_import


@app.task(name="opendata.import_decp", queue="opendata")
def import_decp(import_id: int) -> None:
    try:
        run_import(import_id)
    finally:
        # A sync task runs in a thread of the worker: its Django connection ends with it.
        connections.close_all()
