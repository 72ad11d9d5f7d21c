"""The one page layout every DOCX template of OpenAMO is built on (used by the template build
scripts under ``templates/``, never at run time).

What a buyer expects from a piece he publishes or signs: A4, French proofing language, a font
that Office has (Arial) declared with the metric-compatible font LibreOffice ships (Liberation
Sans, Debian's ``fonts-liberation``), a running header (buyer, consultation reference, name of
the piece) and a footer « page X / Y » made of fields, headings numbered by a multilevel list
attached to their styles (an inserted article renumbers everything, cross-references are REF
fields to bookmarks), a table of contents field on long pieces, tables with fixed column widths,
a header row repeated on each page, rows that never split and amounts aligned right.

The header and footer carry docxtpl tags (``{{ page.buyer }}``, ``{{ page.reference }}``,
``{{ page.name }}``); :mod:`openamo.documents.finish` completes the document after rendering
(cached numbers of the fields, table of contents, document properties).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

FONT = "Arial"
FONT_FALLBACK = "Liberation Sans"
LANGUAGE = "fr-FR"
HEADING_NUMBERING_ID = 90
ACCENT = "1F3864"
HEADER_FILL = "DCE3EE"
CM = 360000  # EMU per centimetre
TWIPS_PER_CM = 567
#: Paragraph style of what the buyer must still write (highlighted, listed in the result).
MISSING_STYLE = "À compléter"
AFTER_TABLE_STYLE = "Après tableau"
"""The body paragraph that follows a table: Word puts no space after a table, the style puts
it before the paragraph."""

#: ``[[ref:name]]`` in a block's text becomes a REF field to the heading bookmarked ``name``.
#: The name may be a docxtpl tag (``[[ref:{{ row.ref }}]]``), rendered inside the field code.
REF_PATTERN = re.compile(r"\[\[ref:([a-z_]+|\{\{ [a-z_.]+ \}\})\]\]")

Align = Literal["left", "right", "center"]


@dataclass(frozen=True)
class Column:
    """One table column: its header, its width in centimetres and the alignment of its cells."""

    header: str
    width_cm: float
    align: Align = "left"


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(tag))


def _element(tag: str, **attributes: str) -> Any:
    from docx.oxml import OxmlElement

    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(_qn(f"w:{name}"), value)
    return element


DECIMAL_HEADINGS = (("decimal", "%1."), ("decimal", "%1.%2."))
LETTER_HEADINGS = (("upperLetter", "%1."), ("decimal", "%1.%2."))


def new_document(*, heading_format: Sequence[tuple[str, str]] = DECIMAL_HEADINGS) -> Any:
    """A blank A4 French document with OpenAMO's styles, numbering, header and footer.

    ``heading_format``: for Heading 1 and Heading 2, the number format (``decimal``,
    ``upperLetter``) and the text of the number (``%1.``, ``%1.%2.``)."""
    from docx import Document
    from docx.shared import Cm

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin, section.bottom_margin = Cm(2.6), Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1)
    _language_and_fonts(document)
    _styles(document)
    _heading_numbering(document, heading_format)
    _header_footer(document)
    properties = document.core_properties
    properties.author = ""
    properties.title = ""
    properties.comments = ""
    properties.language = LANGUAGE
    return document


# --- Language and fonts ---------------------------------------------------------------------


def _language_and_fonts(document: Any) -> None:
    styles = document.styles.element
    for fonts in styles.iter(_qn("w:rFonts")):
        for attribute in list(fonts.attrib):
            if attribute.endswith("Theme"):
                del fonts.attrib[attribute]
        for name in ("ascii", "hAnsi", "cs", "eastAsia"):
            fonts.set(_qn(f"w:{name}"), FONT)
    defaults = styles.find(_qn("w:docDefaults"))
    run_defaults = defaults.find(_qn("w:rPrDefault")).find(_qn("w:rPr"))
    if run_defaults.find(_qn("w:rFonts")) is None:
        run_defaults.insert(0, _element("w:rFonts", ascii=FONT, hAnsi=FONT, cs=FONT))
    for language in styles.iter(_qn("w:lang")):
        language.getparent().remove(language)
    run_defaults.append(_element("w:lang", val=LANGUAGE, eastAsia=LANGUAGE, bidi="ar-SA"))
    settings = document.settings.element
    for theme_language in settings.iter(_qn("w:themeFontLang")):
        theme_language.set(_qn("w:val"), LANGUAGE)
    _declare_font(document)


def _declare_font(document: Any) -> None:
    """Declare Arial in the font table with its family, panose and LibreOffice's equivalent."""
    from lxml import etree

    part = next(
        p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"
    )
    table = etree.fromstring(part.blob)
    for font in table.findall(_qn("w:font")):
        if font.get(_qn("w:name")) == FONT:
            table.remove(font)
    font = _element("w:font", name=FONT)
    font.append(_element("w:altName", val=FONT_FALLBACK))
    font.append(_element("w:panose1", val="020B0604020202020204"))
    font.append(_element("w:charset", val="00"))
    font.append(_element("w:family", val="swiss"))
    font.append(_element("w:pitch", val="variable"))
    table.insert(0, font)
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- Styles ---------------------------------------------------------------------------------


