"""Accumulator for the verdict's justification: references, explanation lines, warnings."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Findings:
    _references: dict[str, None] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ambiguities: list[str] = field(default_factory=list)

    @property
    def references(self) -> list[str]:
        """Cited references, each once, in the order they were first cited."""
        return list(self._references)

    def cite(self, *references: str) -> None:
        for reference in references:
            self._references[reference] = None

    def explain(self, line: str, *references: str) -> None:
        self.lines.append(line)
        self.cite(*references)

    def warn(self, message: str, *references: str) -> None:
        self.warnings.append(message)
        self.cite(*references)

    def flag_ambiguity(self, message: str, *references: str) -> None:
        self.ambiguities.append(message)
        self.cite(*references)
