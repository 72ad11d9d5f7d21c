"""Every DOCX the product makes, read back as a buyer's word processor reads it: A4, French,
Arial declared with its LibreOffice equivalent, running header and « page X / Y » fields,
numbered headings, cross-references and table of contents as fields, tables with fixed widths,
repeated header rows and rows that never split, provenance in the properties only."""

from __future__ import annotations

import copy
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Length

from openamo.documents.avenant import make_avenant_from_dict
from openamo.documents.dce import generate_dce_from_dict
from openamo.documents.letters import make_letters_from_dict
from openamo.documents.pilotage import write_steering_report_from_dict
from openamo.documents.rapport import write_report_from_dict

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
TOOL_TEXT = re.compile(
    r"OpenAMO|généré par|à relire|^Références( juridiques)?$", re.IGNORECASE | re.MULTILINE
)
PLACEHOLDER = re.compile(
    r"\{\{|\{%|\[\[|Prestations du lot n°|À compléter par l'acheteur|\w\((s|e)\)"
)


def style_of(paragraph: Any) -> str:
    return str(paragraph.style.name) if paragraph.style is not None else ""


def example(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text("utf-8"))


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("docx")
    generate_dce_from_dict(example("dce_generate.json"), out)
    write_report_from_dict(example("offres_rapport.json"), out / "Rapport_analyse.docx")
    make_avenant_from_dict(example("avenant_document.json"), out / "Avenant.docx")
    write_steering_report_from_dict(example("projet_rapport.json"), out / "Rapport_pilotage.docx")
    letters = make_letters_from_dict(example("attribution_lettres.json"), out / "lettres")
    return {path.stem: path for path in sorted(out.glob("*.docx"))} | {
        f"Lettre_{Path(letter.docx).stem}": Path(letter.docx) for letter in letters.letters
    }


def buyer_of(name: str) -> str:
    """The buyer of each example: the IT project is an intercommunality's."""
    if name == "Rapport_pilotage":
        return "Communauté de communes du Pays de Saint-Exemple"
    return "Commune de Saint-Exemple"


def body_text(path: Path, *, skip_missing: bool = True) -> str:
    """The body's text, paragraph by paragraph; the highlighted « À compléter » paragraphs
    (what the buyer must still write, listed in the result) are left out when asked."""
    document = Document(str(path))
    lines = []
    for paragraph in document.element.body.iter(qn("w:p")):
        style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if skip_missing and style is not None and style.get(qn("w:val")) == "Àcompléter":
            continue
        lines.append("".join(t.text or "" for t in paragraph.iter(qn("w:t"))))
    return "\n".join(lines)


def instructions(root: object) -> Iterator[str]:
    for text in root.iter(qn("w:instrText")):  # type: ignore[attr-defined]
        yield (text.text or "").strip()


def test_every_piece_is_a4_in_french_with_a_font_office_and_libreoffice_have(
    documents: dict[str, Path],
) -> None:
    assert {
        "RC",
        "CCAP",
        "CCTP",
        "AE_lot_1",
        "Rapport_analyse",
        "Avenant",
        "Rapport_pilotage",
    } <= set(documents)
    assert {name for name in documents if name.startswith("Lettre_")} == {
        "Lettre_01_completion_maraichers_associes_scop",
        "Lettre_02_offre_anormalement_basse_agrilog_express",
        "Lettre_03_rejet_primeurs_du_val_sarl",
        "Lettre_04_rejet_distri_frais_sas",
        "Lettre_05_rejet_agrilog_express",
        "Lettre_06_attribution_maraichers_associes_scop",
        "Lettre_07_rejet_fromagerie_centrale",
        "Lettre_08_attribution_laiterie_du_plateau",
    }
    for name, path in documents.items():
        document = Document(str(path))
        section = document.sections[0]
        assert (
            round(Length(section.page_width or 0).cm, 1),
            round(Length(section.page_height or 0).cm, 1),
        ) == (
            21.0,
            29.7,
        ), name
        styles = document.styles.element
        languages = {lang.get(qn("w:val")) for lang in styles.iter(qn("w:lang"))}
        assert languages == {"fr-FR"}, name
        fonts = {f.get(qn("w:ascii")) for f in styles.iter(qn("w:rFonts"))}
        assert fonts == {"Arial"}, name
        with zipfile.ZipFile(path) as archive:
            table = archive.read("word/fontTable.xml").decode()
        assert '<w:font w:name="Arial"><w:altName w:val="Liberation Sans"/>' in table, name


