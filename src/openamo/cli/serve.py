"""``amo serve``: migrate, load the demonstration data, serve on http://127.0.0.1:8000."""

from __future__ import annotations

import os

import typer

app = typer.Typer(
    help="Démarre l'application web (base SQLite locale par défaut) avec des données de démonstration.",
    add_completion=False,
)


@app.callback(invoke_without_command=True)
def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", help="Adresse d'écoute."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port d'écoute."),
    demo: bool = typer.Option(
        True, "--demo/--no-demo", help="Charger les données de démonstration."
    ),
    check_only: bool = typer.Option(
        False, "--prepare-only", help="Préparer la base et les données, sans démarrer le serveur."
    ),
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openamo.web.config.settings.dev")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    from openamo.web.config.settings.base import data_dir

    data_dir().mkdir(parents=True, exist_ok=True)
    typer.echo(f"Base de données : {settings.DATABASES['default']['NAME']}")
    call_command("migrate", interactive=False, verbosity=0)
    if demo:
        _load_demo(data_dir() / "demo-credentials.json")
    if not settings.DEBUG:
        call_command("collectstatic", interactive=False, verbosity=0)
    if check_only:
        return
    typer.echo(f"\nOpenAMO : http://{host}:{port}/  (Ctrl+C pour arrêter)\n")
    call_command("runserver", f"{host}:{port}", use_reloader=False, skip_checks=True)


def _load_demo(credentials_file: os.PathLike[str]) -> None:
    from pathlib import Path

    from openamo.web.demo import load_demo

    credentials = load_demo(Path(credentials_file))
    typer.echo("\nComptes de démonstration (identifiant / mot de passe) :")
    for c in credentials:
        typer.echo(f"  {c.username:<15} {c.password:<18} {c.role} — {c.organisation}")
    typer.echo(f"(mots de passe conservés dans {credentials_file})")
