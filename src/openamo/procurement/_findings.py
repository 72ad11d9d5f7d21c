"""Accumulator for the verdict's justification: references, explanation lines, warnings."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Findings:
    references: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ambiguities: list[str] = field(default_factory=list)

    def cite(self, *references: str) -> None:
        for reference in references:
            if reference not in self.references:
                self.references.append(reference)

    def explain(self, line: str, *references: str) -> None:
        self.lines.append(line)
        self.cite(*references)

    def warn(self, message: str, *references: str) -> None:
        self.warnings.append(message)
        self.cite(*references)

    def flag_ambiguity(self, message: str, *references: str) -> None:
        self.ambiguities.append(message)
        self.cite(*references)
