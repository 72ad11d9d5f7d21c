"""What the domain answered (its explanation, warnings, articles), or its refusal next to the fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django import forms

from openamo.errors import OpenAMOError


@dataclass(frozen=True)
class Outcome:
    """What every domain verdict says of itself: its explanation, warnings and articles."""

    explanation: str
    warnings: list[str]
    references: list[str]


class Explained(Protocol):
    @property
    def explanation(self) -> str: ...
    @property
    def warnings(self) -> list[str]: ...
    @property
    def references(self) -> list[str]: ...


def domain_result(result: Explained) -> Outcome:
    """Explanation, warnings and references of a domain result."""
    return Outcome(result.explanation, result.warnings, result.references)


def attach_domain_errors(form: forms.Form, exc: OpenAMOError, fields: dict[str, str]) -> None:
    """The domain's French message above the form, and each detail next to the field it
    concerns (``fields`` maps the domain's input names to the form's)."""
    form.add_error(None, exc.message)
    for detail in exc.details:
        name = detail.location.split(".")[0].split("[")[0]
        target = fields.get(name, name)
        if target in form.fields:
            form.add_error(target, detail.message)
        else:
            form.add_error(None, f"{detail.location} : {detail.message}")
