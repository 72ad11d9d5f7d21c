"""Complete a rendered DOCX: cached results of its fields, table of contents, properties.

The templates (built on :mod:`openamo.documents.layout`) number their headings with a list bound
to the heading styles, so Word and LibreOffice compute the numbers themselves; this module writes
the same numbers as the cached results of the REF fields (what a reader sees before any update),
the entries of the table of contents (each a link to its heading; the page numbers come from a
print, :mod:`openamo.documents.pagination`) and the
document's properties: title, subject, buyer, language, and the provenance (generator, date,
texts applied) which never appears in the body.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from openamo.documents.layout import HEADING_NUMBERING_ID, LANGUAGE

_HEADING_STYLES = {"Heading1": 0, "Heading2": 1}
_REF = re.compile(r"^\s*REF\s+(\S+)")
_TOC_MARK = "[[toc]]"


@dataclass(frozen=True)
class Properties:
    """What the document's core properties say (File › Properties in Word and LibreOffice)."""

    title: str
    subject: str = ""
    author: str = ""
    category: str = ""
    keywords: Sequence[str] = ()
    references: Sequence[str] = ()
    generated_at: dt.datetime | None = None
    extra: Sequence[str] = field(default_factory=tuple)


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(tag))


def finish(document: Any, properties: Properties) -> None:
    numbers = _number_headings(document)
    _fill_references(document, numbers)
    has_toc = _fill_toc(document)
    _set_properties(document, properties)
    if has_toc:
        _update_fields_on_open(document)


def _heading_level(paragraph: Any) -> int | None:
    properties = paragraph.find(_qn("w:pPr"))
    if properties is None:
        return None
    style = properties.find(_qn("w:pStyle"))
    if style is None or style.get(_qn("w:val")) not in _HEADING_STYLES:
        return None
    numbering = properties.find(_qn("w:numPr"))
    if numbering is not None:
        num_id = numbering.find(_qn("w:numId"))
        if num_id is not None and num_id.get(_qn("w:val")) != str(HEADING_NUMBERING_ID):
            return None  # a heading taken out of the numbering (numId 0)
    return _HEADING_STYLES[style.get(_qn("w:val"))]


@dataclass
class _Heading:
    element: Any
    level: int
    number: str
    text: str


def _formats(document: Any) -> list[str]:
    """The number format of each heading level, read from the document's numbering."""
    numbering = document.part.numbering_part.element
    for abstract in numbering.iterchildren(_qn("w:abstractNum")):
        if abstract.get(_qn("w:abstractNumId")) == str(HEADING_NUMBERING_ID):
            return [
                lvl.find(_qn("w:numFmt")).get(_qn("w:val"))
                for lvl in abstract.iterchildren(_qn("w:lvl"))
            ]
    return ["decimal", "decimal"]


def _label(value: int, number_format: str) -> str:
    if number_format == "upperLetter":
        return chr(ord("A") + value - 1) if value <= 26 else str(value)
    return str(value)


def _headings(document: Any) -> list[_Heading]:
    formats = _formats(document)
    counters = [0, 0]
    found = []
    for paragraph in document.element.body.iterchildren(_qn("w:p")):
        level = _heading_level(paragraph)
        if level is None:
            continue
        counters[level] += 1
        for deeper in range(level + 1, len(counters)):
            counters[deeper] = 0
        number = ".".join(
            _label(n, formats[index]) for index, n in enumerate(counters[: level + 1])
        )
        text = "".join(t.text or "" for t in paragraph.iter(_qn("w:t")))
        found.append(_Heading(paragraph, level, number, text))
    return found


def _number_headings(document: Any) -> dict[str, str]:
    """The number of each bookmarked heading, by bookmark name."""
    numbers: dict[str, str] = {}
    for heading in _headings(document):
        for bookmark in heading.element.iter(_qn("w:bookmarkStart")):
            numbers[bookmark.get(_qn("w:name"))] = heading.number
    return numbers


def _fields(root: Any) -> Iterable[tuple[str, list[Any]]]:
    """Each complex field as (instruction, runs of its cached result)."""
    instruction: list[str] = []
    result: list[Any] | None = None
    depth = 0
    for run in root.iter(_qn("w:r")):
        char = run.find(_qn("w:fldChar"))
        if char is not None:
            kind = char.get(_qn("w:fldCharType"))
            if kind == "begin":
                depth += 1
                if depth == 1:
                    instruction, result = [], None
            elif kind == "separate" and depth == 1:
                result = []
            elif kind == "end":
                if depth == 1:
                    yield "".join(instruction), result or []
                depth -= 1
            continue
        if depth == 1:
            text = run.find(_qn("w:instrText"))
            if text is not None and result is None:
                instruction.append(text.text or "")
            elif result is not None:
                result.append(run)


