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
        """Cite each reference once; a bare article (« CCP R2191-11 ») adds nothing to the same
        article already cited with its text or its decree, and gives way to it when it comes
        later."""
        for reference in references:
            if not reference or reference in self.references:
                continue
            if any(_details(reference, cited) for cited in self.references):
                continue
            bare = [cited for cited in self.references if _details(cited, reference)]
            if bare:
                self.references[self.references.index(bare[0])] = reference
                self.references[:] = [r for r in self.references if r not in bare[1:]]
                continue
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


def _details(bare: str, detailed: str) -> bool:
    """Whether ``detailed`` is ``bare`` with something after it (« CCP R2191-11 (décret …) »
    for « CCP R2191-11 »), not another article (« CCP R2191-110 »)."""
    return detailed.startswith(bare + " ") or detailed.startswith(bare + ",")
