"""ma cantine's Table Schemas (copied in ``schemas/``): column names and required flags."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SCHEMAS_DIR = Path(__file__).parent / "schemas"

FORMATS = {
    "achats_siret": "achats_siret.json",
    "achats_id": "achats_id.json",
    "achats_ancien_format": "achats_siret_ancien_format.json",
    "bilans_simple_siret": "bilans_simple_siret.json",
}


@dataclass(frozen=True)
class TableSchema:
    name: str
    columns: tuple[str, ...]
    required: frozenset[str]
    enums: dict[str, tuple[str, ...]]


@cache
def schema(name: str) -> TableSchema:
    raw = json.loads((SCHEMAS_DIR / FORMATS[name]).read_text(encoding="utf-8"))
    fields = raw["fields"]
    return TableSchema(
        name=name,
        columns=tuple(f["name"] for f in fields),
        required=frozenset(
            f["name"] for f in fields if (f.get("constraints") or {}).get("required")
        ),
        enums={f["name"]: tuple(f["doc_enum"]) for f in fields if "doc_enum" in f},
    )
