"""Obsolete legal citations in a draft or a guide (e.g. « article 8 de la loi n° 95-127 »).

The list is data (``data/obsolete_citations.yaml``): fragments to recognise, the date of
abrogation, the text that replaced it and a French message.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import yaml

from openamo.amendments._context import Situation
from openamo.amendments._findings import Findings
from openamo.errors import LawDataError

DATA_FILE = Path(__file__).parent / "data" / "obsolete_citations.yaml"


@dataclass(frozen=True, slots=True)
class ObsoleteCitation:
    id: str
    fragments: tuple[str, ...]
    abrogated_on: dt.date
    date: Literal["modification", "regime"]
    replaced_by: str
    message: str


@cache
def obsolete_citations() -> tuple[ObsoleteCitation, ...]:
    try:
        raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
        return tuple(
            ObsoleteCitation(
                id=str(item["id"]),
                fragments=tuple(normalise(str(f)) for f in item["fragments"]),
                abrogated_on=_as_date(item["abrogated_on"]),
                date="regime" if item["date"] == "regime" else "modification",
                replaced_by=str(item["replaced_by"]),
                message=" ".join(str(item["message"]).split()),
            )
            for item in raw["citations"]
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise LawDataError(f"Liste des citations abrogées illisible : {exc}") from exc


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def normalise(text: str) -> str:
    """Lower case, no accents, no spaces, no « n° »: « Loi n° 95-127 » → « loi95-127 »."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("n°", ""))
    return "".join(c for c in decomposed if not unicodedata.combining(c) and not c.isspace())


def flag_obsolete_citations(situation: Situation, findings: Findings) -> None:
    cited = situation.data.modification.cited_references
    if not cited:
        return
    days = {
        "modification": situation.rules.modification_date,
        "regime": situation.rules.regime_date,
    }
    texts = [normalise(text) for text in cited]
    for citation in obsolete_citations():
        if days[citation.date] < citation.abrogated_on:
            continue
        if any(fragment in text for text in texts for fragment in citation.fragments):
            findings.warn(citation.message, citation.replaced_by)
            findings.explain(citation.message)
