"""What every ``amo`` command shares: read JSON input, print text or JSON, map errors to exit 2."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

import typer
from pydantic import BaseModel

from openamo.errors import OpenAMOError

EXIT_INVALID = 2
MAX_INPUT_BYTES = 50 * 1024 * 1024

FileArgument = typer.Argument(
    None,
    metavar="FICHIER",
    help="Fichier JSON d'entrée, ou « - » (ou rien) pour l'entrée standard.",
)
JsonOption = typer.Option(False, "--json", help="Sortie : un objet JSON sur la sortie standard.")


def read_json(source: str | None) -> Any:
    """Parse the input file (or stdin); floats become Decimal so no amount is ever binary."""
    try:
        if source in (None, "-"):
            text = sys.stdin.read(MAX_INPUT_BYTES + 1)
        else:
            path = Path(source)
            if not path.is_file():
                raise OpenAMOError(f"Fichier introuvable : « {source} ».", code="file_not_found")
            text = path.read_bytes()[: MAX_INPUT_BYTES + 1].decode("utf-8-sig")
    except UnicodeDecodeError:
        raise OpenAMOError("Le fichier n'est pas encodé en UTF-8.", code="encoding") from None
    except OSError as exc:
        raise OpenAMOError(f"Lecture impossible : {exc.strerror}.", code="io") from None
    if len(text) > MAX_INPUT_BYTES:
        raise OpenAMOError("Entrée trop volumineuse (50 Mo au plus).", code="too_large")
    if not text.strip():
        raise OpenAMOError("Entrée vide : un objet JSON est attendu.", code="empty")
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise OpenAMOError(
            f"JSON invalide (ligne {exc.lineno}, colonne {exc.colno}) : {exc.msg}.",
            code="invalid_json",
        ) from None
    except RecursionError:
        raise OpenAMOError("JSON trop profondément imbriqué.", code="invalid_json") from None


def _reject_constant(name: str) -> Any:
    raise OpenAMOError(f"Valeur JSON non standard « {name} ».", code="invalid_json")


def dump_json(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2, default=str)


def run_command(
    source: str | None,
    as_json: bool,
    compute: Callable[[Any], BaseModel],
    render_text: Callable[[Any], str],
) -> None:
    """parse → one domain call → print; an :class:`OpenAMOError` exits 2 with a French message."""
    try:
        result = compute(read_json(source))
    except OpenAMOError as exc:
        fail(exc, as_json)
    except Exception as exc:  # never a traceback for the user; the cause is named
        typer.echo(f"Erreur interne inattendue ({type(exc).__name__}) : {exc}", err=True)
        raise typer.Exit(1) from None
    payload = result.model_dump(mode="json")
    if as_json:
        typer.echo(dump_json(payload))
    else:
        typer.echo(render_text(result))


def fail(exc: OpenAMOError, as_json: bool) -> NoReturn:
    typer.echo(f"Erreur : {exc}", err=True)
    if as_json:
        typer.echo(dump_json({"error": exc.as_dict()}))
    raise typer.Exit(EXIT_INVALID)
