"""The amendment's accumulator: the shared one plus the reasons of the verdict and those that
call for a new procedure."""

from __future__ import annotations

from dataclasses import dataclass, field

from openamo.findings import Findings as BaseFindings


@dataclass
class Findings(BaseFindings):
    reasons: list[str] = field(default_factory=list)
    new_procedure_reasons: list[str] = field(default_factory=list)

    def reason(self, text: str, *references: str) -> None:
        if text not in self.reasons:
            self.reasons.append(text)
        self.cite(*references)

    def requires_new_procedure(self, text: str, *references: str) -> None:
        if text not in self.new_procedure_reasons:
            self.new_procedure_reasons.append(text)
        self.cite(*references)
