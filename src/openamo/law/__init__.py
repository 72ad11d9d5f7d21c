"""The law as dated data: ``at(date)`` answers what was in force that day.

>>> at(date(2026, 11, 23)).value("procurement.thresholds.dispense_fournitures_services")
Decimal('60000')
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import cache, lru_cache

from openamo.errors import LawDataError
from openamo.law._loader import PARAMETERS_DIR, load_parameter, load_tree
from openamo.law._model import UNITS, DatedValue, Parameter, Scalar

__all__ = [
    "PARAMETERS_DIR",
    "UNITS",
    "DatedValue",
    "LawDataError",
    "LawSnapshot",
    "Parameter",
    "Scalar",
    "at",
    "load_parameter",
    "load_tree",
    "parameter",
    "parameters",
]


@cache
def parameters() -> dict[str, Parameter]:
    """The whole parameter tree, loaded once per process."""
    return load_tree(PARAMETERS_DIR)


@cache
def parameter(path: str) -> Parameter:
    """One parameter, read from its own file on first use (a bad file elsewhere cannot block it)."""
    file = PARAMETERS_DIR.joinpath(*path.split(".")).with_suffix(".yaml")
    if ".." in path or not file.is_file():
        raise LawDataError(f"Paramètre juridique inconnu : « {path} ».", code="unknown")
    return load_parameter(file, path)


class LawSnapshot:
    """The rules in force on one date. Lookups are by dotted path."""

    __slots__ = ("_cache", "day")

    def __init__(self, day: date) -> None:
        self.day = day
        self._cache: dict[str, DatedValue] = {}

    def get(self, path: str) -> DatedValue:
        found = self._cache.get(path)
        if found is None:
            found = parameter(path).at(self.day)
            self._cache[path] = found
        return found

    def value(self, path: str) -> Scalar:
        found = self.get(path).value
        assert found is not None  # Parameter.at never returns a null value
        return found

    def reference(self, path: str) -> str:
        return self.get(path).reference

    def in_force(self) -> Iterator[tuple[Parameter, DatedValue]]:
        """Every parameter that has a value on this date, in path order."""
        for _path, param in sorted(parameters().items()):
            try:
                yield param, param.at(self.day)
            except LawDataError:
                continue


@lru_cache(maxsize=512)
def at(day: date) -> LawSnapshot:
    """The law in force on ``day`` (cached: a snapshot is immutable once built)."""
    return LawSnapshot(day)
