"""The one format of a legal-case file (``tests/cases/<domain>/*.yaml``), checked strictly.

A misspelt key (``expectd:``) used to be ignored, so the case passed without checking anything;
every key is now declared here and an unknown one fails the file.

A file::

    topic: Une phrase qui dit de quoi parlent les cas
    command: procedure choose        # the ``amo`` command the cases run (see _commands.py)
    definitions: {…}                 # optional: YAML anchors shared by the cases
    cases: [ … ]

A case has ``name`` (a French sentence describing a real situation), an optional
``description`` (the hand computation), ``input`` — or ``input_example`` (a file of
``examples/``) with an optional ``patch`` deep-merged into it, ``null`` removing a key — and
either ``expected_error`` (a substring of the French error message) or any of the checks below.
In ``expected`` and ``expected_by_id``, a string starting with ``=`` is a hand derivation
(``= 60 * 90000 / 100000 + 20``) computed in Decimal and rounded to the hundredth, half up.
"""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Approx(_Strict):
    """A Monte-Carlo figure: ``value`` within a ``relative`` or an ``absolute`` tolerance."""

    value: float
    relative: float | None = None
    absolute: float | None = None

    @model_validator(mode="after")
    def _one_tolerance(self) -> Self:
        if (self.relative is None) == (self.absolute is None):
            raise ValueError("indiquez exactement une tolérance : relative ou absolute")
        return self


class Case(_Strict):
    name: str = Field(min_length=1)
    description: str | None = None
    input: Any = None
    input_example: str | None = None
    patch: dict[str, Any] | None = None

    expected_error: str | None = None

    expected: dict[str, Any] = Field(default_factory=dict)
    expected_by_id: dict[str, dict[str, dict[str, Any]]] = Field(default_factory=dict)
    approx: dict[str, Approx] = Field(default_factory=dict)
    # Substrings that must appear in one item of the output list the command names for them.
    expected_warnings: list[str] = Field(default_factory=list)
    expected_references: list[str] = Field(default_factory=list)
    expected_ambiguities: list[str] = Field(default_factory=list)
    expected_explanation: list[str] = Field(default_factory=list)
    expected_new_procedure_reasons: list[str] = Field(default_factory=list)
    expected_checks: list[str] = Field(default_factory=list)
    # Substrings that must appear in no warning.
    expected_absent_warnings: list[str] = Field(default_factory=list)
    # The exact set of bidders suspected of an abnormally low offer, and fragments of reasons.
    expected_abnormally_low: list[str] | None = None
    expected_reason_fragments: dict[str, list[str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _coherent(self) -> Self:
        if (self.input is None) == (self.input_example is None):
            raise ValueError("indiquez exactement une entrée : input ou input_example")
        if self.patch is not None and self.input_example is None:
            raise ValueError("patch ne s'applique qu'à un input_example")
        if self.expected_error is not None and self.checks():
            raise ValueError("un cas d'erreur (expected_error) ne vérifie pas de sortie")
        return self

    def checks(self) -> set[str]:
        """Names of the output checks this case sets (everything but its input and its name)."""
        return {
            key
            for key in self.model_fields_set
            if (key.startswith("expected") and key != "expected_error") or key == "approx"
        }


class CaseFile(_Strict):
    topic: str = Field(min_length=1)
    command: str = Field(min_length=1)
    definitions: dict[str, Any] = Field(default_factory=dict)
    cases: list[Case] = Field(min_length=1)