def test_every_page_has_the_header_and_the_page_x_of_y_footer(
    documents: dict[str, Path],
) -> None:
    for name, path in documents.items():
        document = Document(str(path))
        section = document.sections[0]
        header = "\n".join(p.text for p in section.header.paragraphs)
        assert buyer_of(name) in header, name
        footer = section.footer._element
        assert list(instructions(footer)) == ["PAGE", "NUMPAGES"], name
        assert "page" in "".join(t.text or "" for t in footer.iter(qn("w:t"))), name
    rc_header = Document(str(documents["RC"])).sections[0].header
    assert "Consultation n° 2026-RS-01" in rc_header.paragraphs[0].text
    assert "Règlement de la consultation" in rc_header.paragraphs[1].text
    ae_header = Document(str(documents["AE_lot_2"])).sections[0].header
    assert "Acte d'engagement — Lot n° 2" in ae_header.paragraphs[1].text


def test_headings_are_numbered_by_their_style_not_typed(documents: dict[str, Path]) -> None:
    for name, path in documents.items():
        document = Document(str(path))
        headings = [p for p in document.paragraphs if style_of(p).startswith("Heading")]
        for heading in headings:
            assert not re.match(r"^(\d+\.|[A-G][.–-]|Article \d)", heading.text), heading.text
        if name.startswith("Lettre_"):
            continue  # a letter has an object line, not numbered headings
        assert headings, name
        numbering = document.styles["Heading 1"].element.pPr.find(qn("w:numPr"))
        assert numbering is not None, name


def test_long_pieces_have_a_table_of_contents_and_cross_references_as_fields(
    documents: dict[str, Path],
) -> None:
    for name in ("RC", "CCAP"):
        assert any(
            i.startswith("TOC ") for i in instructions(Document(str(documents[name])).element.body)
        ), name
    ccap = Document(str(documents["CCAP"]))
    references = [i for i in instructions(ccap.element.body) if i.startswith("REF ")]
    assert references and all(i == "REF penalites \\r \\h" for i in references)
    text = body_text(documents["CCAP"])
    penalties = [p for p in ccap.paragraphs if p.text == "Pénalités"]
    assert penalties and style_of(penalties[0]) == "Heading 1"
    number = 1 + [p.text for p in ccap.paragraphs if style_of(p) == "Heading 1"].index("Pénalités")
    assert f"pénalités de l'article {number}" in text  # the cached number of the REF field


def toc_result(path: Path) -> list[str]:
    """The lines cached inside the TOC field (between its separator and its end): what
    LibreOffice prints, as it never recomputes a table of contents on opening."""
    lines: list[str] = []
    depth, inside = 0, False
    for paragraph in Document(str(path)).element.body.iter(qn("w:p")):
        if inside:
            lines.append("")
        for element in paragraph.iter(qn("w:fldChar"), qn("w:instrText"), qn("w:t")):
            if element.tag == qn("w:fldChar"):
                kind = element.get(qn("w:fldCharType"))
                depth += {"begin": 1, "end": -1}.get(kind, 0)
                if kind == "end" and inside and depth == 0:
                    return [line for line in lines if line]
            elif element.tag == qn("w:instrText"):
                if (element.text or "").strip().startswith("TOC ") and depth == 1:
                    inside = True
                    lines.append("")
            elif inside:
                lines[-1] += element.text or ""
    return [line for line in lines if line]


