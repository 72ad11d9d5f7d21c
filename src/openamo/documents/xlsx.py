"""BPU / DQE workbooks (openpyxl) filled from the ``bpu_dqe.xlsx`` layout template.

The DQE recomputes itself: each line is ``=ROUND(quantity × unit price, 2)``, the unit price is
read from the BPU sheet, and the totals are ``SUM`` formulas — a bidder fills the BPU and every
amount follows, in Excel as in LibreOffice.

What a bidder may change is only the unit prices of the BPU (and the VAT rate of the DQE): both
sheets are protected, those cells alone are unlocked and accept only a decimal ≥ 0. Every text
that comes from the user is written as a *string* cell with the « quote prefix » style, so a
designation such as ``=HYPERLINK(…)`` stays text without a visible apostrophe. Each sheet prints
on A4 landscape, fitted to the page width, with its title rows repeated on every page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openamo.documents.render import TEMPLATES_DIR
from openamo.errors import OpenAMOError
from openamo.money import format_euros, to_cents

TEMPLATE = "bpu_dqe.xlsx"
HEADER_ROW = 4
FIRST_ROW = 5
PRICE_FORMAT = '#,##0.00 "€"'
QUANTITY_FORMAT = "#,##0.###"
RATE_FORMAT = "0.0%"
#: A font of Office that LibreOffice replaces by its metric twin (Liberation Sans), as the DOCX.
FONT_NAME = "Arial"
#: The colour of the cells the bidder fills (unit prices, VAT rate), the only unlocked ones.
BIDDER_FILL = "FFF2CC"
#: Texts a spreadsheet would read as a formula (OWASP « CSV injection »).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Line:
    code: str
    designation: str
    unit: str
    quantity: Decimal
    label: str = ""
    estimated_unit_price: Decimal | None = None


@dataclass(frozen=True)
class Bounds:
    """The lot's minimum and maximum (HT) of a framework agreement, when it has them."""

    minimum: Decimal | None = None
    maximum: Decimal | None = None


def estimated_total(lines: Sequence[Line]) -> Decimal | None:
    """The DQE at the buyer's estimated prices, line by line rounded as the sheet does; ``None``
    when a line has no estimated price (the total would be meaningless)."""
    if not lines or any(line.estimated_unit_price is None for line in lines):
        return None
    return sum(
        (to_cents(line.quantity * (line.estimated_unit_price or Decimal(0))) for line in lines),
        Decimal(0),
    )


def bounds_warning(lot_label: str, lines: Sequence[Line], bounds: Bounds) -> str | None:
    """A French warning when the DQE at the estimated prices falls outside the lot's bounds."""
    total = estimated_total(lines)
    if total is None:
        return None
    if bounds.minimum is not None and total < bounds.minimum:
        return (
            f"{lot_label} : le DQE aux prix estimés par l'acheteur ({format_euros(total)} HT) est "
            f"inférieur au minimum du lot ({format_euros(bounds.minimum)} HT) ; revoyez les "
            "quantités du DQE ou le minimum, sinon l'offre comparée ne reflète pas le marché."
        )
    if bounds.maximum is not None and total > bounds.maximum:
        return (
            f"{lot_label} : le DQE aux prix estimés par l'acheteur ({format_euros(total)} HT) "
            f"dépasse le maximum du lot ({format_euros(bounds.maximum)} HT) ; revoyez les "
            "quantités du DQE ou le maximum."
        )
    return None


