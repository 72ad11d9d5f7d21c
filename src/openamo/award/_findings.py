"""Accumulator for a verdict's justification: checks, references, explanation and warnings."""

from __future__ import annotations

from dataclasses import dataclass, field

from openamo.award.enums import CheckLevel
from openamo.award.models import Check


@dataclass
class Findings:
    references: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ambiguities: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    def cite(self, *references: str) -> None:
        for reference in references:
            if reference not in self.references:
                self.references.append(reference)

    def explain(self, line: str, *references: str) -> None:
        self.lines.append(line)
        self.cite(*references)

    def warn(self, message: str, *references: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)
        self.cite(*references)

    def flag_ambiguity(self, message: str, *references: str) -> None:
        if message not in self.ambiguities:
            self.ambiguities.append(message)
        self.cite(*references)

    def check(self, level: CheckLevel, code: str, message: str, *references: str) -> None:
        self.checks.append(
            Check(level=level, code=code, message=message, references=list(references))
        )
        self.cite(*references)

    def merge(self, other: Findings) -> None:
        for reference in other.references:
            self.cite(reference)
        for warning in other.warnings:
            self.warn(warning)
        for ambiguity in other.ambiguities:
            self.flag_ambiguity(ambiguity)
