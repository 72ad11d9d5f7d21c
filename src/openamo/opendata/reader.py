"""Streaming readers of every DECP form: records come one at a time, whatever the file size.

- JSON v1.5 ``{"marches": [...]}`` and v2 ``{"marches": {"marche": [...], "contrat-concession":
  [...]}}``, a bare array, or JSON Lines (one record per line): ijson (C backend) or msgspec;
- XML v1.5 and v2: lxml ``iterparse``, each element freed once read, no entity nor network;
- the tabular consolidated form (decp.info): CSV (``,`` or ``;``, UTF-8 or Windows-1252) and
  Parquet (DuckDB, read by batches).

A broken file never raises: what could be read is yielded, then the problem is reported in
:attr:`DecpFile.issues` with where it happened (byte offset, line).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import ijson
import msgspec

from openamo.opendata.schemas import Kind

Form = Literal["1.5", "2", "tabulaire"]
_SNIFF_BYTES = 64 * 1024
_V2_FIELDS = frozenset(
    {"ccag", "offresRecues", "techniques", "considerationsSociales", "typesPrix", "marcheInnovant"}
)


@dataclass(slots=True)
class RawRecord:
    """One record as published, with where it was found."""

    file: str
    index: int
    form: Form
    kind: Kind
    data: dict[str, Any]
    location: str  # JSON path (``marches[12]``), XML element number or CSV line

    def ref(self) -> dict[str, Any]:
        return {"fichier": self.file, "position": self.location}


@dataclass(slots=True)
class FileIssue:
    file: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"fichier": self.file, "code": self.code, "message": self.message}


@dataclass
class DecpFile:
    """A DECP file, read lazily; iterate it for its records, then look at ``issues``."""

    path: Path
    name: str = ""
    issues: list[FileIssue] = field(default_factory=list)
    encoding: str = "utf-8"
    form: Form | None = None
    bytes_read: int = 0
    sanitise: bool = False  # NaN / Infinity met: later passes read through the sanitiser

    def __post_init__(self) -> None:
        self.name = self.name or self.path.name

    def __iter__(self) -> Iterator[RawRecord]:
        try:
            yield from self._records()
        except (OSError, UnicodeError) as exc:
            self._issue("lecture", f"lecture interrompue : {exc}")

    def _issue(self, code: str, message: str) -> None:
        self.issues.append(FileIssue(self.name, code, message))

    def _records(self) -> Iterator[RawRecord]:
        if not self.path.is_file():
            self._issue("introuvable", "fichier introuvable")
            return
        suffix = self.path.suffix.lower()
        if suffix == ".parquet":
            yield from self._parquet()
            return
        with self.path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
        if not head.strip():
            self._issue("vide", "fichier vide")
            return
        self.encoding = _guess_encoding(head)
        if self.encoding != "utf-8":
            self._issue(
                "encodage",
                f"fichier encodé en {self.encoding} et non en UTF-8 : converti à la lecture",
            )
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        if suffix in {".jsonl", ".ndjson"}:
            yield from self._json_lines()
        elif suffix == ".csv" or (suffix not in {".json", ".xml"} and start not in b"{[<"):
            yield from self._csv()
        elif start == b"<":
            yield from self._xml()
        elif start == b"[":
            yield from self._json_items("item", "1.5", None)
        elif start == b"{":
            yield from self._json(head)
        else:
            self._issue("format", "format non reconnu (JSON, XML, CSV ou Parquet attendu)")

    # -- JSON ---------------------------------------------------------------------------------
    def _open_utf8(self, sanitise: bool = False) -> Any:
        raw: Any = self.path.open("rb")
        if self.encoding != "utf-8":
            raw = _Transcoder(raw, self.encoding)
        return _NonStandardNumbers(raw) if sanitise else raw

    def _json(self, head: bytes) -> Iterator[RawRecord]:
        text = head.decode("utf-8", "replace")
        layout = re.search(r'"marches"\s*:\s*([\[{])', text)
        if layout is None:
            if re.match(r"\s*\{[^\n]*\}\s*\n\s*\{", text):
                yield from self._json_lines()
                return
            self._issue("format", "objet « marches » introuvable au début du fichier")
            return
        if layout.group(1) == "[":
            yield from self._json_items("marches.item", "1.5", None)
            return
        self.form = "2"
        yield from self._json_items("marches.marche.item", "2", "marche")
        yield from self._json_items("marches.contrat-concession.item", "2", "concession")

    def _json_items(self, prefix: str, form: Form, kind: Kind | None) -> Iterator[RawRecord]:
        where = prefix.replace(".item", "").replace(".", "/")
        index = 0
        sanitise = self.sanitise
        while True:
            skip = index
            index = 0
            with self._open_utf8(sanitise) as handle:
                try:
                    for item in ijson.items(handle, prefix, use_float=True):
                        if index < skip:
                            index += 1
                            continue
                        location = f"{where}[{index}]"
                        index += 1
                        if not isinstance(item, dict):
                            self._issue("structure", f"{location} : un objet JSON est attendu")
                            continue
                        found_kind = kind or _kind_of(item)
                        found_form: Form = (
                            form if kind else ("2" if _V2_FIELDS & item.keys() else form)
                        )
                        self.form = self.form or found_form
                        yield RawRecord(
                            self.name, index - 1, found_form, found_kind, item, location
                        )
                    return
                except ijson.JSONError as exc:
                    if not sanitise and _NON_STANDARD.search(str(exc)):
                        # NaN / Infinity: JavaScript, not JSON; real files carry them.
                        self._issue(
                            "json_non_standard",
                            f"valeurs NaN ou Infinity (hors norme JSON) dans {where} : lues comme "
                            "absentes",
                        )
                        sanitise = self.sanitise = True
                        index = max(index, skip)
                        continue
                    after = (
                        f"après l'enregistrement {where}[{index - 1}]" if index else f"dans {where}"
                    )
                    self._issue(
                        "json",
                        f"JSON invalide {after} : {str(exc).splitlines()[0]} — les enregistrements "
                        "précédents sont conservés",
                    )
                    return
                finally:
                    self.bytes_read = max(self.bytes_read, handle.tell())

    def _json_lines(self) -> Iterator[RawRecord]:
        decoder = msgspec.json.Decoder()
        with self._open_utf8() as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                location = f"ligne {number}"
                try:
                    item = decoder.decode(line)
                except msgspec.DecodeError as exc:
                    self._issue("json", f"{location} : JSON invalide ({exc})")
                    continue
                if not isinstance(item, dict):
                    self._issue("structure", f"{location} : un objet JSON est attendu")
                    continue
                form: Form = "2" if _V2_FIELDS & item.keys() else "1.5"
                self.form = self.form or form
                yield RawRecord(self.name, number - 1, form, _kind_of(item), item, location)
            self.bytes_read = handle.tell()

    # -- XML ----------------------------------------------------------------------------------
    def _xml(self) -> Iterator[RawRecord]:
        from lxml import etree

        index = 0
        with self.path.open("rb") as handle:
            parser = etree.iterparse(
                handle,
                events=("end",),
                tag=("marche", "contrat-concession"),
                resolve_entities=False,
                no_network=True,
                huge_tree=False,
                recover=False,
            )
            try:
                for _event, element in parser:
                    if element.getparent() is None or element.getparent().tag != "marches":
                        continue
                    kind: Kind = "marche" if element.tag == "marche" else "concession"
                    form: Form = "2" if any(child.tag in _V2_FIELDS for child in element) else "1.5"
                    self.form = self.form or form
                    data = xml_record(element, form)
                    if form == "1.5":
                        data.setdefault(
                            "_type", "Marché" if kind == "marche" else "Contrat de concession"
                        )
                    location = f"marches/{element.tag}[{index}]"
                    yield RawRecord(self.name, index, form, kind, data, location)
                    index += 1
                    element.clear(keep_tail=True)
                    while element.getprevious() is not None:
                        del element.getparent()[0]
            except etree.XMLSyntaxError as exc:
                self._issue(
                    "xml",
                    f"XML invalide (ligne {exc.lineno}) : {exc.msg} — les {index} "
                    "enregistrements précédents sont conservés",
                )
            self.bytes_read = handle.tell()

    # -- tabular ------------------------------------------------------------------------------
    def _csv(self) -> Iterator[RawRecord]:
        self.form = "tabulaire"
        with self.path.open("rb") as raw:
            text = io.TextIOWrapper(raw, encoding=self.encoding, errors="replace", newline="")
            sample = text.read(_SNIFF_BYTES)
            text.seek(0)
            delimiter = ";" if sample.count(";") > sample.count(",") else ","
            reader = csv.DictReader(text, delimiter=delimiter)
            if not reader.fieldnames or not {"id", "acheteur_id"} <= set(reader.fieldnames):
                self._issue(
                    "format",
                    "en-tête du format tabulaire consolidé attendu (colonnes id, acheteur_id…)",
                )
                return
            try:
                for index, row in enumerate(reader):
                    location = f"ligne {reader.line_num}"
                    cleaned = {k: v for k, v in row.items() if k is not None}
                    yield RawRecord(self.name, index, "tabulaire", "marche", cleaned, location)
            except csv.Error as exc:
                self._issue("csv", f"CSV illisible ligne {reader.line_num} : {exc}")
            self.bytes_read = raw.tell()

    def _parquet(self) -> Iterator[RawRecord]:
        import duckdb

        self.form = "tabulaire"
        try:
            connection = duckdb.connect()
            relation = connection.execute("SELECT * FROM read_parquet(?)", [str(self.path)])
        except duckdb.Error as exc:
            self._issue("parquet", f"Parquet illisible : {exc}")
            return
        columns = [column[0] for column in relation.description or []]
        index = 0
        while batch := relation.fetchmany(10_000):
            for values in batch:
                row = {
                    name: "" if value is None else str(value)
                    for name, value in zip(columns, values, strict=True)
                }
                yield RawRecord(self.name, index, "tabulaire", "marche", row, f"ligne {index + 2}")
                index += 1
        self.bytes_read = self.path.stat().st_size


def _kind_of(item: dict[str, Any]) -> Kind:
    if item.get("_type") == "Contrat de concession" or isinstance(
        item.get("autoriteConcedante"), dict
    ):
        return "concession"
    return "marche"


def _guess_encoding(head: bytes) -> str:
    """UTF-8 unless the bytes cannot be UTF-8 (then Windows-1252, the usual French fallback)."""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sniff window is not an encoding error.
        if exc.start < len(head) - 4:
            return "cp1252"
    return "utf-8"


_NON_STANDARD = re.compile(r"\b(?:NaN|-?Infinity)\b|invalid char")
_NON_STANDARD_VALUE = re.compile(rb"([:\[,]\s*)(?:NaN|-?Infinity)(?=\s*[,}\]])")


class _Stream:
    """A minimal readable byte stream wrapping another one (what ijson needs: ``read``)."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw

    def read(self, size: int = -1) -> bytes:  # pragma: no cover - overridden
        raise NotImplementedError

    def tell(self) -> int:
        return int(self._raw.tell())

    def close(self) -> None:
        self._raw.close()

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class _NonStandardNumbers(_Stream):
    """Replaces the bare NaN / Infinity values some publishers write by ``null``."""

    def __init__(self, raw: Any) -> None:
        super().__init__(raw)
        self._pending = b""

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson probes the stream type with read(0)
            return b""
        chunk = self._raw.read(size if size > 0 else -1)
        data = self._pending + chunk
        if chunk:
            # Keep a short tail so a value cut between two reads is still seen whole.
            data, self._pending = data[:-32], data[-32:]
        else:
            self._pending = b""
        return _NON_STANDARD_VALUE.sub(rb"\1null", data)


