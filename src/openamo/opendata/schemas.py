"""The official schemas shipped with the package, compiled once, and record-level validation.

A record is judged exactly as the official schema judges a file holding only that record (the
verdict, compiled by jsonschema-rs); the errors of an invalid record are then listed against the
definition of its kind so that each one names the field at fault (``titulaires[0].id``) instead of
the schema's opaque « not valid under any of the given schemas ».
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

import jsonschema_rs

Version = Literal["1.5", "2"]
Kind = Literal["marche", "concession"]

OCDS_RELEASE_SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"
_MAX_ERRORS_PER_RECORD = 20


def _load(*parts: str) -> dict[str, Any]:
    text = resources.files("openamo.opendata").joinpath("schemas", *parts).read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def decp_schema(version: Version) -> dict[str, Any]:
    return _load("decp", "marches-v1.5.json" if version == "1.5" else "schema_decp_v2.0.3.json")


@dataclass(frozen=True, slots=True)
class SchemaError:
    """One violation: the JSON path inside the record and the validator's message."""

    path: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


class RecordValidator:
    """Validates single DECP records of one format version against the official schema."""

    def __init__(self, version: Version) -> None:
        schema = decp_schema(version)
        self.version = version
        self._whole = jsonschema_rs.validator_for(schema)
        self._by_kind = {
            kind: jsonschema_rs.validator_for(_definition_schema(schema, definition))
            for kind, definition in (("marche", "marche"), ("concession", "contrat-concession"))
        }

    def wrap(self, record: Any, kind: Kind) -> Any:
        if self.version == "1.5":
            return {"marches": [record]}
        return {"marches": {"marche" if kind == "marche" else "contrat-concession": [record]}}

    def is_valid(self, record: Any, kind: Kind) -> bool:
        return bool(self._whole.is_valid(self.wrap(record, kind)))

    def errors(self, record: Any, kind: Kind) -> list[SchemaError]:
        found: list[SchemaError] = []
        for error in self._by_kind[kind].iter_errors(record):
            found.append(SchemaError(json_path(error.instance_path), _french(error.message)))
            if len(found) >= _MAX_ERRORS_PER_RECORD:
                break
        if not found and not self.is_valid(record, kind):
            # Only the file-level rules failed (e.g. the kind itself is not recognised).
            found.append(SchemaError("", "enregistrement non conforme au schéma officiel"))
        return found


def _definition_schema(schema: dict[str, Any], definition: str) -> dict[str, Any]:
    """The official schema with its root pointed at one definition (paths stay resolvable)."""
    return {
        "$schema": schema.get("$schema"),
        "$ref": f"#/definitions/{definition}",
        "definitions": schema["definitions"],
    }


@cache
def validator(version: Version) -> RecordValidator:
    return RecordValidator(version)


def json_path(parts: Any) -> str:
    """``["titulaires", 0, "id"]`` → ``titulaires[0].id``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


_MESSAGES = (
    (" is a required property", " : champ obligatoire absent"),
    (" is not of type ", " : type incorrect, attendu "),
    (" is not one of ", " : valeur hors de la liste autorisée "),
    (" does not match ", " : ne respecte pas le motif "),
    (" is less than the minimum of ", " : inférieur au minimum "),
    (" has less than ", " : trop peu d'éléments, minimum "),
    ("Additional properties are not allowed", "Champs non prévus par le schéma"),
    (" has non-unique elements", " : éléments en double"),
    (" is longer than ", " : trop long, maximum "),
    (" is not valid under any of the given schemas", " : ne correspond à aucune forme admise"),
)


def _french(message: str) -> str:
    """The validator speaks English: the usual phrasings are translated, values kept."""
    for english, french in _MESSAGES:
        if english in message:
            return message.replace(english, french)
    return message


@cache
def ocds_package_validator() -> Any:
    """OCDS 1.1.5 release-package validator, offline: the absolute ``$ref`` maps to the copy."""
    release = _load("ocds", "release-schema.json")
    package = _load("ocds", "release-package-schema.json")
    registry = jsonschema_rs.Registry([(OCDS_RELEASE_SCHEMA_URL, release)])
    return jsonschema_rs.validator_for(package, registry=registry)


def ocds_errors(package: Any) -> list[SchemaError]:
    return [
        SchemaError(json_path(error.instance_path), _french(error.message))
        for error in ocds_package_validator().iter_errors(package)
    ]
