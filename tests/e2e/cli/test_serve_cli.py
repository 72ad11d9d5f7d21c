"""``amo serve`` as ``make run`` calls it: DEBUG off, French pages, static files, chosen port,
and a busy port refused in French before anything is migrated."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

AMO = [sys.executable, "-c", "from openamo.cli import run; run()"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def local_env(data_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "OPENAMO_SECRET_KEY"}
    }
    return env | {"OPENAMO_DATA_DIR": str(data_dir)}


def get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("serve")
    data_dir, log = folder / "donnees", folder / "serve.log"
    port = free_port()
    with log.open("w") as output:
        server = subprocess.Popen(
            [*AMO, "serve", "--no-demo", "--port", str(port)],
            env=local_env(data_dir),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            get(f"{base}/connexion/")
            break
        except OSError:
            assert server.poll() is None, log.read_text()
            time.sleep(0.5)
    yield base, data_dir
    server.terminate()
    server.wait(timeout=30)


def test_pages_are_served_without_debug_with_french_error_pages(served: tuple[str, Path]) -> None:
    base, _ = served
    status, headers, page = get(f"{base}/cette-page-n-existe-pas/")
    assert status == 404
    assert "Page non trouvée" in page and "fr-header" in page
    assert "URLconf" not in page and "DEBUG" not in page
    assert len(headers["X-Request-ID"]) == 32
    status, _, page = get(f"{base}/connexion/")
    assert status == 200 and "Connexion" in page


def test_static_files_are_served_by_whitenoise(served: tuple[str, Path]) -> None:
    base, _ = served
    status, headers, css = get(f"{base}/static/dsfr/dist/dsfr/dsfr.min.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css") and ".fr-btn" in css


def test_private_files_are_readable_by_their_owner_only(served: tuple[str, Path]) -> None:
    _, data_dir = served
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    for name in ("openamo.sqlite3", "secret_key"):
        assert stat.S_IMODE((data_dir / name).stat().st_mode) == 0o600, name


def test_a_busy_port_is_reported_in_french_before_migrating(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [*AMO, "serve", "--port", str(port)],
            env=local_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1
    assert f"Le port {port} est déjà utilisé" in result.stderr
    assert f"--port {port + 1}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "openamo.sqlite3").exists()


def test_production_settings_refuse_the_demonstration_accounts(tmp_path: Path) -> None:
    env = local_env(tmp_path) | {
        "DJANGO_SETTINGS_MODULE": "openamo.web.config.settings.prod",
        "OPENAMO_SECRET_KEY": "k" * 50,
        "OPENAMO_ALLOWED_HOSTS": "openamo.example.fr",
    }
    result = subprocess.run(
        [*AMO, "serve", "--prepare-only"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "jamais chargés" in result.stderr and "--no-demo" in result.stderr
    assert not (tmp_path / "openamo.sqlite3").exists()
