"""``amo serve``: prepare the base (migrations, demonstration data) and serve the web application.

By default it serves like production — DEBUG off, French error pages, static files through
whitenoise, gunicorn — on the embedded SQLite base of the data directory; ``--debug`` switches to
Django's development server and debug pages. A busy port is reported before anything is migrated.
"""

from __future__ import annotations

import errno
import os
import socket
from pathlib import Path
from typing import Any

import typer

app = typer.Typer(
    help="Démarre l'application web (base SQLite locale par défaut), avec ou sans démonstration.",
    add_completion=False,
)

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
WILDCARD = {"0.0.0.0", "::", ""}
LOCAL_SETTINGS = "openamo.web.config.settings.local"
DEBUG_SETTINGS = "openamo.web.config.settings.dev"


@app.callback(invoke_without_command=True)
def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", help="Adresse d'écoute (0.0.0.0 : toutes)."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port d'écoute."),
    demo: bool = typer.Option(
        True, "--demo/--no-demo", help="Charger (ou non) les données de démonstration."
    ),
    debug: bool = typer.Option(
        False, "--debug", help="Mode développement : pages de débogage de Django, rechargement."
    ),
    prepare_only: bool = typer.Option(
        False, "--prepare-only", help="Préparer la base et les données, sans démarrer le serveur."
    ),
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    reloaded = os.environ.get("RUN_MAIN") == "true"  # the child of Django's autoreloader
    if not prepare_only and not reloaded:
        _check_port_free(host, port)
    os.umask(0o077)  # the SQLite base, its journals and the secret key: owner only
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEBUG_SETTINGS if debug else LOCAL_SETTINGS)
    if "OPENAMO_ALLOWED_HOSTS" not in os.environ:
        os.environ["OPENAMO_ALLOWED_HOSTS"] = ",".join(_allowed_hosts(host))
    import django
    from django.conf import settings

    django.setup()
    if demo and settings.OPENAMO_PRODUCTION:
        typer.echo(
            "Les comptes de démonstration ne sont jamais chargés avec les réglages de production : "
            "relancez avec --no-demo.",
            err=True,
        )
        raise typer.Exit(2)
    if not reloaded:
        _prepare(demo)
    if prepare_only:
        return
    typer.echo(f"\nOpenAMO : http://{_display_host(host)}:{port}/  (Ctrl+C pour arrêter)\n")
    if settings.DEBUG:
        from django.core.management import call_command

        call_command("runserver", f"{host}:{port}", use_reloader=True, skip_checks=True)
    else:
        _gunicorn(host, port, workers=1 if _is_sqlite() else None)


def _check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                message = (
                    f"Le port {port} est déjà utilisé sur {_display_host(host)} (une autre "
                    f"instance d'OpenAMO ?). Choisissez-en un autre : amo serve --port {port + 1} "
                    f"(ou make run PORT={port + 1})."
                )
            elif exc.errno == errno.EACCES:
                message = f"Le port {port} est réservé : choisissez un port au-dessus de 1024."
            else:
                message = f"Impossible d'écouter sur {host}:{port} : {exc.strerror}."
            typer.echo(message, err=True)
            raise typer.Exit(1) from None


def _allowed_hosts(host: str) -> list[str]:
    hosts = ["127.0.0.1", "localhost", "[::1]"]
    if host in WILDCARD:
        hosts += [socket.gethostname(), socket.getfqdn()]
    elif host not in LOOPBACK:
        hosts.append(f"[{host}]" if ":" in host else host)
    return list(dict.fromkeys(hosts))


def _display_host(host: str) -> str:
    return "127.0.0.1" if host in WILDCARD else (f"[{host}]" if ":" in host else host)


def _is_sqlite() -> bool:
    from django.db import connection

    return connection.vendor == "sqlite"


def _prepare(demo: bool) -> None:
    from django.conf import settings
    from django.core.management import call_command

    from openamo.web.config.settings.base import private_data_dir

    data_dir = private_data_dir()
    database = settings.DATABASES["default"]
    typer.echo(f"Base de données : {database['NAME']}")
    if _is_sqlite():
        _narrow(Path(str(database["NAME"])))
    call_command("migrate", interactive=False, verbosity=0)
    if demo:
        _load_demo(data_dir / "demo-credentials.json")
    if not getattr(settings, "WHITENOISE_USE_FINDERS", False):
        call_command("collectstatic", interactive=False, verbosity=0)


def _narrow(sqlite_file: Path) -> None:
    """Bases created by older versions were world-readable: every tenant, every password hash."""
    for path in (
        sqlite_file,
        *(sqlite_file.with_name(sqlite_file.name + s) for s in ("-wal", "-shm", "-journal")),
    ):
        if path.exists():
            path.chmod(0o600)


def _load_demo(credentials_file: Path) -> None:
    from openamo.web.demo import load_demo

    credentials = load_demo(credentials_file)
    typer.echo("\nComptes de démonstration (identifiant / mot de passe) :")
    for c in credentials:
        typer.echo(f"  {c.username:<15} {c.password:<18} {c.role} — {c.organisation}")
    typer.echo(f"(mots de passe conservés dans {credentials_file})")


def _gunicorn(host: str, port: int, workers: int | None) -> None:
    """The production server and its configuration (openamo.web.config.gunicorn), in-process."""
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    from openamo.web.config import gunicorn as config
    from openamo.web.config.wsgi import application

    overrides: dict[str, Any] = {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "loglevel": os.environ.get("OPENAMO_GUNICORN_LOG_LEVEL", "warning"),
    }
    if workers is not None:  # SQLite: one process, several threads (one writer at a time)
        overrides["workers"] = workers

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for name, value in {**vars(config), **overrides}.items():
                if name in self.cfg.settings:
                    self.cfg.set(name, value)

        def load(self) -> Any:
            return application

    connections.close_all()  # the workers are forked: they must not share the master's sockets
    Server().run()