def _fill_references(document: Any, numbers: dict[str, str]) -> None:
    for part in _parts(document):
        for instruction, result in _fields(part):
            match = _REF.match(instruction)
            if match is None or not result:
                continue
            texts = [t for run in result for t in run.iter(_qn("w:t"))]
            if texts:
                texts[0].text = numbers.get(match.group(1), "?")
                for extra in texts[1:]:
                    extra.text = ""


def _parts(document: Any) -> list[Any]:
    roots = [document.element.body]
    for section in document.sections:
        roots += [section.header._element, section.footer._element]
    return roots


def _fill_toc(document: Any) -> bool:
    from docx.oxml import OxmlElement

    marker = next(
        (t for t in document.element.body.iter(_qn("w:t")) if t.text == _TOC_MARK),
        None,
    )
    if marker is None:
        return False
    run = marker.getparent()
    paragraph = run.getparent()
    headings = _headings(document)
    end = paragraph[-1]  # the field's end run, moved to the last entry
    paragraph.remove(end)
    paragraph.remove(run)
    current = paragraph
    for index, heading in enumerate(headings):
        name = f"_Toc{index + 1:05d}"
        _bookmark(heading.element, name, 900_000 + index)
        entry = current if index == 0 else _new_paragraph(paragraph, current)
        _set_style(entry, f"toc{heading.level + 1}")
        # the cached result is what LibreOffice prints (it never recomputes a TOC on opening):
        # the numbered titles, each a link to its heading; a page is known only once laid out,
        # none is guessed: openamo.documents.pagination adds each page from a LibreOffice print,
        # and Word rebuilds the whole table with its page numbers on opening (updateFields)
        link = OxmlElement("w:hyperlink")
        link.set(_qn("w:anchor"), name)
        link.set(_qn("w:history"), "1")
        link.append(_run(f"{heading.number}. {heading.text}"))
        entry.append(link)
        current = entry
    current.append(end)
    return True


def _new_paragraph(model: Any, after: Any) -> Any:
    from docx.oxml import OxmlElement

    paragraph = OxmlElement("w:p")
    after.addnext(paragraph)
    return paragraph


def _set_style(paragraph: Any, style: str) -> None:
    from docx.oxml import OxmlElement

    properties = paragraph.find(_qn("w:pPr"))
    if properties is None:
        properties = OxmlElement("w:pPr")
        paragraph.insert(0, properties)
    for old in properties.findall(_qn("w:pStyle")):
        properties.remove(old)
    style_element = OxmlElement("w:pStyle")
    style_element.set(_qn("w:val"), style)
    properties.insert(0, style_element)


def _run(text: str) -> Any:
    from docx.oxml import OxmlElement

    run = OxmlElement("w:r")
    parts = text.split("\t")
    for index, part in enumerate(parts):
        if index:
            run.append(OxmlElement("w:tab"))
        if part:
            element = OxmlElement("w:t")
            element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            element.text = part
            run.append(element)
    return run


def _bookmark(paragraph: Any, name: str, identifier: int) -> None:
    from docx.oxml import OxmlElement

    start = OxmlElement("w:bookmarkStart")
    start.set(_qn("w:id"), str(identifier))
    start.set(_qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(_qn("w:id"), str(identifier))
    properties = paragraph.find(_qn("w:pPr"))
    if properties is not None:
        properties.addnext(start)
    else:
        paragraph.insert(0, start)
    paragraph.append(end)


def _set_properties(document: Any, properties: Properties) -> None:
    core = document.core_properties
    moment = properties.generated_at or dt.datetime.now(dt.UTC)
    core.title = properties.title[:255]
    core.subject = properties.subject[:255]
    core.author = properties.author[:255]
    core.last_modified_by = "OpenAMO"
    core.category = properties.category[:255]
    core.keywords = ", ".join(properties.keywords)[:255]
    core.language = LANGUAGE
    core.created = core.modified = moment.replace(tzinfo=None)
    core.revision = 1
    lines = [f"Document produit par OpenAMO {_version()} le {moment:%d/%m/%Y à %H:%M} (UTC)."]
    lines += list(properties.extra)
    if properties.references:
        lines.append("Textes appliqués : " + " ; ".join(properties.references) + ".")
    # the description (« Commentaires ») holds the whole provenance: python-docx caps its
    # setters at 255 characters, which the standard does not, so the element is written directly
    core._element._get_or_add("description").text = "\n".join(lines)
    core.identifier = ""
    core.content_status = "Projet à relire"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("openamo")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "(source)"


def _update_fields_on_open(document: Any) -> None:
    """Ask Word to refresh the table of contents' page numbers on opening."""
    from docx.oxml import OxmlElement

    settings = document.settings.element
    if settings.find(_qn("w:updateFields")) is not None:
        return
    element = OxmlElement("w:updateFields")
    element.set(_qn("w:val"), "true")
    later = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars")
    following = next(
        (child for child in settings if child.tag in {_qn(tag) for tag in later}), None
    )
    if following is None:
        settings.append(element)
    else:
        following.addprevious(element)


__all__ = ["Properties", "finish"]
