"""Import of ma cantine's purchase files (achats) — the formats of ``schemas/``.

Tolerant of real spreadsheets: UTF-8 (with or without BOM) or Windows-1252 / ISO-8859-1; ``,``
``;`` or tab separators; columns found by name (case and surrounding spaces ignored, order free,
optional columns may be missing); padded values; decimal comma and thousands spaces in prices;
``x``/``oui``/``non`` booleans; codes in any case; dates ``AAAA-MM-JJ`` or ``JJ/MM/AAAA``; blank
lines skipped. Strict about meaning: a file with any bad line is rejected as a whole and every
bad line is listed ({line, field, message}, in French) — unless ``partial`` is asked, in which
case the good lines are kept and the bad ones reported.
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_DOWN, Decimal, InvalidOperation
from functools import lru_cache

from stdnum.fr import siret as siret_number

from openamo.catering.enums import LEGACY_LABELS, Family, Label, LocalDefinition, Origin
from openamo.catering.schemas import TableSchema, schema
from openamo.dates import paris_today
from openamo.errors import ErrorDetail, OpenAMOError
from openamo.money import CENT
from openamo.validation import csv_records, implausible_date
from openamo.wording import count

MAX_BYTES = 50 * 1024 * 1024
TRUE_VALUES = {"x", "oui", "o", "yes", "y", "vrai", "true", "1"}
FALSE_VALUES = {"", "non", "n", "no", "faux", "false", "0"}
OLD_CHARACTERISTICS = {"europe", "france", "circuit_court", "local"}
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_FR_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_PRICE = re.compile(r"^\d+(?:[.,]\d+)?$")


@lru_cache(maxsize=4096)
def _valid_siret(value: str) -> bool:
    """Luhn check (python-stdnum), cached: a file repeats the same few establishments."""
    return bool(siret_number.is_valid(value))


@dataclass(frozen=True)
class ImportedPurchase:
    """One line of a purchase file, validated (ma cantine's fields, our enums)."""

    line: int
    establishment: str
    description: str
    supplier: str
    date: date
    amount_ht: Decimal
    family: Family
    labels: tuple[Label, ...]
    origin: Origin | None
    short_circuit: bool
    local: bool
    local_definition: LocalDefinition | None
    local_km: int | None


@dataclass
class ParsedFile:
    format: str
    encoding: str
    separator: str
    purchases: list[ImportedPurchase] = field(default_factory=list)
    errors: list[dict[str, object]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    lines: int = 0

    def error(self, line: int, column: str, message: str) -> None:
        self.errors.append({"line": line, "field": column, "message": message})


def decode(content: bytes) -> tuple[str, str]:
    """Text and encoding: UTF-8 first, then Windows-1252, then ISO-8859-1 (which never fails)."""
    for encoding, label in (("utf-8-sig", "UTF-8"), ("cp1252", "Windows-1252 (ISO-8859-1)")):
        try:
            return content.decode(encoding), label
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1"), "ISO-8859-1"


def _rows(text: str, separator: str) -> Iterator[tuple[int, list[str]]]:
    """(first physical line of the record, cells) — quoted cells may span several lines."""
    yield from csv_records(io.StringIO(text, newline=""), separator)


def _normalise_header(cell: str) -> str:
    return cell.strip().strip("\ufeff").strip('"').strip().lower()


_KNOWN_COLUMNS = {
    column
    for name in ("achats_siret", "achats_id", "achats_ancien_format")
    for column in schema(name).columns
}


def _detect(text: str) -> tuple[str, list[str], int]:
    """Separator, normalised header and its line number; the separator that names most columns."""
    best: tuple[int, str, list[str], int] = (0, ",", [], 1)
    for separator in (";", "\t", ","):
        for line, cells in _rows(text, separator):
            if not any(c.strip() for c in cells):
                continue
            header = [_normalise_header(c) for c in cells]
            known = sum(1 for h in header if h in _KNOWN_COLUMNS)
            if known > best[0]:
                best = (known, separator, header, line)
            break
    if best[0] < 3:
        raise _header_error(text)
    return best[1], best[2], best[3]


def _header_error(text: str) -> OpenAMOError:
    """Every unknown name of an unrecognised header, with the closest expected column."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    separator = max((";", "\t", ","), key=first.count)
    cells = [_normalise_header(c) for c in next(csv_records([first], separator), (0, []))[1]]
    expected = schema("achats_siret").columns
    lines: list[dict[str, object]] = []
    for cell in cells:
        if cell and cell not in _KNOWN_COLUMNS:
            close = difflib.get_close_matches(cell, expected, n=1, cutoff=0.5)
            hint = f" — vouliez-vous dire « {close[0]} » ?" if close else ""
            lines.append({"line": 1, "field": cell, "message": f"colonne inconnue{hint}"})
    if not lines:
        lines.append({"line": 1, "field": "en-tête", "message": "en-tête non reconnu"})
    return OpenAMOError(
        "En-tête non reconnu : la première ligne doit nommer les colonnes du modèle ma cantine "
        f"({', '.join(expected)}).",
        code="invalid_file",
        details=[ErrorDetail(f"ligne 1, {e['field']}", str(e["message"])) for e in lines],
        extra={"lines": lines},
    )


def _format_of(header: list[str]) -> TableSchema:
    if "caracteristiques" in header:
        return schema("achats_ancien_format")
    if "cantine_id" in header:
        return schema("achats_id")
    return schema("achats_siret")


def parse_purchases(content: bytes) -> ParsedFile:
    """Read every line; errors and warnings are collected, never raised line by line."""
    if len(content) > MAX_BYTES:
        raise OpenAMOError("Fichier trop volumineux (50 Mo au plus).", code="too_large")
    text, encoding = decode(content)
    if not text.strip():
        raise OpenAMOError("Fichier vide : un en-tête et des lignes d'achats sont attendus.")
    separator, header, header_line = _detect(text)
    table = _format_of(header)
    labels = {";": "point-virgule", "\t": "tabulation", ",": "virgule"}
    parsed = ParsedFile(format=table.name, encoding=encoding, separator=labels[separator])
    if not _check_header(parsed, table, header, header_line):
        return parsed
    blank: list[int] = []
    for line, cells in _rows(text, separator):
        if line <= header_line:
            continue
        if not any(c.strip() for c in cells):
            blank.append(line)
            continue
        parsed.lines += 1
        _parse_row(parsed, table, header, line, cells)
    if blank:
        shown = ", ".join(str(n) for n in blank[:10]) + (" …" if len(blank) > 10 else "")
        parsed.warnings.append(f"{count(len(blank), 'ligne vide ignorée')} : {shown}.")
    return parsed


def _check_header(parsed: ParsedFile, table: TableSchema, header: list[str], line: int) -> bool:
    ok = True
    for position, name in enumerate(header):
        if name and name not in table.columns:
            parsed.error(line, name, f"colonne inconnue « {name} » (colonne {position + 1})")
            ok = False
        elif name and header.count(name) > 1 and header.index(name) != position:
            parsed.error(line, name, f"colonne « {name} » en double")
            ok = False
    for name in sorted(table.required - set(header)):
        parsed.error(line, name, f"colonne obligatoire « {name} » manquante")
        ok = False
    present = [c for c in header if c]
    if ok and present != [c for c in table.columns if c in present]:
        parsed.warnings.append(
            "Colonnes dans un ordre différent du modèle ma cantine : l'export les remet dans l'ordre."
        )
    return ok


def _parse_row(
    parsed: ParsedFile, table: TableSchema, header: list[str], line: int, cells: list[str]
) -> None:
    if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
        parsed.error(line, "(ligne)", f"{len(cells)} cellules pour {len(header)} colonnes")
        return
    if len(cells) < len(header):
        parsed.error(line, "(ligne)", f"{len(cells)} cellules au lieu de {len(header)}")
        return
    row = {name: cells[i].strip() for i, name in enumerate(header) if name}
    before = len(parsed.errors)
    values = _RowReader(parsed, line, row, table).read()
    if values is not None and len(parsed.errors) == before:
        parsed.purchases.append(values)


class _RowReader:
    """Validates one row field by field, recording every problem."""

    def __init__(self, parsed: ParsedFile, line: int, row: dict[str, str], table: TableSchema):
        self.parsed, self.line, self.row, self.table = parsed, line, row, table
        self.ok = True

    def bad(self, column: str, message: str) -> None:
        self.parsed.error(self.line, column, message)
        self.ok = False

    def read(self) -> ImportedPurchase | None:
        establishment = self._establishment()
        description = self.row.get("description", "")
        if not description:
            self.bad("description", "description manquante")
        day = self._date()
        amount = self._price()
        family = self._family()
        labels, origin, short, local = self._characteristics()
        definition, km = self._local_definition(local)
        if not self.ok or day is None or amount is None or family is None:
            return None
        return ImportedPurchase(
            line=self.line, establishment=establishment, description=description,
            supplier=self.row.get("fournisseur", ""), date=day, amount_ht=amount, family=family,
            labels=labels, origin=origin, short_circuit=short, local=local,
            local_definition=definition, local_km=km,
        )  # fmt: skip

    def _establishment(self) -> str:
        if "cantine_id" in self.table.columns:
            value = self.row.get("cantine_id", "")
            if not value.isdigit():
                self.bad("cantine_id", f"identifiant de cantine invalide « {value} » (entier)")
            return value
        raw = self.row.get("siret", "")
        value = re.sub(r"[\s.\u00a0\u202f-]", "", raw)
        if not value:
            self.bad("siret", "SIRET manquant")
        elif not (value.isdigit() and len(value) == 14):
            self.bad("siret", f"SIRET « {raw} » invalide : 14 chiffres attendus")
        elif not _valid_siret(value):
            self.bad("siret", f"SIRET « {raw} » invalide (clé de contrôle erronée)")
        return value

    def _date(self) -> date | None:
        raw = self.row.get("date", "")
        if not raw:
            self.bad("date", "date manquante")
            return None
        found = _ISO_DATE.match(raw) or _FR_DATE.match(raw)
        if not found:
            self.bad("date", f"date « {raw} » illisible (attendu AAAA-MM-JJ ou JJ/MM/AAAA)")
            return None
        numbers = [int(g) for g in found.groups()]
        year, month, day = numbers if _ISO_DATE.match(raw) else numbers[::-1]
        try:
            found_on = date(year, month, day)
        except ValueError:
            self.bad("date", f"date « {raw} » inexistante")
            return None
        error = implausible_date(found_on, paris_today(), not_after_today=True)
        if error:
            self.bad("date", f"date « {raw} » : {error[0].lower()}{error[1:]}")
            return None
        return found_on

    def _price(self) -> Decimal | None:
        raw = self.row.get("prix_ht", "")
        text = re.sub(r"[\s\u00a0\u202f€]", "", raw)
        if "," in text and "." in text:
            decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
            text = text.replace("." if decimal_mark == "," else ",", "")
        if not raw:
            self.bad("prix_ht", "prix HT manquant")
            return None
        if text.startswith("-"):
            self.bad("prix_ht", f"prix HT négatif « {raw} »")
            return None
        if not _PRICE.match(text):
            self.bad(
                "prix_ht", f"prix HT « {raw} » illisible (nombre attendu, par exemple 1234.99)"
            )
            return None
        try:
            value = Decimal(text.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern filters first
            self.bad("prix_ht", f"prix HT « {raw} » illisible")
            return None
        if value >= Decimal("1e12"):
            self.bad("prix_ht", f"prix HT « {raw} » hors limites")
            return None
        # ma cantine rounds imported prices to the cent, half down (purchase_import_base.py).
        return value.quantize(CENT, rounding=ROUND_HALF_DOWN)

    def _family(self) -> Family | None:
        raw = self.row.get("famille_produits", "")
        if not raw:
            self.bad("famille_produits", "famille de produits manquante")
            return None
        try:
            return Family(raw.strip().lower())
        except ValueError:
            allowed = ", ".join(f.value.upper() for f in Family)
            self.bad("famille_produits", f"famille « {raw} » inconnue (valeurs : {allowed})")
            return None

    def _codes(self, column: str) -> list[str]:
        raw = self.row.get(column, "")
        return [c.strip().lower() for c in re.split(r"[,;|+]", raw) if c.strip()]

    def _characteristics(self) -> tuple[tuple[Label, ...], Origin | None, bool, bool]:
        old = "caracteristiques" in self.table.columns
        codes = self._codes("caracteristiques" if old else "categories_egalim")
        extras = {c for c in codes if old and c in OLD_CHARACTERISTICS}
        labels = self._labels([c for c in codes if c not in extras], old)
        if old:
            origins = [Origin(c) for c in ("france", "europe") if c in extras]
            if len(origins) > 1:
                self.bad("caracteristiques", "origines FRANCE et EUROPE à la fois")
            return (
                labels,
                origins[0] if origins else None,
                "circuit_court" in extras,
                "local" in extras,
            )
        origin = self._origin()
        return labels, origin, self._bool("est_circuit_court"), self._bool("est_local")

    def _labels(self, codes: list[str], old: bool) -> tuple[Label, ...]:
        column = "caracteristiques" if old else "categories_egalim"
        found: list[Label] = []
        for code in codes:
            label = LEGACY_LABELS.get(code)
            if label is None:
                try:
                    label = Label(code)
                except ValueError:
                    allowed = ", ".join(sorted({lab.macantine_code for lab in Label}))
                    self.bad(column, f"catégorie EGAlim « {code.upper()} » inconnue ({allowed})")
                    continue
            if label not in found:
                found.append(label)
        return tuple(found)

    def _origin(self) -> Origin | None:
        raw = self.row.get("origine", "")
        if not raw:
            return None
        try:
            return Origin(raw.lower())
        except ValueError:
            self.bad("origine", f"origine « {raw} » inconnue (FRANCE ou EUROPE)")
            return None

    def _bool(self, column: str) -> bool:
        raw = self.row.get(column, "").lower()
        if raw in TRUE_VALUES:
            return True
        if raw not in FALSE_VALUES:
            self.bad(column, f"valeur « {self.row[column]} » non reconnue (x, oui ou non)")
        return False

    def _local_definition(self, local: bool) -> tuple[LocalDefinition | None, int | None]:
        raw = self.row.get("definition_local", "")
        km_raw = self.row.get("definition_local_km", "")
        if not raw:
            if km_raw:
                self.bad("definition_local_km", "distance donnée sans définition « KM »")
            return None, None
        if not local:
            self.bad("definition_local", "renseignée alors que l'achat n'est pas marqué local")
            return None, None
        try:
            definition = LocalDefinition(raw.lower())
        except ValueError:
            if "caracteristiques" in self.table.columns:
                self.parsed.warnings.append(
                    f"Ligne {self.line} : définition locale « {raw} » de l'ancien format, "
                    "abandonnée (absente du format actuel)."
                )
                return None, None
            self.bad("definition_local", f"définition « {raw} » inconnue (PAT, COMMUNE, …, KM)")
            return None, None
        if km_raw and definition is not LocalDefinition.KM:
            self.bad(
                "definition_local_km", "distance renseignée alors que la définition n'est pas KM"
            )
            return definition, None
        if km_raw and not km_raw.isdigit():
            self.bad("definition_local_km", f"distance « {km_raw} » invalide (entier en km)")
            return definition, None
        return definition, int(km_raw) if km_raw else None