def _styles(document: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Cm, Pt, RGBColor

    styles = document.styles
    accent = RGBColor.from_string(ACCENT)
    normal = styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(10)
    normal.paragraph_format.space_after = Pt(5)
    normal.paragraph_format.line_spacing = 1.1
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.paragraph_format.widow_control = True

    title = styles["Title"]
    title.font.name, title.font.size, title.font.bold = FONT, Pt(20), True
    title.font.color.rgb = accent
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before, title.paragraph_format.space_after = Pt(24), Pt(6)
    _remove_borders(title)

    subtitle = styles["Subtitle"]
    subtitle.font.name, subtitle.font.size, subtitle.font.italic = FONT, Pt(12), False
    subtitle.font.color.rgb = accent
    subtitle.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle.paragraph_format.space_after = Pt(4)

    for level, size, before in ((1, 13, 16), (2, 11, 10), (3, 10, 8)):
        heading = styles[f"Heading {level}"]
        heading.font.name, heading.font.size, heading.font.bold = FONT, Pt(size), True
        heading.font.italic = level == 3
        heading.font.color.rgb = accent
        heading.paragraph_format.space_before = Pt(before)
        heading.paragraph_format.space_after = Pt(4)
        heading.paragraph_format.keep_with_next = True
        heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT

    bullet = styles["List Bullet"]
    bullet.paragraph_format.space_after = Pt(2)

    for name, size, bold in (("Texte de tableau", 9, False), ("En-tête de tableau", 9, True)):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.size, style.font.bold = Pt(size), bold
        style.paragraph_format.space_before = Pt(1)
        style.paragraph_format.space_after = Pt(1)
        style.paragraph_format.line_spacing = 1.0
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT

    after_table = styles.add_style(AFTER_TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    after_table.base_style = normal
    after_table.paragraph_format.space_before = Pt(8)

    missing = styles.add_style(MISSING_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    missing.base_style = normal
    missing.font.bold = True
    missing.font.highlight_color = WD_COLOR_INDEX.YELLOW

    note = styles.add_style("Mention", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.size, note.font.italic = Pt(8.5), True

    for level in (1, 2):
        toc = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        toc.base_style = normal
        toc.font.bold = level == 1
        toc.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        toc.paragraph_format.space_after = Pt(2)
        toc.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        toc.paragraph_format.tab_stops.add_tab_stop(
            Cm(17), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )

    for name in ("Header", "Footer"):
        style = styles[name] if name in styles else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.size = Pt(8)
        style.font.color.rgb = RGBColor.from_string("404040")
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        properties = style.element.get_or_add_pPr()
        for tabs in properties.findall(_qn("w:tabs")):
            properties.remove(tabs)  # the Letter-sized tabs of python-docx's template
        style.paragraph_format.tab_stops.add_tab_stop(Cm(17), WD_TAB_ALIGNMENT.RIGHT)


def _remove_borders(style: Any) -> None:
    properties = style.element.find(_qn("w:pPr"))
    if properties is not None:
        for border in properties.findall(_qn("w:pBdr")):
            properties.remove(border)


def _heading_numbering(document: Any, formats: Sequence[tuple[str, str]]) -> None:
    """A multilevel list bound to Heading 1 and Heading 2: numbers are computed, not typed."""
    numbering = document.part.numbering_part.element
    abstract = _element("w:abstractNum", abstractNumId=str(HEADING_NUMBERING_ID))
    abstract.append(_element("w:multiLevelType", val="multilevel"))
    for level, (number_format, text) in enumerate(formats):
        lvl = _element("w:lvl", ilvl=str(level))
        lvl.append(_element("w:start", val="1"))
        lvl.append(_element("w:numFmt", val=number_format))
        lvl.append(_element("w:pStyle", val=f"Heading{level + 1}"))
        lvl.append(_element("w:suff", val="space"))
        lvl.append(_element("w:lvlText", val=text))
        lvl.append(_element("w:lvlJc", val="left"))
        paragraph = _element("w:pPr")
        paragraph.append(_element("w:ind", left="0", hanging="0"))
        lvl.append(paragraph)
        abstract.append(lvl)
    first_num = numbering.find(_qn("w:num"))
    if first_num is None:
        numbering.append(abstract)
    else:
        first_num.addprevious(abstract)
    num = _element("w:num", numId=str(HEADING_NUMBERING_ID))
    num.append(_element("w:abstractNumId", val=str(HEADING_NUMBERING_ID)))
    numbering.append(num)
    for level in range(len(formats)):
        style = document.styles[f"Heading {level + 1}"].element
        properties = style.get_or_add_pPr()
        number = _element("w:numPr")
        number.append(_element("w:ilvl", val=str(level)))
        number.append(_element("w:numId", val=str(HEADING_NUMBERING_ID)))
        properties.insert(0, number)


# --- Header and footer ----------------------------------------------------------------------


def _header_footer(document: Any) -> None:
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.style = document.styles["Header"]
    header.add_run("{{ page.buyer }}").bold = True
    header.add_run("\t{{ page.reference }}")
    second = section.header.add_paragraph(style=document.styles["Header"])
    second.add_run("{{ page.name }}{% if page.lot %} — {{ page.lot }}{% endif %}").bold = True
    _bottom_border(second)

    footer = section.footer.paragraphs[0]
    footer.style = document.styles["Footer"]
    _top_border(footer)
    footer.add_run("{{ page.object }}")
    footer.add_run("\tpage ")
    add_field(footer, "PAGE", "1")
    footer.add_run(" / ")
    add_field(footer, "NUMPAGES", "1")


def _border(paragraph: Any, side: str) -> None:
    properties = paragraph._p.get_or_add_pPr()
    borders = _element("w:pBdr")
    borders.append(_element(f"w:{side}", val="single", sz="4", space="4", color="808080"))
    properties.append(borders)


def _bottom_border(paragraph: Any) -> None:
    _border(paragraph, "bottom")


def _top_border(paragraph: Any) -> None:
    _border(paragraph, "top")


# --- Fields, bookmarks, table of contents ---------------------------------------------------


def field_runs(instruction: str, cached: str) -> list[Any]:
    """The runs of one complex field (begin, instruction, separate, cached result, end)."""
    runs = []
    for kind in ("begin", "instr", "separate", "result", "end"):
        run = _element("w:r")
        if kind == "instr":
            text = _element("w:instrText")
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            text.text = f" {instruction} "
            run.append(text)
        elif kind == "result":
            text = _element("w:t")
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            text.text = cached
            run.append(text)
        else:
            char = _element("w:fldChar", fldCharType=kind)
            run.append(char)
        runs.append(run)
    return runs


def add_field(paragraph: Any, instruction: str, cached: str) -> None:
    for run in field_runs(instruction, cached):
        paragraph._p.append(run)


def add_text(paragraph: Any, text: str) -> None:
    """Text with ``[[ref:name]]`` markers turned into REF fields (the heading's number)."""
    position = 0
    for match in REF_PATTERN.finditer(text):
        if match.start() > position:
            paragraph.add_run(text[position : match.start()])
        add_field(paragraph, f"REF {match.group(1)} \\r \\h", "?")
        position = match.end()
    if position < len(text):
        paragraph.add_run(text[position:])


_bookmark_ids = iter(range(1, 1_000_000))


def add_heading(document: Any, text: str, level: int, bookmark: str | None = None) -> Any:
    paragraph = document.add_paragraph(style=document.styles[f"Heading {level}"])
    if bookmark is None:
        paragraph.add_run(text)
        return paragraph
    identifier = str(next(_bookmark_ids))
    paragraph._p.append(_element("w:bookmarkStart", id=identifier, name=bookmark))
    paragraph.add_run(text)
    paragraph._p.append(_element("w:bookmarkEnd", id=identifier))
    return paragraph


def add_toc(document: Any, title: str = "Sommaire") -> None:
    """A TOC field over the numbered headings; its entries are written by ``finish``."""
    heading = document.add_paragraph(title, style=document.styles["Subtitle"])
    heading.paragraph_format.alignment = 0  # left
    paragraph = document.add_paragraph(style=document.styles["toc 1"])
    runs = field_runs('TOC \\o "1-2" \\h \\z \\u', "")
    # the cached result is a paragraph of its own, replaced by the real entries after rendering
    begin, instruction, separate, _result, end = runs
    for run in (begin, instruction, separate):
        paragraph._p.append(run)
    paragraph._p.append(_element("w:r"))
    paragraph._p[-1].append(_element("w:t"))
    paragraph._p[-1][-1].text = "[[toc]]"
    paragraph._p.append(end)


def page_break(document: Any) -> None:
    from docx.enum.text import WD_BREAK

    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


# --- Tables ---------------------------------------------------------------------------------


def add_table(
    document: Any,
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    *,
    loop: str | None = None,
    header: bool = True,
) -> Any:
    """A table with fixed widths; with ``loop`` (``x in items``) the single row of ``rows``
    repeats for each item (docxtpl ``{%tr %}``). The header row repeats on each page and no row
    splits across two pages."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    body = list(rows)
    if loop is not None:
        body = [[f"{{%tr for {loop} %}}"], *body, ["{%tr endfor %}"]]
    count = len(body) + (1 if header else 0)
    table = document.add_table(rows=count, cols=len(columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _fixed_layout(table, columns)
    alignments = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
    }
    offset = 0
    if header:
        _fill_row(table.rows[0], [c.header for c in columns], document, "En-tête de tableau")
        _repeat_header(table.rows[0])
        for cell, column in zip(table.rows[0].cells, columns, strict=True):
            _shade(cell, HEADER_FILL)
            cell.paragraphs[0].alignment = alignments[column.align]  # over its figures
        offset = 1
    for index, texts in enumerate(body):
        row = table.rows[index + offset]
        _fill_row(row, list(texts) + [""] * (len(columns) - len(texts)), document)
        for cell, column in zip(row.cells, columns, strict=True):
            cell.paragraphs[0].alignment = alignments[column.align]
    for row in table.rows:
        _cant_split(row)
    return table


def _fill_row(
    row: Any, texts: Sequence[str], document: Any, style: str = "Texte de tableau"
) -> None:
    for cell, text in zip(row.cells, texts, strict=True):
        paragraph = cell.paragraphs[0]
        paragraph.style = document.styles[style]
        add_text(paragraph, text)


def _fixed_layout(table: Any, columns: Sequence[Column]) -> None:
    properties = table._tbl.tblPr
    properties.append(_element("w:tblLayout", type="fixed"))
    total = sum(round(c.width_cm * TWIPS_PER_CM) for c in columns)
    width = properties.find(_qn("w:tblW"))
    if width is None:
        width = _element("w:tblW")
        properties.append(width)
    width.set(_qn("w:w"), str(total))
    width.set(_qn("w:type"), "dxa")
    grid = table._tbl.tblGrid
    for column, grid_column in zip(columns, grid.findall(_qn("w:gridCol")), strict=True):
        grid_column.set(_qn("w:w"), str(round(column.width_cm * TWIPS_PER_CM)))
    for row in table.rows:
        for cell, column in zip(row.cells, columns, strict=True):
            cell_properties = cell._tc.get_or_add_tcPr()
            for old in cell_properties.findall(_qn("w:tcW")):
                cell_properties.remove(old)
            cell_properties.insert(
                0,
                _element("w:tcW", w=str(round(column.width_cm * TWIPS_PER_CM)), type="dxa"),
            )


def _row_properties(row: Any) -> Any:
    return row._tr.get_or_add_trPr()


def _repeat_header(row: Any) -> None:
    _row_properties(row).append(_element("w:tblHeader"))


def _cant_split(row: Any) -> None:
    properties = _row_properties(row)
    if properties.find(_qn("w:cantSplit")) is None:
        properties.insert(0, _element("w:cantSplit"))


def _shade(cell: Any, fill: str) -> None:
    cell._tc.get_or_add_tcPr().append(_element("w:shd", val="clear", color="auto", fill=fill))


def copy_element(element: Any) -> Any:
    return copy.deepcopy(element)


__all__ = [
    "DECIMAL_HEADINGS",
    "LETTER_HEADINGS",
    "MISSING_STYLE",
    "Column",
    "add_field",
    "add_heading",
    "add_table",
    "add_text",
    "add_toc",
    "new_document",
    "page_break",
]
