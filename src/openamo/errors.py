"""The one project error type, turned by every adapter into a French message.

CLI: exit code 2 and ``{"error": {...}}``; API: 4xx JSON; web: message next to the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ErrorDetail:
    """One precise problem in the input: where (``location``) and what (``message``, French)."""

    location: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"location": self.location, "message": self.message}


@dataclass
class OpenAMOError(Exception):
    """Invalid input or a question the law data cannot answer, explained in French."""

    message: str
    code: str = "invalid_input"
    details: list[ErrorDetail] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        if not self.details:
            return self.message
        lines = [self.message, *(f"  - {d.location} : {d.message}" for d in self.details)]
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            payload["details"] = [d.as_dict() for d in self.details]
        payload.update(self.extra)
        return payload


class LawDataError(OpenAMOError):
    """A parameter file is malformed, or no value is in force at the requested date."""

    def __init__(self, message: str, code: str = "law_data") -> None:
        super().__init__(message=message, code=code)
