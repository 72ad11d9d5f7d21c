"""Every generated document opens in LibreOffice: DOCX → PDF headless, text checked, and the
BPU/DQE formulas recompute in LibreOffice Calc once a bidder has typed its unit prices."""

from __future__ import annotations

import copy
import csv
import json
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from openpyxl import load_workbook

from openamo.documents import pagination
from openamo.documents.dce import generate_dce_from_dict
from openamo.documents.rapport import write_report_from_dict

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice absent : « make system-deps » l'installe"
)


def soffice(args: Sequence[str], workdir: Path) -> None:
    assert SOFFICE is not None
    profile = (workdir / "lo-profile").as_uri()  # own profile: no clash with another instance
    command = [SOFFICE, f"-env:UserInstallation={profile}", "--headless", *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)
    assert result.returncode == 0, result.stderr


def text_of(document: Path, pdf: Path, workdir: Path) -> str:
    """The text LibreOffice reads: from the PDF when pdftotext exists, else LibreOffice's TXT."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        result = subprocess.run(
            [pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True
        )
        return result.stdout
    txt_dir = workdir / "txt"
    soffice(
        ["--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(txt_dir), str(document)],
        workdir,
    )
    return (txt_dir / f"{document.stem}.txt").read_text("utf-8-sig")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("documents")
    # what the CLI and the web do: the RC's and the CCAP's sommaire numbered from a print
    with mock.patch.dict(os.environ, {pagination.ENVIRONMENT: "1"}):
        result = generate_dce_from_dict(
            json.loads((EXAMPLES / "dce_generate.json").read_text("utf-8")), out / "dce"
        )
    assert not any("sommaire" in warning for warning in result.warnings), result.warnings
    report = json.loads((EXAMPLES / "offres_rapport.json").read_text("utf-8"))
    write_report_from_dict(copy.deepcopy(report), out / "dce" / "Rapport_analyse.docx")
    return out


EXPECTED_TEXT = {
    "RC": [
        "Règlement de la consultation",
        "Appel d'offres ouvert",
        "11/01/2027 à 12 h 00",
        "50,00 %",
    ],
    "CCAP": [
        "Cahier des clauses administratives particulières",
        "P = P0 × (0,7 × I1/I1₀",
        "ma cantine",
    ],
    "CCTP": ["Cahier des clauses techniques particulières", "Pommes bio (AB)"],
    "AE_lot_1": ["Acte d'engagement", "Lot n° 1 — Fruits et légumes frais"],
    "AE_lot_2": ["Acte d'engagement", "Viandes et volailles"],
    "AE_lot_3": ["Acte d'engagement", "Produits laitiers"],
    "Rapport_analyse": [
        "Rapport d'analyse des offres",
        "Maraîchers Associés SCOP",
        "anormalement basse",
        "Proposition d'attribution",
    ],
}


def test_every_docx_converts_to_pdf_and_keeps_its_text(generated: Path) -> None:
    documents = sorted((generated / "dce").glob("*.docx"))
    assert {d.stem for d in documents} == set(EXPECTED_TEXT)
    pdf_dir = generated / "pdf"
    soffice(["--convert-to", "pdf", "--outdir", str(pdf_dir), *map(str, documents)], generated)
    for document in documents:
        pdf = pdf_dir / f"{document.stem}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF-"), document.name
        text = " ".join(text_of(document, pdf, generated).split())
        for fragment in EXPECTED_TEXT[document.stem]:
            assert " ".join(fragment.split()) in text, f"{fragment!r} absent de {document.name}"
        assert "{{" not in text and "{%" not in text
        assert not _blank_pages(pdf), f"page vide dans {document.name}"


def test_the_sommaire_gives_the_page_where_libreoffice_prints_each_heading(
    generated: Path,
) -> None:
    """LibreOffice prints the TOC field's cached result (it never recomputes it on opening):
    the sommaire of the RC and of the CCAP lists every numbered heading with « …… 1 », the page
    of the PDF on which that heading is printed."""
    pdf_dir = generated / "pdf_pages"
    pieces = [generated / "dce" / f"{name}.docx" for name in ("RC", "CCAP")]
    soffice(["--convert-to", "pdf", "--outdir", str(pdf_dir), *map(str, pieces)], generated)
    for piece in pieces:
        pages = text_of(piece, pdf_dir / f"{piece.stem}.pdf", generated).split("\f")
        entry = re.compile(r"^(\d+(?:\.\d+)*\. .+?)\s*\.{3,}\s*(\d+)$")
        listed = [m.groups() for line in pages[0].splitlines() if (m := entry.match(line))]
        assert len(listed) > 10, f"sommaire sans numéros de page dans {piece.name}"
        assert listed[0][0].startswith("1. ") and any(t.startswith("2. ") for t, _ in listed)
        for title, page in listed:
            printed = [
                number
                for number, text in enumerate(pages, start=1)
                if title in [" ".join(line.split()) for line in text.splitlines()]
            ]
            assert printed == [int(page)], f"{title} : page {page} dans {piece.name}"


def _blank_pages(pdf: Path) -> list[int]:
    """The pages that hold nothing but the running header and footer (an empty paragraph
    pushed onto a page of its own): a bidder would print and sign a blank page."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        return []
    result = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    pages = result.stdout.rstrip("\f").split("\f")
    # header: buyer and reference, then the document's name; footer: object and « page X / Y »
    return [
        number
        for number, page in enumerate(pages, start=1)
        if len([line for line in page.splitlines() if line.strip()]) <= 3
    ]


