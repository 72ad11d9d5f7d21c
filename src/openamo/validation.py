"""Validation at the edge: pydantic models whose errors become one French :class:`OpenAMOError`.

Every domain input model derives from :class:`InputModel` (unknown fields are an error, as the
CLI JSON contract requires) and uses :data:`Amount` for money.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer, ValidationError

from openamo.errors import ErrorDetail, OpenAMOError
from openamo.money import format_amount

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


class InputModel(BaseModel):
    """Base of every domain input: strict about unknown fields, lenient about surrounding spaces."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


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
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        details = [
            ErrorDetail(field_location(err["loc"]), french_message(err))
            for err in exc.errors(include_url=False)
        ]
        raise OpenAMOError("Entrée invalide.", details=details) from None


def iso(day: date) -> str:
    return day.isoformat()
