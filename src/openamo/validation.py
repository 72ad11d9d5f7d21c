"""Validation at the edge: pydantic models whose errors become one French :class:`OpenAMOError`.

Every domain input model derives from :class:`InputModel` (unknown fields are an error, as the
CLI JSON contract requires) and uses :data:`Amount` for money.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, TypeVar, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from openamo.dates import paris_today
from openamo.errors import ErrorDetail, OpenAMOError
from openamo.money import format_amount

PLAUSIBLE_MAX_AMOUNT = Decimal("1e11")
"""No amount typed in a form reaches a hundred billion euros, positive or negative: the largest
public contracts are counted in billions. Not a legal figure: a bound against typing errors
(« −999 999 999 999 € »), shared by every amount field."""

_AMOUNT_RE = re.compile(r"^-?\d+(?:[.,]\d+)?$")
MAX_AMOUNT = Decimal("1e15")


def _parse_amount(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("montant attendu, pas un booléen")
    if isinstance(value, int | Decimal):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(str(value))
    elif isinstance(value, str):
        # Real files carry "120 000,00" as often as "120000.00": accept both, nothing looser.
        text = value.strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
        text = text.removesuffix("€")
        if not _AMOUNT_RE.match(text):
            raise ValueError(f"montant invalide « {value} » (attendu par exemple « 120000.00 »)")
        try:
            amount = Decimal(text.replace(",", "."))
        except InvalidOperation as exc:  # pragma: no cover - regex already filters
            raise ValueError(f"montant invalide « {value} »") from exc
    else:
        raise ValueError("montant attendu sous forme de chaîne, par exemple « 120000.00 »")
    if not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
        raise ValueError("montant hors limites")
    return amount


def _non_negative(amount: Decimal) -> Decimal:
    if amount < 0:
        raise ValueError("le montant ne peut pas être négatif")
    return amount


Amount = Annotated[
    Decimal,
    BeforeValidator(lambda v: _non_negative(_parse_amount(v))),
    PlainSerializer(format_amount, return_type=str),
]
"""A non-negative amount of euros HT, read from a string or a number, written as "120000.00"."""

SignedAmount = Annotated[
    Decimal,
    BeforeValidator(_parse_amount),
    PlainSerializer(format_amount, return_type=str),
]
"""An amount that may be negative (a reduction, a drift)."""


def _compact_siret(value: str) -> str:
    from stdnum.fr import siret  # imported when a SIRET is read: the CLI starts without it

    compact = value.replace(" ", "")
    if not siret.is_valid(compact):
        raise ValueError(f"SIRET invalide « {value} » (14 chiffres, clé de Luhn)")
    return str(compact)


Siret = Annotated[str, Field(max_length=20), AfterValidator(_compact_siret)]
"""A SIRET as typed (spaces allowed), checked (14 digits, Luhn key) and kept without spaces."""


def siret_display(value: str | None) -> str:
    """A stored SIRET as it is read on a Kbis or an avis de situation SIRENE: « 732 829 320
    00074 » (SIREN in three groups, then the NIC, no-break spaces so that it never wraps);
    anything else as stored (an empty one stays empty)."""
    if not value:
        return ""
    digits = value.replace(" ", "")
    if len(digits) != 14 or not digits.isdigit():
        return value
    return "\u00a0".join((digits[:3], digits[3:6], digits[6:9], digits[9:]))


HAPPENED = "not_after_today"
"""Marker of a date that records what has taken place (a decision, a purchase, a payment):
``Annotated[date, HAPPENED]`` (see :data:`PastDate`)."""

PastDate = Annotated[date, HAPPENED]
"""A date of something that has happened: plausible and not after today."""


def _marked(annotation: Any) -> bool:
    """Whether ``annotation`` (``PastDate | None``, ``list[PastDate]``…) carries HAPPENED."""
    if HAPPENED in getattr(annotation, "__metadata__", ()):
        return True
    return any(_marked(arg) for arg in get_args(annotation))


class InputModel(BaseModel):
    """Base of every domain input: strict about unknown fields, lenient about surrounding spaces,
    and every date plausible (:func:`implausible_date`; :data:`PastDate` for what has happened),
    so that the CLI, the API and the imports refuse 1900 and 2100 as the forms do."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _plausible_dates(cls, value: Any, info: ValidationInfo) -> Any:
        return plausible_dates(cls, value, info)


def plausible_dates(model: type[BaseModel], value: Any, info: ValidationInfo) -> Any:
    """``value`` when each date in it is plausible, else a French ValueError: the field
    validator of every input model, domain (:class:`InputModel`) or API (``web.api``)."""
    days = value if isinstance(value, list | tuple) else [value]
    field = model.model_fields.get(info.field_name or "")
    happened = field is not None and (HAPPENED in field.metadata or _marked(field.annotation))
    today = paris_today()
    for day in days:
        if isinstance(day, date) and not isinstance(day, datetime):
            error = implausible_date(day, today, not_after_today=happened)
            if error:
                raise ValueError(error)
    return value


class OutputModel(BaseModel):
    model_config = ConfigDict(frozen=True)


M = TypeVar("M", bound=BaseModel)