def _fill_bpu(path: Path, prices: Sequence[str]) -> None:
    workbook = load_workbook(path)
    for row, price in enumerate(prices, start=5):
        workbook["BPU"][f"D{row}"] = Decimal(price)
    workbook["DQE"]["F11"] = Decimal("0.055")
    workbook.save(path)


def test_the_dqe_recomputes_in_libreoffice_calc(generated: Path) -> None:
    source = generated / "dce" / "BPU_DQE_lot_1.xlsx"
    filled = generated / "filled" / "BPU_DQE_lot_1.xlsx"
    filled.parent.mkdir()
    shutil.copy(source, filled)
    _fill_bpu(filled, ["2.60", "1.15", "0.95", "0.85"])
    # Hand computation: 11000 × 2.60 + 12000 × 1.15 + 8000 × 0.95 + 14000 × 0.85
    total = Decimal("28600.00") + Decimal("13800.00") + Decimal("7600.00") + Decimal("11900.00")
    vat = (total * Decimal("0.055")).quantize(Decimal("0.01"))

    recalculated = generated / "recalculated"
    soffice(
        ["--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(recalculated), str(filled)],
        generated,
    )
    values = load_workbook(recalculated / filled.name, data_only=True)["DQE"]
    formulas = load_workbook(recalculated / filled.name)["DQE"]
    assert formulas["F5"].value.upper() == "=ROUND(D5*E5,2)"
    assert formulas["F10"].value.upper() == "=SUM(F5:F8)"
    assert Decimal(str(values["F5"].value)) == Decimal("28600")
    assert Decimal(str(values["F10"].value)) == total
    assert Decimal(str(values["F12"].value)) == vat
    assert Decimal(str(values["F13"].value)).quantize(Decimal("0.01")) == total + vat

    csv_dir = generated / "csv"
    dqe_sheet = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2"
    soffice(["--convert-to", dqe_sheet, "--outdir", str(csv_dir), str(filled)], generated)
    exported = next(csv_dir.glob("*.csv"))
    with exported.open(encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    total_row = next(row for row in rows if "Total HT" in row)
    assert Decimal(total_row[5]) == total


def _open_cells(workbook: Any) -> set[tuple[str, str]]:
    return {
        (sheet.title, cell.coordinate)
        for sheet in (workbook["BPU"], workbook["DQE"])
        for row in sheet.iter_rows(min_row=1, max_row=20, max_col=8)
        for cell in row
        if not cell.protection.locked
    }


def test_the_bpu_dqe_protection_survives_libreoffice(generated: Path) -> None:
    """LibreOffice reads the sheets as protected (its own ODS says so) and, saved back to
    XLSX, keeps the protection, the open cells (unit prices, VAT rate) and the price check."""
    source = generated / "dce" / "BPU_DQE_lot_1.xlsx"
    saved = generated / "protection"
    soffice(
        ["--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(saved), str(source)],
        generated,
    )
    soffice(["--convert-to", "ods", "--outdir", str(saved), str(source)], generated)
    workbook = load_workbook(saved / source.name)
    assert workbook["BPU"].protection.sheet and workbook["DQE"].protection.sheet
    assert _open_cells(workbook) == _open_cells(load_workbook(source))
    assert _open_cells(workbook) == {("BPU", f"D{row}") for row in range(5, 9)} | {("DQE", "F11")}
    (validation,) = workbook["BPU"].data_validations.dataValidation
    assert (validation.type, validation.operator, str(validation.sqref)) == (
        "decimal",
        "greaterThanOrEqual",
        "D5:D8",
    )
    with zipfile.ZipFile(saved / "BPU_DQE_lot_1.ods") as archive:
        content = archive.read("content.xml").decode()
    tables = re.findall(r"<table:table [^>]*>", content)
    assert len(tables) == 2 and all('table:protected="true"' in t for t in tables), tables


def test_a_designation_that_looks_like_a_formula_prints_as_typed_in_calc(tmp_path: Path) -> None:
    """The formula-injection guard (quote prefix) leaves no visible apostrophe in LibreOffice,
    and the text stays text: printed as typed, never computed nor turned into a link."""
    data = json.loads((EXAMPLES / "dce_generate.json").read_text("utf-8"))
    items = data["lots"][0]["items"]
    items[0]["designation"] = '=HYPERLINK("http://exemple.invalid";"Pommes")'
    items[1]["designation"] = "+33 carottes en botte"
    items[2]["designation"] = "-10 % sur les salades"
    generate_dce_from_dict(data, tmp_path / "dce")
    source = tmp_path / "dce" / "BPU_DQE_lot_1.xlsx"
    soffice(["--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(source)], tmp_path)
    printed = text_of(source, tmp_path / "pdf" / "BPU_DQE_lot_1.pdf", tmp_path)
    for typed in ('=HYPERLINK("http://exemple.invalid";"Pommes")', "+33 carottes", "-10 %"):
        assert typed in printed, typed
        assert f"'{typed}" not in printed, typed
