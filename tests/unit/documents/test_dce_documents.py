"""The DCE read back: every document carries the consultation's data, the BPU/DQE computes."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from openamo.documents.dce import generate_dce_from_dict
from openamo.documents.render import TEMPLATES_DIR
from openamo.documents.templates import dce_templates_build
from openamo.errors import OpenAMOError

EXAMPLE = json.loads(
    (Path(__file__).resolve().parents[3] / "examples" / "dce_generate.json").read_text("utf-8")
)


def docx_text(path: Path) -> str:
    document = Document(str(path))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def dce(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dce")
    generate_dce_from_dict(copy.deepcopy(EXAMPLE), out)
    return out


def test_the_dce_has_one_acte_and_one_bpu_dqe_per_lot(dce: Path) -> None:
    names = sorted(path.name for path in dce.iterdir())
    assert names == [
        "AE_lot_1.docx",
        "AE_lot_2.docx",
        "AE_lot_3.docx",
        "BPU_DQE_lot_1.xlsx",
        "BPU_DQE_lot_2.xlsx",
        "BPU_DQE_lot_3.xlsx",
        "CCAP.docx",
        "CCTP.docx",
        "RC.docx",
    ]


def test_the_rc_states_procedure_criteria_weights_and_deadline(dce: Path) -> None:
    text = docx_text(dce / "RC.docx")
    assert "Appel d'offres ouvert" in text
    assert "11/01/2027 à 12 h 00" in text
    assert "Prix\n50,00 %" in text
    assert "Qualité gustative, fraîcheur et calibres\n15,00 %" in text
    assert "Note = Note maximale × Pmin / P" in text
    assert "R2152-3" in text and "R2144-2" in text
    assert "Qualité des produits" in text and "Performance environnementale" in text
    assert "{{" not in text and "{%" not in text


def test_the_ccap_carries_the_revision_formula_penalties_and_egalim(dce: Path) -> None:
    text = docx_text(dce / "CCAP.docx")
    assert "P = P0 × (0,7 × I1/I1₀ + 0,3 × I2/I2₀)" in text
    assert "janvier 2027" in text
    assert "Retard de livraison de plus d'une heure" in text and "50,00\u00a0€ HT" in text
    assert "au moins 50 % de produits durables et de qualité" in text
    assert "dont au moins 20 % issus de l'agriculture biologique" in text
    assert "Lot 2 : au moins 60 % de produits durables et de qualité parmi les viandes" in text
    assert "ma cantine" in text
    assert "Livraisons regroupées" in text


def test_the_cctp_lists_the_items_and_the_school_catering_requirements(dce: Path) -> None:
    text = docx_text(dce / "CCTP.docx")
    assert "Pommes bio (AB), catégorie I" in text and "3500" in text
    assert "menu végétarien par semaine" in text
    assert "Respect de la chaîne du froid" in text


def test_each_acte_engagement_names_its_lot(dce: Path) -> None:
    text = docx_text(dce / "AE_lot_2.docx")
    assert "Lot n° 2 — Viandes et volailles" in text
    assert "maximum 110\u202f000,00\u00a0€ HT" in text


def test_the_dqe_recomputes_from_the_bpu_with_real_formulas(dce: Path) -> None:
    workbook = load_workbook(dce / "BPU_DQE_lot_1.xlsx")
    bpu, dqe = workbook["BPU"], workbook["DQE"]
    assert bpu["B5"].value == "Pommes bio (AB), catégorie I"
    assert bpu["D5"].value is None  # the bidder writes the unit price
    assert dqe["D5"].value == 3500
    assert dqe["E5"].value == "=BPU!D5"
    assert dqe["F5"].value == "=ROUND(D5*E5,2)"
    assert dqe["F10"].value == "=SUM(F5:F8)"
    assert dqe["F13"].value == "=F10+F12"


def test_a_refused_consultation_writes_nothing(tmp_path: Path) -> None:
    data = copy.deepcopy(EXAMPLE)
    data["price"] = {"form": "ferme"}
    with pytest.raises(OpenAMOError):
        generate_dce_from_dict(data, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_user_text_cannot_inject_spreadsheet_formulas(tmp_path: Path) -> None:
    data = copy.deepcopy(EXAMPLE)
    data["lots"] = [data["lots"][0]]
    data["lots"][0]["name"] = "=cmd|' /C calc'!A0"
    data["lots"][0]["items"] = [
        {
            "code": "@SUM(1+1)",
            "designation": '=HYPERLINK("http://x","clic")',
            "unit": "+kg",
            "quantity": "1",
        },
        {"designation": "-2+3", "unit": "\tkg", "quantity": "2"},
    ]
    generate_dce_from_dict(data, tmp_path)
    workbook = load_workbook(tmp_path / "BPU_DQE_lot_1.xlsx")
    ours = {"E5", "F5", "E6", "F6", "F8", "F10", "F11"}
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert sheet.title == "DQE" and cell.coordinate in ours, cell.coordinate
    bpu = workbook["BPU"]
    assert bpu["A1"].value.startswith("Bordereau")
    assert bpu["B5"].value == '\'=HYPERLINK("http://x","clic")'
    assert bpu["A5"].value == "'@SUM(1+1)"
    assert bpu["C5"].value == "'+kg"
    assert bpu["B6"].value == "'-2+3"


def test_the_committed_templates_match_their_build_script(tmp_path: Path) -> None:
    dce_templates_build.build(tmp_path)
    for name in dce_templates_build.DOCUMENTS:
        assert docx_text(tmp_path / name) == docx_text(TEMPLATES_DIR / name), name
    rebuilt = load_workbook(tmp_path / "bpu_dqe.xlsx")
    committed = load_workbook(TEMPLATES_DIR / "bpu_dqe.xlsx")
    for title in ("BPU", "DQE"):
        assert [c.value for c in rebuilt[title][4]] == [c.value for c in committed[title][4]]


def test_an_output_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "fichier"
    target.write_text("x")
    with pytest.raises(OpenAMOError, match="n'est pas un dossier"):
        generate_dce_from_dict(copy.deepcopy(EXAMPLE), target)


def test_the_whole_dce_downloads_as_one_zip() -> None:
    import io
    import zipfile

    from openamo.documents.dce import dce_archive_from_dict

    content, summary = dce_archive_from_dict(copy.deepcopy(EXAMPLE))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(summary.files)
        assert "RC.docx" in names and "BPU_DQE_lot_3.xlsx" in names
        assert archive.testzip() is None
