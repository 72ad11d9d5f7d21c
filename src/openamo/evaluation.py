"""The buyer's evaluation of its contractor during execution: marks from 1 to 5 on the
contract's aspects (quality, deadlines, relations…), kept in the file for the final report
and for the next consultation's needs analysis."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

MARK_QUANTUM = Decimal("0.01")


def average_mark(marks: Iterable[int]) -> Decimal:
    """The plain average of the marks, half up to the hundredth; 0 without any mark."""
    values = [Decimal(mark) for mark in marks]
    if not values:
        return Decimal(0)
    return (sum(values, Decimal(0)) / len(values)).quantize(MARK_QUANTUM, ROUND_HALF_UP)


def overall_mark(averages: Iterable[Decimal]) -> Decimal:
    """A holder's mark over several evaluations: the plain mean of their averages, half up to
    the hundredth like each average; 0 without any evaluation."""
    values = list(averages)
    if not values:
        return Decimal(0)
    return (sum(values, Decimal(0)) / len(values)).quantize(MARK_QUANTUM, ROUND_HALF_UP)