def numbered_headings(path: Path) -> list[str]:
    """« 1. Title », « 11.2. Title »: the headings as the numbering list shows them."""
    counters = [0, 0]
    found = []
    for paragraph in Document(str(path)).paragraphs:
        level = {"Heading 1": 0, "Heading 2": 1}.get(style_of(paragraph))
        if level is None:
            continue
        counters[level] += 1
        counters[level + 1 :] = [0] * (len(counters) - level - 1)
        number = ".".join(str(n) for n in counters[: level + 1])
        found.append(f"{number}. {paragraph.text}")
    return found


def test_the_cached_table_of_contents_lists_every_numbered_heading(
    documents: dict[str, Path],
) -> None:
    for name in ("RC", "CCAP"):
        headings = numbered_headings(documents[name])
        assert len(headings) > 5, name
        assert toc_result(documents[name]) == headings, name


def test_tables_have_fixed_widths_repeated_headers_and_rows_that_do_not_split(
    documents: dict[str, Path],
) -> None:
    for name, path in documents.items():
        document = Document(str(path))
        for table in document.tables:
            properties = table._tbl.tblPr
            assert properties.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed", name
            widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
            assert sum(widths) <= 17 * 567 + 5, name
            for row in table.rows:
                assert row._tr.get_or_add_trPr().find(qn("w:cantSplit")) is not None, name


def test_amounts_are_aligned_right(documents: dict[str, Path]) -> None:
    ranking = next(
        t
        for t in Document(str(documents["Rapport_analyse"])).tables
        if t.rows[0].cells[2].text == "Prix HT"
    )
    assert ranking.rows[0]._tr.get_or_add_trPr().find(qn("w:tblHeader")) is not None
    for row in ranking.rows[1:]:
        assert row.cells[2].paragraphs[0].alignment == 2  # right


def test_provenance_is_in_the_properties_never_in_the_body(documents: dict[str, Path]) -> None:
    for name, path in documents.items():
        text = body_text(path)
        assert not TOOL_TEXT.search(text), (name, TOOL_TEXT.search(text))
        assert not PLACEHOLDER.search(text), (name, PLACEHOLDER.search(text))
        properties = Document(str(path)).core_properties
        assert properties.title, name
        assert properties.author == buyer_of(name), name
        assert properties.language == "fr-FR", name
        assert "OpenAMO" in properties.comments and "Textes appliqués" in properties.comments
    assert Document(str(documents["RC"])).core_properties.title.startswith(
        "Règlement de la consultation — "
    )


def test_a_long_object_is_shortened_in_the_footer(tmp_path: Path) -> None:
    data = copy.deepcopy(example("dce_generate.json"))
    data["object"] = "Fourniture " + "de denrées alimentaires " * 12
    generate_dce_from_dict(data, tmp_path)
    footer = Document(str(tmp_path / "RC.docx")).sections[0].footer.paragraphs[0].text
    assert footer.split("\t")[0].endswith("…") and len(footer.split("\t")[0]) <= 95


def test_missing_information_is_highlighted_and_listed_never_invented(tmp_path: Path) -> None:
    data = copy.deepcopy(example("dce_generate.json"))
    del data["lots"][0]["description"]
    result = generate_dce_from_dict(data, tmp_path)
    assert any("Lot n° 1 : la description des prestations manque" in w for w in result.warnings)
    document = Document(str(tmp_path / "CCTP.docx"))
    flagged = [p for p in document.paragraphs if style_of(p) == "À compléter"]
    assert len(flagged) == 1 and "lot n° 1" in flagged[0].text
    assert flagged[0].style is not None and flagged[0].style.font.highlight_color == 7  # yellow
    assert "Prestations du lot" not in body_text(tmp_path / "CCTP.docx", skip_missing=False)
