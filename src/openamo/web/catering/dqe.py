"""Reading a catering DQE file into the domain's forecast input (``amo egalim prevision``).

The file is the user's input, as the command line's JSON file is: it is read as the JSON
object the domain validates (``forecast_from_dict``), so that the domain's error locations
(``lines[3].family``) can be brought back to the file's lines. Two shapes are accepted: the CLI's JSON (``{"lines": [...], "other_purchases": [...]}``) or a
spreadsheet saved as CSV with one line per DQE item and the columns of :data:`COLUMNS`. This
module only moves cells into fields; every check (families, labels, amounts) is the domain's,
and its messages are brought back to the file's line numbers by :func:`locate`.
"""

from __future__ import annotations

import csv
import io
import json
import re

from openamo.catering.importer import decode
from openamo.errors import ErrorDetail, OpenAMOError
from openamo.validation import csv_records

COLUMNS = {
    "designation": "designation",
    "famille_produits": "family",
    "prix_unitaire_ht": "unit_price_ht",
    "quantite": "quantity",
    "categories_egalim": "labels",
    "viande_ou_poisson": "is_meat_or_fish",
}
REQUIRED = ("designation", "famille_produits", "prix_unitaire_ht", "quantite")
TEMPLATE_ROWS = [
    list(COLUMNS),
    ["Sauté de veau Label Rouge", "VIANDES_VOLAILLES", "16,80", "900", "LABEL_ROUGE", ""],
    ["Filet de lieu noir écolabel", "PRODUITS_DE_LA_MER", "13,50", "700", "PECHE_DURABLE", ""],
    ["Carottes bio", "FRUITS_ET_LEGUMES", "1,45", "6000", "BIO", ""],
    ["Yaourt nature bio", "PRODUITS_LAITIERS", "0,32", "30000", "BIO", ""],
    ["Emmental", "PRODUITS_LAITIERS", "8,90", "800", "", ""],
]
_TRUE = {"x", "oui", "o", "vrai", "true", "1"}
_FALSE = {"non", "n", "faux", "false", "0"}
_LINE = re.compile(r"^lines\[(\d+)\]\.?(.*)$")


def template_csv() -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(TEMPLATE_ROWS)
    return buffer.getvalue()


def read(content: bytes) -> tuple[dict[str, object], dict[int, int]]:
    """The forecast input without its year, and the file line of each DQE line (CSV only)."""
    text, _ = decode(content)
    if text.lstrip().startswith("{"):
        return _json(text), {}
    return _csv(text)


def _json(text: str) -> dict[str, object]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise OpenAMOError(f"JSON invalide (ligne {exc.lineno}) : {exc.msg}.") from None
    if not isinstance(data, dict):
        raise OpenAMOError('Le fichier JSON doit contenir un objet ({"lines": [...]}).')
    data.pop("year", None)
    return data


def _csv(text: str) -> tuple[dict[str, object], dict[int, int]]:
    first = next((line for line in text.splitlines() if line.strip()), "")
    separator = max((";", "\t", ","), key=first.count)
    header: list[str] = []
    lines: list[dict[str, object]] = []
    positions: dict[int, int] = {}
    for line_number, cells in csv_records(io.StringIO(text, newline=""), separator):
        if not any(c.strip() for c in cells):
            continue
        if not header:
            header = [c.strip().strip("\ufeff").lower() for c in cells]
            _check_header(header)
            continue
        positions[len(lines)] = line_number
        lines.append(_line(header, cells))
    if not lines:
        raise OpenAMOError("Aucune ligne de DQE dans le fichier (un en-tête puis les lignes).")
    return {"lines": lines}, positions


def _check_header(header: list[str]) -> None:
    details = [
        ErrorDetail(f"colonne « {name} »", "colonne obligatoire manquante")
        for name in REQUIRED
        if name not in header
    ]
    details += [
        ErrorDetail(f"colonne « {name} »", "colonne inconnue")
        for name in header
        if name and name not in COLUMNS
    ]
    if details:
        raise OpenAMOError(
            "En-tête du DQE non reconnu : colonnes attendues " + ", ".join(COLUMNS) + ".",
            details=details,
        )


def _line(header: list[str], cells: list[str]) -> dict[str, object]:
    row = {name: cells[i].strip() if i < len(cells) else "" for i, name in enumerate(header)}
    line: dict[str, object] = {COLUMNS[name]: row.get(name, "") for name in REQUIRED}
    labels = row.get("categories_egalim", "")
    line["labels"] = [code.strip() for code in re.split(r"[,;|+]", labels) if code.strip()]
    flag = row.get("viande_ou_poisson", "").lower()
    if flag:
        line["is_meat_or_fish"] = True if flag in _TRUE else False if flag in _FALSE else flag
    return line


def located(exc: OpenAMOError) -> list[ErrorDetail]:
    """The errors of a refused DQE, each in the file's line when :func:`locate` found it."""
    found = exc.extra.get("lines") or []
    return [ErrorDetail(str(line["location"]), str(line["message"])) for line in found] or list(
        exc.details
    )


def locate(exc: OpenAMOError, positions: dict[int, int]) -> list[dict[str, str]]:
    """The domain's error details, with « ligne N » of the file instead of ``lines[i]``."""
    fields = {value: key for key, value in COLUMNS.items()}
    found = []
    for detail in exc.details:
        match = _LINE.match(detail.location)
        if match and int(match.group(1)) in positions:
            name = match.group(2).split(".")[0].split("[")[0]
            where = f"ligne {positions[int(match.group(1))]}, {fields.get(name, name)}"
        elif match:
            where = f"ligne de DQE n° {int(match.group(1)) + 1}, {match.group(2)}"
        else:
            where = detail.location
        found.append({"location": where, "message": detail.message})
    return found
