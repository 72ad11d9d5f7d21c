"""Typed access to the award parameters of the law tree."""

from __future__ import annotations

from decimal import Decimal

from openamo.errors import LawDataError
from openamo.law import LawSnapshot


def flag(law: LawSnapshot, path: str) -> bool:
    value = law.value(path)
    if not isinstance(value, bool):
        raise LawDataError(f"Le paramètre « {path} » devrait être un booléen.")
    return value


def rate(law: LawSnapshot, path: str) -> Decimal:
    value = law.value(path)
    if not isinstance(value, Decimal):
        raise LawDataError(f"Le paramètre « {path} » devrait être un nombre décimal.")
    return value


def count(law: LawSnapshot, path: str) -> int:
    value = law.value(path)
    if isinstance(value, bool) or not isinstance(value, int):
        raise LawDataError(f"Le paramètre « {path} » devrait être un nombre entier.")
    return value
