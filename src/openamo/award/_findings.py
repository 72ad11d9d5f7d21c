"""The award's accumulator: the shared one plus the checks of a consultation file."""

from __future__ import annotations

from dataclasses import dataclass, field

from openamo.award.enums import CheckLevel
from openamo.award.models import Check
from openamo.findings import Findings as BaseFindings


@dataclass
class Findings(BaseFindings):
    checks: list[Check] = field(default_factory=list)

    def check(self, level: CheckLevel, code: str, message: str, *references: str) -> None:
        self.checks.append(
            Check(level=level, code=code, message=message, references=list(references))
        )
        self.cite(*references)