class _Transcoder(_Stream):
    """Re-encodes a non-UTF-8 byte stream to UTF-8 on the fly (for ijson)."""

    def __init__(self, raw: Any, encoding: str) -> None:
        super().__init__(raw)
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        self._buffer = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = self._raw.read(64 * 1024 if size < 0 else max(size, 64 * 1024))
            if not chunk:
                self._buffer += self._decoder.decode(b"", final=True).encode("utf-8")
                break
            self._buffer += self._decoder.decode(chunk).encode("utf-8")
        if size < 0:
            out, self._buffer = self._buffer, b""
        else:
            out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out


# -- XML → the JSON shape of the same version --------------------------------------------------
_NUMBERS = frozenset(
    {
        "montant",
        "dureeMois",
        "offresRecues",
        "tauxAvance",
        "origineUE",
        "origineFrance",
        "valeurGlobale",
        "montantSubventionPublique",
        "depensesInvestissement",
        "tarif",
        "id_modification",
    }
)
_BOOLEANS = frozenset({"marcheInnovant", "attributionAvance", "sousTraitanceDeclaree"})
# Containers whose children form a list; v2 keeps each child wrapped under its own name.
_LISTS = frozenset(
    {
        "titulaires",
        "modifications",
        "concessionnaires",
        "donneesExecution",
        "tarifs",
        "actesSousTraitance",
        "modificationsActesSousTraitance",
    }
)
_V2_VALUE_LISTS = frozenset(
    {
        "techniques",
        "modalitesExecution",
        "typesPrix",
        "considerationsSociales",
        "considerationsEnvironnementales",
    }
)


def xml_record(element: Any, form: Form) -> dict[str, Any]:
    return {child.tag: _xml_value(child, form) for child in element}


def _xml_value(element: Any, form: Form) -> Any:
    children = list(element)
    tag = element.tag
    if tag in _LISTS:
        if form == "2" and tag not in {"donneesExecution", "tarifs"}:
            return [{child.tag: _xml_value(child, form)} for child in children]
        return [_xml_value(child, form) for child in children]
    if tag in _V2_VALUE_LISTS and form == "2":
        values: dict[str, list[Any]] = {}
        for child in children:
            values.setdefault(child.tag, []).append((child.text or "").strip())
        return values
    if children:
        return {child.tag: _xml_value(child, form) for child in children}
    text = (element.text or "").strip()
    if tag in _BOOLEANS:
        lowered = text.lower()
        if lowered in {"oui", "true", "1"}:
            return True
        if lowered in {"non", "false", "0"}:
            return False
        return text
    if tag in _NUMBERS or (
        tag == "id" and form == "2" and element.getparent().tag == "modification"
    ):
        try:
            number = float(text)
        except ValueError:
            return text
        return int(number) if number.is_integer() and "." not in text else number
    return text
