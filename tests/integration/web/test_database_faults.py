"""Database faults against a real gunicorn on PostgreSQL (issue 14, item 4): after the
server's connections are killed (what a PostgreSQL restart does), the next request reconnects
without a 500; a table locked by someone else makes the request fail fast with the French 503
page (JSON for the API) instead of holding the worker — static files still flow; a database
that cannot be reached gives the same 503; every such error is logged with its request id.

One worker with one thread, so that the stale connection is the one the next request reuses.
The timeline is logged (``-o log_cli=true -o log_cli_level=INFO``) for the issue's note."""

from __future__ import annotations

import html
import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from openamo.web.organisations.models import Membership, Organisation, OrganisationKind, Role

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the faults are PostgreSQL's"
)
TIMELINE = logging.getLogger("openamo.faults")
LOCK_TIMEOUT_MS = 1000
STATIC = "/static/dsfr/dist/dsfr/dsfr.min.css"
GUNICORN = [sys.executable, "-m", "gunicorn", "-c", "python:openamo.web.config.gunicorn"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database_url(port: int | None = None) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    return f"postgres://{db['USER']}{password}@{host}:{port or db.get('PORT') or 5432}/{db['NAME']}"


@dataclass
class Answer:
    status: int
    body: str
    headers: dict[str, str]
    seconds: float


@dataclass
class Server:
    base: str
    log: Path
    process: subprocess.Popen[bytes]
    cookie: str = ""
    timeline: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def get(self, path: str, cookie: bool = True) -> Answer:
        request = urllib.request.Request(self.base + path)
        if cookie and self.cookie:
            request.add_header("Cookie", f"sessionid={self.cookie}")
        start = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                body = html.unescape(response.read().decode())
                answer = Answer(response.status, body, dict(response.headers), 0.0)
        except urllib.error.HTTPError as error:
            body = html.unescape(error.read().decode())
            answer = Answer(error.code, body, dict(error.headers), 0.0)
        answer.seconds = time.monotonic() - start
        return answer

    def note(self, event: str, answer: Answer | None = None) -> None:
        at = time.monotonic() - self.started
        line = f"t={at:6.2f} s  {event}"
        if answer is not None:
            line += f" → {answer.status} en {answer.seconds * 1000:.0f} ms"
        self.timeline.append(line)
        TIMELINE.info(line)


def start(tmp_path: Path, url: str) -> Server:
    port = free_port()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "openamo.web.config.settings.local",
        "DATABASE_URL": url,
        "OPENAMO_DATA_DIR": str(tmp_path / "data"),
        "OPENAMO_BIND": f"127.0.0.1:{port}",
        "OPENAMO_WORKERS": "1",
        "OPENAMO_THREADS": "1",
        "OPENAMO_ALLOWED_HOSTS": "127.0.0.1",
        "OPENAMO_SECRET_KEY": str(settings.SECRET_KEY),  # the session signed by the test
        "OPENAMO_DB_LOCK_TIMEOUT_MS": str(LOCK_TIMEOUT_MS),
        "OPENAMO_DB_STATEMENT_TIMEOUT_MS": "5000",
        "OPENAMO_DB_CONNECT_TIMEOUT_S": "2",
        "OPENAMO_GUNICORN_LOG_LEVEL": "warning",
    }
    log = tmp_path / f"gunicorn-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*GUNICORN, "openamo.web.config.wsgi"],
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", log, process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            server.get(STATIC, cookie=False)
            server.get("/connexion/", cookie=False)  # the first request imports every view
            return server
        except OSError:
            assert process.poll() is None, log.read_text()
            time.sleep(0.2)
    process.kill()
    raise AssertionError(f"gunicorn n'a pas démarré : {log.read_text()}")


def stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture
def signed_in(transactional_db: None) -> str:
    """A maître d'ouvrage's session, committed so that the server process reads it."""
    commune = Organisation.objects.create(
        name="Commune de Saint-Exemple", kind=OrganisationKind.COLLECTIVITE, buyer="collectivite"
    )
    user = get_user_model().objects.create_user("marie.dupont", first_name="Marie")
    Membership.objects.create(user=user, organisation=commune, role=Role.MAITRE_OUVRAGE)
    client = Client()
    client.force_login(user)
    return str(client.cookies["sessionid"].value)


@pytest.fixture
def server(signed_in: str, tmp_path: Path) -> Iterator[Server]:
    running = start(tmp_path, database_url())
    running.cookie = signed_in
    yield running
    stop(running)


def logged_with(server: Server, answer: Answer) -> bool:
    reference = answer.headers["X-Request-ID"]
    return any(
        f"request_id={reference}" in line and "ERROR" in line
        for line in server.log.read_text().splitlines()
    )


def test_a_restart_of_the_database_costs_a_reconnection_not_a_500(server: Server) -> None:
    first = server.get("/")
    server.note("tableau de bord, connexion ouverte", first)
    assert first.status == 200 and "Tableau de bord" in first.body
    with connection.cursor() as cursor:
        cursor.execute(
            "select count(pg_terminate_backend(pid)) from pg_stat_activity "
            "where datname = current_database() and pid <> pg_backend_pid()"
        )
        killed = cursor.fetchone()[0]
    server.note(f"pg_terminate_backend : {killed} connexion(s) du serveur coupée(s)")
    assert killed >= 1
    after = server.get("/")
    server.note("tableau de bord après la coupure", after)
    assert after.status == 200 and "Tableau de bord" in after.body
    api = server.get("/api/moi")
    server.note("API /api/moi après la coupure", api)
    assert api.status == 200
    assert " 500 " not in server.log.read_text()


def test_a_held_lock_fails_fast_with_the_french_503_and_static_files_still_flow(
    server: Server,
) -> None:
    assert server.get("/").status == 200
    holder = psycopg.connect(database_url().replace("postgres://", "postgresql://"))
    try:
        holder.execute("lock table django_session in access exclusive mode")
        server.note("verrou exclusif pris sur la table des sessions par une autre connexion")
        page = server.get("/")
        server.note("tableau de bord pendant le verrou", page)
        assert page.status == 503 and page.headers["Retry-After"]
        assert "La base de données ne répond pas" in page.body and "fr-header" in page.body
        assert page.seconds < LOCK_TIMEOUT_MS / 1000 + 1  # one wait, not one per query
        api = server.get("/api/moi")
        server.note("API pendant le verrou", api)
        assert api.status == 503
        assert json.loads(api.body)["error"]["code"] == "database_unavailable"
        static = server.get(STATIC, cookie=False)
        server.note("fichier statique pendant le verrou", static)
        assert static.status == 200 and static.seconds < 1
    finally:
        holder.rollback()
        holder.close()
    server.note("verrou relâché")
    again = server.get("/")
    server.note("tableau de bord après le verrou", again)
    assert again.status == 200
    assert logged_with(server, page) and logged_with(server, api)


def test_an_unreachable_database_gives_the_french_503_page_and_json(
    signed_in: str, tmp_path: Path
) -> None:
    closed = free_port()  # nothing listens there
    server = start(tmp_path, database_url(port=closed))
    server.cookie = signed_in
    try:
        page = server.get("/")
        server.note(f"tableau de bord, base injoignable (port {closed} fermé)", page)
        assert page.status == 503 and "Service momentanément indisponible" in page.body
        assert "n'a pas été enregistré" in page.body and "Traceback" not in page.body
        assert page.headers["X-Request-ID"] in page.body
        api = server.get("/api/moi")
        server.note("API, base injoignable", api)
        assert api.status == 503
        error: dict[str, Any] = json.loads(api.body)["error"]
        assert error["code"] == "database_unavailable"
        assert error["request_id"] == api.headers["X-Request-ID"]
        assert page.seconds < 5 and api.seconds < 5
        assert logged_with(server, page) and logged_with(server, api)
    finally:
        stop(server)
