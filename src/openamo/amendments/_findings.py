"""Accumulator for a verdict's justification: reasons, references, warnings, ambiguities."""

from __future__ import annotations

from dataclasses import dataclass, field


def _add_unique(target: list[str], items: tuple[str, ...] | list[str]) -> None:
    for item in items:
        if item not in target:
            target.append(item)


@dataclass
class Findings:
    reasons: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ambiguities: list[str] = field(default_factory=list)
    new_procedure_reasons: list[str] = field(default_factory=list)

    def cite(self, *references: str) -> None:
        _add_unique(self.references, references)

    def reason(self, text: str, *references: str) -> None:
        _add_unique(self.reasons, (text,))
        self.cite(*references)

    def explain(self, text: str, *references: str) -> None:
        self.explanation.append(text)
        self.cite(*references)

    def warn(self, text: str, *references: str) -> None:
        _add_unique(self.warnings, (text,))
        self.cite(*references)

    def ambiguity(self, text: str, *references: str) -> None:
        _add_unique(self.ambiguities, (text,))
        self.cite(*references)

    def requires_new_procedure(self, text: str, *references: str) -> None:
        _add_unique(self.new_procedure_reasons, (text,))
        self.cite(*references)
