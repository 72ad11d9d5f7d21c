"""``amo ocds``: DECP files as Open Contracting Data Standard 1.1.5 release packages."""

from __future__ import annotations

import contextlib
import json
from enum import StrEnum
from pathlib import Path

import typer

from openamo.cli._io import JsonOption, dump_json, fail
from openamo.cli.decp import FilesArgument, OutOption, _paths
from openamo.errors import OpenAMOError

app = typer.Typer(help="Export Open Contracting Data Standard (OCDS 1.1.5).", add_completion=False)


class Compat(StrEnum):
    OPENAMO = "openamo"
    DECP_RAMA = "decp-rama"


class Layout(StrEnum):
    PACKAGE = "paquet"
    LINES = "lignes"


CompatOption = typer.Option(
    Compat.OPENAMO,
    "--compat",
    help="openamo : conversion complète ; decp-rama : sortie du convertisseur officiel.",
)
LayoutOption = typer.Option(
    Layout.PACKAGE,
    "--format",
    help="paquet : un paquet de publications ; lignes : une publication par ligne (Cardinal).",
)
PrefixOption = typer.Option("ocds-78apv2", "--prefix", help="Préfixe des identifiants ocid.")
DateOption = typer.Option("", "--date", help="Date de publication du paquet (ISO 8601).")


@app.callback()
def _group() -> None:
    """Export Open Contracting Data Standard (OCDS 1.1.5)."""


@app.command("export")
def export(
    files: list[str] = FilesArgument,
    out: str | None = OutOption,
    as_json: bool = JsonOption,
    compat: Compat = CompatOption,
    layout: Layout = LayoutOption,
    prefix: str = PrefixOption,
    published: str = DateOption,
) -> None:
    """Convertit des fichiers DECP en OCDS, valide le paquet contre le schéma officiel local."""
    from openamo.opendata.columnar import ColumnarUnavailable, grouped_rows, tabular
    from openamo.opendata.ocds import PackageMeta, package
    from openamo.opendata.reader import DecpFile
    from openamo.opendata.schemas import ocds_errors

    try:
        paths = _paths(files)
        meta = PackageMeta(
            ocid_prefix=prefix, published_date=published or PackageMeta().published()
        )
        sources = [DecpFile(path) for path in paths]
        body = None
        if all(tabular(path) for path in paths):
            # The rows of each contract sorted together by DuckDB: folded one contract at a time.
            with contextlib.suppress(ColumnarUnavailable):
                body = package(grouped_rows(paths), meta, compat.value, grouped=True)
        if body is None:
            body = package((r for source in sources for r in source), meta, compat.value)
    except OpenAMOError as exc:
        fail(exc, as_json)
    errors = ocds_errors(body)
    releases = body.get("releases", [])
    if layout is Layout.LINES:
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in releases)
    else:
        text = dump_json(body) + "\n"
    if out:
        Path(out).write_text(text, encoding="utf-8")
    summary = {
        "publications": len(releases),
        "processus": len({r["ocid"] for r in releases}),
        "valide_schema_ocds": not errors,
        "erreurs_schema": [e.as_dict() for e in errors[:100]],
        "problemes_des_fichiers": [i.as_dict() for s in sources for i in s.issues],
        "fichier": out,
    }
    if as_json:
        typer.echo(dump_json(summary))
    elif out:
        typer.echo(
            f"{summary['publications']} publications OCDS ({summary['processus']} processus) "
            f"écrites dans {out} ; conformes au schéma OCDS 1.1.5 : "
            + ("oui" if not errors else f"non ({len(errors)} erreurs)")
        )
    else:
        typer.echo(text, nl=False)
    if errors:
        raise typer.Exit(1)
