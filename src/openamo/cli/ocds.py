"""``amo ocds``: DECP files as Open Contracting Data Standard 1.1.5 release packages."""

from __future__ import annotations

import contextlib
import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from openamo.cli._io import JsonOption, dump_json, fail
from openamo.cli.decp import FilesArgument, OutOption, _paths
from openamo.errors import OpenAMOError
from openamo.wording import count as counted

if TYPE_CHECKING:
    from openamo.opendata.ocds import Conflict

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
        conflicts: list[Conflict] = []
        if all(tabular(path) for path in paths):
            # The rows of each contract sorted together by DuckDB: folded one contract at a time.
            with contextlib.suppress(ColumnarUnavailable):
                body = package(
                    grouped_rows(paths), meta, compat.value, grouped=True, conflicts=conflicts
                )
        if body is None:
            conflicts.clear()
            records = (r for source in sources for r in source)
            body = package(records, meta, compat.value, conflicts=conflicts)
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
        "publications_en_conflit": len(conflicts),
        "conflits": [c.as_dict() for c in conflicts[:100]],
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
    if conflicts and not as_json:
        typer.echo(_conflicts_note(conflicts, compat), err=True)
    if errors:
        raise typer.Exit(1)


def _conflicts_note(conflicts: list[Conflict], compat: Compat) -> str:
    """What became of the releases that said something else under an id already used."""
    first = conflicts[0]
    one = len(conflicts) == 1
    said = counted(len(conflicts), "publication d'un marché dit", "publications d'un marché disent")
    said += " autre chose que celle déjà retenue sous le même identifiant : "
    if compat is Compat.DECP_RAMA:
        return (
            said
            + ("laissée" if one else "laissées")
            + " de côté, comme le fait le convertisseur officiel (par ex. "
            f"{first.official_id}, {first.file} {first.location}) ; --json les liste."
        )
    return (
        said
        + ("publiée" if one else "publiées")
        + f" sous un identifiant propre daté (par ex. {first.release_id} pour {first.file} "
        f"{first.location}) ; --json les liste."
    )
