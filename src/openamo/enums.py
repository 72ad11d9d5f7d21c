"""Enumerations whose values are the French terms of the CLI JSON contract, each declared
with its French label: ``PRIX = "prix", "Prix"``. One mechanism for every domain enum
(the web's models use Django's ``TextChoices``, which take the same two values)."""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class LabelledEnum(StrEnum):
    """A string enum member with its label: ``Kind("prix")`` looks the member up by value,
    ``Kind.PRIX.label`` is what a person reads."""

    _value_: str
    label: str

    def __new__(cls, value: str, label: str = "") -> Self:
        # ``label`` defaults only so that type checkers accept ``Kind("prix")``, the lookup by
        # value, which never reaches ``__new__``.
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member
