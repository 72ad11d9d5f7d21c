"""How every benchmark reports: absolute figures for people, targets as ratios, one verdict.

A target compares two figures measured in the same run (the thing and its baseline), so a busy
machine slows both and the ratio still means something; absolute times are printed, never
enforced. Every benchmark ends with ``sys.exit(report.finish())``: 0 when all its targets are
met, 1 otherwise, after printing each missed target the same way. ``make bench`` runs every
benchmark whatever the previous one gave and fails at the end if any missed a target.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Target:
    label: str
    ratio: float
    limit: float
    at_least: bool

    @property
    def met(self) -> bool:
        return self.ratio >= self.limit if self.at_least else self.ratio <= self.limit

    def line(self) -> str:
        sign = "≥" if self.at_least else "≤"
        verdict = "atteint" if self.met else "MANQUÉ"
        return f"  objectif {verdict} : {self.label} = {self.ratio:.2f} ({sign} {self.limit:g})"


@dataclass
class Report:
    name: str
    targets: list[Target] = field(default_factory=list)

    def figure(self, text: str) -> None:
        """An absolute measure, for people: reported, not enforced."""
        print(f"  {text}")

    def at_least(self, label: str, ratio: float, limit: float) -> None:
        self._add(Target(label, ratio, limit, at_least=True))

    def at_most(self, label: str, ratio: float, limit: float) -> None:
        self._add(Target(label, ratio, limit, at_least=False))

    def _add(self, target: Target) -> None:
        self.targets.append(target)
        print(target.line())

    def finish(self) -> int:
        missed = [t for t in self.targets if not t.met]
        print(
            f"{self.name} : {len(self.targets) - len(missed)}/{len(self.targets)} objectifs atteints"
        )
        for target in missed:
            print(f"OBJECTIF MANQUÉ ({self.name}) :{target.line().split(':', 1)[1]}")
        return 1 if missed else 0


def thousands(value: float) -> str:
    """``41182.4`` → ``41 182``: French digit grouping (narrow no-break space)."""
    return f"{value:,.0f}".replace(",", "\u202f")


def interleaved_rates(
    functions: dict[str, Callable[[], Any]], rounds: int = 15, slice_seconds: float = 0.1
) -> dict[str, float]:
    """Calls per second of each function, measured in alternating short slices.

    Measuring one function for 2 s and then the other lets a burst of load on the machine fall
    on only one of them; alternating slices spreads it over both, and the median per function
    drops the slices that a burst hit.
    """
    for function in functions.values():
        function()  # warm caches (law tree, imports)
    samples: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(rounds):
        for name, function in functions.items():
            count, start = 0, time.perf_counter()
            while (elapsed := time.perf_counter() - start) < slice_seconds:
                for _ in range(20):
                    function()
                count += 20
            samples[name].append(count / elapsed)
    return {name: statistics.median(values) for name, values in samples.items()}


def best_of(runs: int, function: Callable[[], Any]) -> float:
    """Best wall time of ``runs`` calls, in seconds (the least disturbed one)."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return min(timings)
