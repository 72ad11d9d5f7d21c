"""BPU / DQE workbooks (openpyxl) filled from the ``bpu_dqe.xlsx`` layout template.

The DQE recomputes itself: each line is ``=ROUND(quantity × unit price, 2)``, the unit price is
read from the BPU sheet, and the totals are ``SUM`` formulas — a bidder fills the BPU and every
amount follows, in Excel as in LibreOffice. Every text that comes from the user goes through
:func:`guard_formula`, so a designation such as ``=HYPERLINK(…)`` stays text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openamo.documents.render import TEMPLATES_DIR, guard_formula
from openamo.errors import OpenAMOError

TEMPLATE = "bpu_dqe.xlsx"
FIRST_ROW = 5
PRICE_FORMAT = '#,##0.00 "€"'
QUANTITY_FORMAT = "#,##0.###"


@dataclass(frozen=True)
class Line:
    code: str
    designation: str
    unit: str
    quantity: Decimal
    label: str = ""


def write_bpu_dqe(
    path: Path,
    title: str,
    subtitle: str,
    lines: Sequence[Line],
    unit_prices: Mapping[int, Decimal] | None = None,
) -> Path:
    """Write the BPU and DQE of one lot; ``unit_prices`` (by line index) prefill the BPU."""
    from openpyxl import load_workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = load_workbook(str(TEMPLATES_DIR / TEMPLATE))
    bpu, dqe = workbook["BPU"], workbook["DQE"]
    for sheet, prefix in (
        (bpu, "Bordereau des prix unitaires"),
        (dqe, "Détail quantitatif estimatif"),
    ):
        sheet["A1"] = guard_formula(f"{prefix} — {title}")
        sheet["A2"] = guard_formula(subtitle)
    prices = unit_prices or {}
    for index, line in enumerate(lines):
        _bpu_row(bpu, FIRST_ROW + index, line, prices.get(index))
        _dqe_row(dqe, FIRST_ROW + index, line)
    last = FIRST_ROW + max(len(lines), 1) - 1
    validation = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
    validation.error = "Prix unitaire HT positif attendu"
    bpu.add_data_validation(validation)
    validation.add(f"D{FIRST_ROW}:D{last}")
    _totals(dqe, last)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        workbook.save(str(path))
    except OSError as exc:
        raise OpenAMOError(
            f"Écriture impossible de « {path} » : {exc.strerror}.", code="io"
        ) from None
    return path


def _text(sheet: Any, cell: str, value: str) -> None:
    sheet[cell] = guard_formula(value)


def _bpu_row(sheet: Any, row: int, line: Line, price: Decimal | None) -> None:
    _text(sheet, f"A{row}", line.code)
    _text(sheet, f"B{row}", line.designation)
    _text(sheet, f"C{row}", line.unit)
    sheet[f"D{row}"] = price
    sheet[f"D{row}"].number_format = PRICE_FORMAT
    _text(sheet, f"E{row}", line.label)


def _dqe_row(sheet: Any, row: int, line: Line) -> None:
    _text(sheet, f"A{row}", line.code)
    _text(sheet, f"B{row}", line.designation)
    _text(sheet, f"C{row}", line.unit)
    sheet[f"D{row}"] = line.quantity
    sheet[f"D{row}"].number_format = QUANTITY_FORMAT
    sheet[f"E{row}"] = f"=BPU!D{row}"
    sheet[f"E{row}"].number_format = PRICE_FORMAT
    sheet[f"F{row}"] = f"=ROUND(D{row}*E{row},2)"
    sheet[f"F{row}"].number_format = PRICE_FORMAT


def _totals(sheet: Any, last: int) -> None:
    from openpyxl.styles import Font

    bold = Font(bold=True)
    total, rate, vat, ttc = last + 2, last + 3, last + 4, last + 5
    sheet[f"E{total}"] = "Total HT"
    sheet[f"F{total}"] = f"=SUM(F{FIRST_ROW}:F{last})"
    sheet[f"E{rate}"] = "Taux de TVA (fraction, à compléter)"
    sheet[f"E{vat}"] = "TVA"
    sheet[f"F{vat}"] = f"=ROUND(F{total}*F{rate},2)"
    sheet[f"E{ttc}"] = "Total TTC"
    sheet[f"F{ttc}"] = f"=F{total}+F{vat}"
    for row in (total, vat, ttc):
        sheet[f"E{row}"].font = bold
        sheet[f"F{row}"].font = bold
        sheet[f"F{row}"].number_format = PRICE_FORMAT


def total_cell(line_count: int) -> str:
    """Address of the DQE's total HT (for tests and readers)."""
    return f"F{FIRST_ROW + max(line_count, 1) - 1 + 2}"