def write_bpu_dqe(
    path: Path,
    title: str,
    subtitle: str,
    lines: Sequence[Line],
    unit_prices: Mapping[int, Decimal] | None = None,
    *,
    protect: bool = True,
) -> Path:
    """Write the BPU and DQE of one lot; ``unit_prices`` (by line index) prefill the BPU. The
    sheets go to the bidders: nothing of the buyer's estimate nor any warning is written
    (:func:`bounds_warning` is for the generation result)."""
    from openpyxl import load_workbook

    workbook = load_workbook(str(TEMPLATES_DIR / TEMPLATE))
    bpu, dqe = workbook["BPU"], workbook["DQE"]
    for sheet, prefix in (
        (bpu, "Bordereau des prix unitaires"),
        (dqe, "Détail quantitatif estimatif"),
    ):
        set_text(sheet["A1"], f"{prefix} — {title}")
        set_text(sheet["A2"], subtitle)
        _banner(sheet, 2, 30)
    prices = unit_prices or {}
    for index, line in enumerate(lines):
        _bpu_row(bpu, FIRST_ROW + index, line, prices.get(index))
        _dqe_row(dqe, FIRST_ROW + index, line)
    last = FIRST_ROW + max(len(lines), 1) - 1
    _price_validation(bpu, f"D{FIRST_ROW}:D{last}")
    rate = _totals(dqe, last)
    _rate_validation(dqe, rate)
    for sheet in (bpu, dqe):
        _print_setup(sheet, last if sheet is bpu else last + 5)
        _fonts_and_bidder_cells(sheet)
        if protect:
            _protect(sheet)
    if protect:
        # Neither sheet can be renamed, moved or deleted: the DQE reads its prices from « BPU ».
        from openpyxl.workbook.protection import WorkbookProtection

        workbook.security = WorkbookProtection(lockStructure=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        workbook.save(str(path))
    except OSError as exc:
        raise OpenAMOError(
            f"Écriture impossible de « {path} » : {exc.strerror}.", code="io"
        ) from None
    return path


def set_text(cell: Any, value: str) -> None:
    """Write user text as text: a string cell (never a formula) with the quote-prefix style
    when it starts like a formula, so nothing visible is added to what the user typed."""
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True


def _bpu_row(sheet: Any, row: int, line: Line, price: Decimal | None) -> None:
    from openpyxl.styles import Alignment, Protection

    set_text(sheet[f"A{row}"], line.code)
    set_text(sheet[f"B{row}"], line.designation)
    sheet[f"B{row}"].alignment = Alignment(wrap_text=True, vertical="top")
    set_text(sheet[f"C{row}"], line.unit)
    sheet[f"D{row}"] = price
    sheet[f"D{row}"].number_format = PRICE_FORMAT
    sheet[f"D{row}"].protection = Protection(locked=False)
    set_text(sheet[f"E{row}"], line.label)
    sheet[f"E{row}"].alignment = Alignment(wrap_text=True, vertical="top")


def _dqe_row(sheet: Any, row: int, line: Line) -> None:
    from openpyxl.styles import Alignment

    set_text(sheet[f"A{row}"], line.code)
    set_text(sheet[f"B{row}"], line.designation)
    sheet[f"B{row}"].alignment = Alignment(wrap_text=True, vertical="top")
    set_text(sheet[f"C{row}"], line.unit)
    sheet[f"D{row}"] = line.quantity
    sheet[f"D{row}"].number_format = QUANTITY_FORMAT
    sheet[f"E{row}"] = f"=BPU!D{row}"
    sheet[f"E{row}"].number_format = PRICE_FORMAT
    sheet[f"F{row}"] = f"=ROUND(D{row}*E{row},2)"
    sheet[f"F{row}"].number_format = PRICE_FORMAT


def _totals(sheet: Any, last: int) -> str:
    from openpyxl.styles import Alignment, Font, Protection

    bold = Font(bold=True)
    total, rate, vat, ttc = last + 2, last + 3, last + 4, last + 5
    sheet[f"E{total}"] = "Total HT"
    sheet[f"F{total}"] = f"=SUM(F{FIRST_ROW}:F{last})"
    sheet[f"E{rate}"] = "Taux de TVA (à compléter)"
    sheet[f"F{rate}"].number_format = RATE_FORMAT
    sheet[f"F{rate}"].protection = Protection(locked=False)
    sheet[f"E{vat}"] = "TVA"
    sheet[f"F{vat}"] = f"=ROUND(F{total}*F{rate},2)"
    sheet[f"E{ttc}"] = "Total TTC"
    sheet[f"F{ttc}"] = f"=F{total}+F{vat}"
    for row in (total, rate, vat, ttc):  # labels end at the amount, never over it
        sheet[f"E{row}"].alignment = Alignment(horizontal="right")
    for row in (total, vat, ttc):
        sheet[f"E{row}"].font = bold
        sheet[f"F{row}"].font = bold
        sheet[f"F{row}"].number_format = PRICE_FORMAT
    return f"F{rate}"


def _price_validation(sheet: Any, cells: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    validation = DataValidation(
        type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True
    )
    validation.errorTitle = "Prix unitaire"
    validation.error = "Saisissez un prix unitaire hors taxes, nombre positif ou nul (ex. 2,60)."
    validation.promptTitle = "Prix unitaire HT"
    validation.prompt = "Prix unitaire hors taxes en euros, à compléter par le candidat."
    validation.showErrorMessage = True
    validation.showInputMessage = True
    sheet.add_data_validation(validation)
    validation.add(cells)


def _rate_validation(sheet: Any, cell: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    validation = DataValidation(
        type="decimal", operator="between", formula1="0", formula2="1", allow_blank=True
    )
    validation.errorTitle = "Taux de TVA"
    validation.error = "Saisissez le taux de TVA en pourcentage (ex. 5,5 %)."
    validation.showErrorMessage = True
    sheet.add_data_validation(validation)
    validation.add(cell)


def _banner(sheet: Any, row: int, height: int) -> None:
    """A text row across the printed width, wrapped instead of cut at the print area."""
    from openpyxl.styles import Alignment

    last_column = "E" if sheet.title == "BPU" else "F"
    sheet[f"A{row}"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(f"A{row}:{last_column}{row}")
    sheet.row_dimensions[row].height = height


def _print_setup(sheet: Any, last: int) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"1:{HEADER_ROW}"
    last_column = "E" if sheet.title == "BPU" else "F"
    sheet.print_area = f"A1:{last_column}{last}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.oddFooter.center.text = "Page &P / &N"
    sheet.oddHeader.left.text = (
        "Bordereau des prix unitaires" if sheet.title == "BPU" else "Détail quantitatif estimatif"
    )
    for part in (sheet.oddFooter.center, sheet.oddHeader.left):
        part.font, part.size = FONT_NAME, 9


def _fonts_and_bidder_cells(sheet: Any) -> None:
    """Every written cell in :data:`FONT_NAME` (openpyxl's default Calibri, or no font name at
    all, prints in a serif fallback in LibreOffice); the cells the bidder fills shaded and
    framed, so that they are seen before the protection refuses a click elsewhere."""
    from copy import copy

    from openpyxl.styles import Border, PatternFill, Side
    from openpyxl.styles.cell_style import StyleArray

    thin = Side(style="thin", color="808080")
    workbook = sheet.parent
    fill = workbook._fills.add(PatternFill("solid", fgColor=BIDDER_FILL))
    border = workbook._borders.add(Border(left=thin, right=thin, top=thin, bottom=thin))
    # Each font of the workbook renamed once, then its index set on the cells: assigning a
    # copied Font to each of the ~20 000 cells of a 200-line DQE (what ``cell.font = …`` does,
    # hashing and interning it each time) cost 0.4 s a sheet, ten times the rest of the sheet.
    renamed: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.has_style or cell.value is not None:
                if not cell._style:  # as openpyxl's own style descriptors do
                    cell._style = StyleArray()
                style = cell._style
                if style.fontId not in renamed:
                    font = copy(workbook._fonts[style.fontId])
                    font.name = FONT_NAME
                    renamed[style.fontId] = workbook._fonts.add(font)
                style.fontId = renamed[style.fontId]
            if cell.protection.locked is False:  # (reading it gave the cell its StyleArray)
                cell._style.fillId, cell._style.borderId = fill, border


def _protect(sheet: Any) -> None:
    """Only unlocked cells (unit prices, VAT rate) can be changed; no password: the protection
    prevents mistakes, the signed offer and the buyer's own copy are the reference."""
    protection = sheet.protection
    protection.sheet = True
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False
    protection.formatColumns = False
    protection.formatRows = False
    protection.enable()


def total_cell(line_count: int) -> str:
    """Address of the DQE's total HT (for tests and readers)."""
    return f"F{FIRST_ROW + max(line_count, 1) - 1 + 2}"
