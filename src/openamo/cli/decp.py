"""``amo decp``: import, audit and publish the essential data of public contracts (DECP)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from openamo.cli._io import FileArgument, JsonOption, dump_json, fail, read_json
from openamo.errors import OpenAMOError

app = typer.Typer(help="Données essentielles de la commande publique (DECP).", add_completion=False)

FilesArgument = typer.Argument(
    ...,
    metavar="FICHIER",
    help="Fichiers DECP : JSON ou XML (formats 2019 et 2024), JSON Lines, CSV ou Parquet.",
)
LimitOption = typer.Option(
    1000, "--limit", min=0, help="Nombre maximal d'enregistrements ou de cas listés."
)
OutOption = typer.Option(None, "--out", help="Fichier à écrire (sinon : sortie standard).")


@app.callback()
def _group() -> None:
    """Données essentielles de la commande publique (DECP)."""


def _paths(files: list[str]) -> list[Path]:
    paths = [Path(name) for name in files]
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise OpenAMOError(f"Fichier introuvable : « {missing[0]} ».", code="file_not_found")
    return paths


@contextmanager
def progress_bar(enabled: bool, label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress counter on standard error, only for people (never with --json)."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed:,.0f} enregistrements"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task(label, total=None)

        def update(records: int, _bytes: int) -> None:
            progress.update(task, completed=records)

        yield update


@app.command("import")
def import_(
    files: list[str] = FilesArgument, as_json: bool = JsonOption, limit: int = LimitOption
) -> None:
    """Lit des fichiers DECP, valide chaque enregistrement et liste ce qui ne va pas."""
    from openamo.opendata.columnar import ColumnarUnavailable, import_tabular, tabular
    from openamo.opendata.importer import import_files
    from openamo.opendata.text import render_import

    try:
        paths = _paths(files)
        with progress_bar(not as_json, "Lecture et validation") as progress:
            report = None
            if all(tabular(path) for path in paths):
                with contextlib.suppress(ColumnarUnavailable):
                    report = import_tabular(paths, limit=limit, progress=progress)
            if report is None:
                report = import_files(paths, limit=limit, progress=progress)
    except OpenAMOError as exc:
        fail(exc, as_json)
    typer.echo(dump_json(report.as_dict()) if as_json else render_import(report))


@app.command("audit")
def audit(
    files: list[str] = FilesArgument, as_json: bool = JsonOption, limit: int = LimitOption
) -> None:
    """Alertes juridiques d'un portefeuille de marchés (avenants, seuils, publication…)."""
    from openamo.opendata.audit import audit_contracts
    from openamo.opendata.columnar import ColumnarUnavailable, audit_tabular, tabular
    from openamo.opendata.importer import import_files
    from openamo.opendata.text import render_audit

    try:
        paths = _paths(files)
        report = None
        if all(tabular(path) for path in paths):
            # The consolidated national file: column by column, in SQL (same figures).
            with (
                progress_bar(not as_json, "Lecture et audit") as progress,
                contextlib.suppress(ColumnarUnavailable),
            ):
                report = audit_tabular(paths, limit=limit, progress=progress)
        if report is None:
            with progress_bar(not as_json, "Lecture et audit") as progress:
                imported = import_files(paths, keep_contracts=True, limit=0, progress=progress)
            summary = imported.as_dict()
            summary.pop("enregistrements_en_defaut", None)
            report = audit_contracts(
                imported.contracts,
                records_read=imported.records,
                import_summary=summary,
                limit=limit,
            )
    except OpenAMOError as exc:
        fail(exc, as_json)
    typer.echo(dump_json(report.as_dict()) if as_json else render_audit(report))


XmlOption = typer.Option(
    False, "--xml", help="Fichier au format XML du même schéma (sinon : JSON), vérifié par le XSD."
)


@app.command("export")
def export(
    source: str | None = FileArgument,
    as_json: bool = JsonOption,
    out: str | None = OutOption,
    xml: bool = XmlOption,
) -> None:
    """Données essentielles (format 2.0.3) des marchés d'un acheteur, et ce qui manque."""
    from openamo.opendata.decp_xml import to_xml, xml_errors
    from openamo.opendata.publish import publication_from_dict
    from openamo.opendata.text import render_publication

    try:
        result = publication_from_dict(read_json(source))
    except OpenAMOError as exc:
        fail(exc, as_json)
    if xml:
        content = to_xml(result.document)
        xsd = xml_errors(content)
        text = content.decode("utf-8")
    else:
        xsd, text = None, dump_json(result.document)
    if out:
        Path(out).write_text(text, encoding="utf-8")
    if as_json:
        payload = result.as_dict(include_document=out is None and not xml)
        if xsd is not None:
            payload["conforme_au_xsd"] = not xsd
            payload["erreurs_xsd"] = [error.as_dict() for error in xsd]
        typer.echo(dump_json(payload))
    elif out:
        typer.echo(render_publication(result, written_to=out, xsd_errors=xsd))
    else:
        typer.echo(text)
        typer.echo(render_publication(result, xsd_errors=xsd), err=True)
