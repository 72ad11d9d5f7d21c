"""The one accumulator of a verdict's justification, shared by every domain: the references it
cites (each once, in the order first cited), its explanation lines, its warnings and the points
where the law is ambiguous. Domains that record more (award checks, amendment reasons) extend it.
"""

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
            if reference and reference not in self.references:
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

    def merge(self, other: Findings) -> None:
        """Adds what another accumulator found (its explanation lines stay its own)."""
        self.cite(*other.references)
        for warning in other.warnings:
            self.warn(warning)
        for ambiguity in other.ambiguities:
            self.flag_ambiguity(ambiguity)
