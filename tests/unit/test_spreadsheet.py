"""The one guard against spreadsheet formula injection, shared by every export (web and CLI)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openamo.documents import guard_formula as documents_guard
from openamo.spreadsheet import FORMULA_PREFIXES, guard_formula


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("http://x")', "+33 A1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "-cmd|' /C calc'!A0"],
)
def test_a_formula_stays_text(cell: str) -> None:
    assert guard_formula(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-12.50", "-12,50", "-1 250,00", "+3", "-1e3", "12.50", ""])
def test_numbers_even_negative_stay_numbers(cell: str) -> None:
    assert guard_formula(cell) == cell


def test_other_values_are_unchanged_and_the_documents_use_the_same_guard() -> None:
    assert guard_formula(Decimal("-3")) == Decimal("-3") and guard_formula(None) is None
    assert guard_formula("Yaourts = bons") == "Yaourts = bons"
    assert documents_guard is guard_formula


@given(st.text(max_size=40))
def test_no_guarded_cell_starts_a_formula(cell: str) -> None:
    guarded = guard_formula(cell)
    if guarded.startswith(FORMULA_PREFIXES):
        assert guarded == cell and any(ch.isdigit() for ch in cell)
        assert all(ch.isdigit() or ch in "+-.,eE \u00a0\u202f" for ch in cell)
