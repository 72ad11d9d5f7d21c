"""Page numbers of the table of contents: each heading found on its page of the printed text,
written after its entry as a PAGEREF field (LibreOffice shows its cached page, Word recomputes
it), and nothing written when a heading cannot be found or LibreOffice is absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from openamo.documents import pagination
from openamo.documents.dce import generate_dce_from_dict

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "dce_generate.json"

PAGES = [
    "Sommaire\n1. Acheteur........ 00\n2. Objet et forme du marché....... 00\n1. Acheteur\ntexte",
    "suite\n2. Objet et forme\ndu marché\ntexte\n",
    "3. Procédure\u00a0ouverte\n",
]


def test_each_heading_is_found_on_its_own_line_never_on_the_toc_line() -> None:
    texts = ["1. Acheteur", "2. Objet et forme du marché", "3. Procédure ouverte"]
    assert pagination.heading_pages(texts, PAGES) == [1, 2, 3]


def test_a_heading_that_cannot_be_found_leaves_the_whole_table_unnumbered() -> None:
    assert pagination.heading_pages(["1. Acheteur", "9. Absent"], PAGES) is None
    # headings come in order: one that only appears before the previous one is not taken
    assert pagination.heading_pages(["3. Procédure ouverte", "1. Acheteur"], PAGES) is None


def test_each_entry_gets_a_pageref_field_to_its_heading(tmp_path: Path) -> None:
    generate_dce_from_dict(json.loads(EXAMPLE.read_text("utf-8")), tmp_path)
    document = Document(str(tmp_path / "RC.docx"))
    entries = pagination.toc_entries(document)
    assert len(entries) > 10 and entries[0].text == "1. Acheteur"
    pagination.write_pages(entries, {entry.anchor: "7" for entry in entries})
    first = entries[0].link
    instructions = [t.text.strip() for t in first.iter(qn("w:instrText"))]
    assert instructions == [f"PAGEREF {entries[0].anchor} \\h"]
    assert first.find(f"{qn('w:r')}/{qn('w:tab')}") is not None
    assert "".join(t.text or "" for t in first.iter(qn("w:t"))) == "1. Acheteur7"
    # numbering again replaces the page, the title stays the entry's text
    pagination.write_pages(pagination.toc_entries(document), {e.anchor: "8" for e in entries})
    again = pagination.toc_entries(document)[0]
    assert again.text == "1. Acheteur"
    assert "".join(t.text or "" for t in again.link.iter(qn("w:t"))) == "1. Acheteur8"
    anchors = {b.get(qn("w:name")) for b in document.element.body.iter(qn("w:bookmarkStart"))}
    assert {entry.anchor for entry in entries} <= anchors


def test_without_libreoffice_nothing_is_printed_and_a_warning_says_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(pagination.ENVIRONMENT, "1")
    monkeypatch.setattr(pagination, "tools", lambda: None)
    result = generate_dce_from_dict(json.loads(EXAMPLE.read_text("utf-8")), tmp_path)
    assert any("sommaire" in warning for warning in result.warnings)
    assert pagination.number_toc_pages([tmp_path / "RC.docx"]) == []
    entries = pagination.toc_entries(Document(str(tmp_path / "RC.docx")))
    assert all(entry.link.find(qn("w:r") + "/" + qn("w:tab")) is None for entry in entries)


def test_word_refreshes_the_table_on_opening(tmp_path: Path) -> None:
    import zipfile

    generate_dce_from_dict(json.loads(EXAMPLE.read_text("utf-8")), tmp_path)
    for piece in ("RC", "CCAP"):
        with zipfile.ZipFile(tmp_path / f"{piece}.docx") as archive:
            assert b'<w:updateFields w:val="true"/>' in archive.read("word/settings.xml")


class DictCache:
    def __init__(self) -> None:
        self.pages: dict[str, list[str]] = {}

    def get(self, key: str) -> list[str] | None:
        return self.pages.get(key)

    def put(self, key: str, pages: list[str]) -> None:
        self.pages[key] = pages


def test_the_content_key_ignores_the_properties_and_follows_the_content(tmp_path: Path) -> None:
    data = json.loads(EXAMPLE.read_text("utf-8"))
    generate_dce_from_dict(data, tmp_path / "a")
    generate_dce_from_dict(data, tmp_path / "b")  # new creation dates, same content
    key = pagination.content_key(tmp_path / "a" / "RC.docx")
    assert key == pagination.content_key(tmp_path / "b" / "RC.docx")
    assert key != pagination.content_key(tmp_path / "a" / "CCAP.docx")
    data["object"] += " — deuxième consultation"
    generate_dce_from_dict(data, tmp_path / "c")
    assert key != pagination.content_key(tmp_path / "c" / "RC.docx")


def test_a_document_the_cache_knows_is_numbered_without_libreoffice(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    generate_dce_from_dict(json.loads(EXAMPLE.read_text("utf-8")), tmp_path)
    rc, ccap = tmp_path / "RC.docx", tmp_path / "CCAP.docx"
    cache = DictCache()
    entries = pagination.toc_entries(Document(str(rc)))
    cache.put(pagination.content_key(rc), [str(2 + i // 4) for i in range(len(entries))])
    # a cached entry with the wrong number of pages (another layout) is not used
    cache.put(pagination.content_key(ccap), ["2"])
    monkeypatch.setenv(pagination.ENVIRONMENT, "1")
    monkeypatch.setattr(pagination, "tools", lambda: None)  # no LibreOffice: cache only
    assert pagination.number_toc_pages([rc, ccap], cache) == [rc]
    numbered = pagination.toc_entries(Document(str(rc)))
    assert "".join(t.text or "" for t in numbered[0].link.iter(qn("w:t"))) == "1. Acheteur2"
    assert "".join(t.text or "" for t in numbered[-1].link.iter(qn("w:t"))).endswith(
        str(2 + (len(entries) - 1) // 4)
    )