_MESSAGES = {
    "missing": "champ obligatoire manquant",
    "extra_forbidden": "champ inconnu (vérifiez l'orthographe du nom du champ)",
    "string_type": "texte attendu",
    "string_too_short": "texte vide ou trop court",
    "string_too_long": "texte trop long",
    "int_type": "nombre entier attendu",
    "int_parsing": "nombre entier attendu",
    "int_from_float": "nombre entier attendu",
    "bool_type": "booléen attendu (true ou false)",
    "bool_parsing": "booléen attendu (true ou false)",
    "date_type": "date attendue au format AAAA-MM-JJ",
    "date_parsing": "date invalide (attendu AAAA-MM-JJ)",
    "date_from_datetime_parsing": "date invalide (attendu AAAA-MM-JJ)",
    "date_from_datetime_inexact": "date attendue sans heure (AAAA-MM-JJ)",
    "decimal_parsing": "nombre décimal attendu",
    "decimal_type": "nombre décimal attendu",
    "decimal_max_digits": "nombre trop grand",
    "decimal_max_places": "deux décimales au plus",
    "decimal_whole_digits": "nombre trop grand",
    "list_type": "liste attendue",
    "dict_type": "objet JSON attendu",
    "model_type": "objet JSON attendu",
    "model_attributes_type": "objet JSON attendu",
    "too_short": "liste trop courte",
    "too_long": "liste trop longue",
    "greater_than_equal": "valeur trop petite",
    "greater_than": "valeur trop petite",
    "less_than_equal": "valeur trop grande",
    "less_than": "valeur trop grande",
    "json_invalid": "JSON invalide",
    "json_type": "JSON attendu",
}
_LIMITS = {"ge": "minimum", "gt": "strictement supérieur à", "le": "maximum", "lt": "inférieur à"}


def french_message(error: Any) -> str:
    """The French message of one pydantic error (shared by the CLI, the API and the forms)."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind in {"literal_error", "enum"}:
        expected = str(ctx.get("expected", "")).replace(" or ", " ou ")
        return f"valeur non reconnue « {error.get('input')} » (valeurs possibles : {expected})"
    if kind in {"value_error", "assertion_error"}:
        return str(ctx.get("error", "valeur invalide"))
    base = _MESSAGES.get(kind, "valeur invalide")
    for key, label in _LIMITS.items():
        if key in ctx:
            return f"{base} ({label} {ctx[key]})"
    for key in ("min_length", "max_length"):
        if key in ctx:
            return f"{base} ({'au moins' if key == 'min_length' else 'au plus'} {ctx[key]})"
    return base


def field_location(loc: Any, aliases: dict[str, str] | None = None) -> str:
    """``lots[2].name`` from pydantic's ``("lots", 2, "name")``; ``aliases`` renames parts."""
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
            continue
        text = (aliases or {}).get(str(item), str(item))
        if text:
            parts.append(("." if parts else "") + text)
    return "".join(parts) or "(racine)"


def parse_input(model: type[M], data: Any) -> M:
    """Validate ``data`` against ``model`` or raise one French :class:`OpenAMOError`."""
    if not isinstance(data, dict):
        raise OpenAMOError("L'entrée doit être un objet JSON ({...}).")
    with french_errors():
        return model.model_validate(data)


@contextmanager
def french_errors(within: str = "") -> Iterator[None]:
    """Input models built inside the block (typed, ``Model(field=…)``, as the web does) that
    pydantic refuses raise one French :class:`OpenAMOError`, as :func:`parse_input` does.

    ``within`` names where the models built sit in the whole input (``contract``): the errors
    are located as :func:`parse_input` would have located them on the whole JSON."""
    try:
        yield
    except ValidationError as exc:
        details = [
            ErrorDetail(field_location((within, *err["loc"])), french_message(err))
            for err in exc.errors(include_url=False)
        ]
        raise OpenAMOError("Entrée invalide.", details=details) from None


def iso(day: date) -> str:
    return day.isoformat()


# Plausibility, declared once for the forms, the API, the imports and the CLI ----------------

PLAUSIBLE_YEARS = 30
"""How far from today a date of a public purchase may lie (typed, imported or sent): a contract
signed thirty years ago is still followed, none is signed in 1900 or 2100. Not a legal figure:
a bound against typing errors and calendar overflows (9999-12-31 + 60 days)."""


def date_window(today: date) -> tuple[date, date]:
    """The first and last plausible day around ``today``."""
    return date(today.year - PLAUSIBLE_YEARS, 1, 1), date(today.year + PLAUSIBLE_YEARS, 12, 31)


def implausible_date(value: date, today: date, *, not_after_today: bool = False) -> str | None:
    """Why ``value`` cannot be right (French), or None. ``not_after_today``: a decision, a
    purchase or a payment that has taken place."""
    first, last = date_window(today)
    if not first <= value <= last:
        return (
            f"Date invraisemblable : indiquez une date entre le {first:%d/%m/%Y} et le "
            f"{last:%d/%m/%Y}."
        )
    if not_after_today and value > today:
        return "Cette date est dans le futur : indiquez la date où c'est arrivé."
    return None


def chronology_error(earlier: date | None, later: date | None, sentence: str) -> str | None:
    """``sentence`` when both dates are known and ``later`` precedes ``earlier``."""
    if earlier is not None and later is not None and later < earlier:
        return sentence
    return None


def csv_records(source: Iterable[str], delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(first physical line of the record, cells); a file the csv module cannot read (a cell
    beyond its field limit of 131 072 characters, a quote never closed) is one French
    :class:`OpenAMOError` instead of a traceback."""
    reader = csv.reader(source, delimiter=delimiter)
    previous = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise OpenAMOError(
                f"Fichier illisible à la ligne {reader.line_num} : une cellule est trop longue "
                "(plus de 131 072 caractères) ou mal délimitée (guillemet non fermé).",
                code="csv_unreadable",
            ) from None
        yield previous + 1, cells
        previous = reader.line_num
