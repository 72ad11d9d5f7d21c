"""Page numbers of a table of contents, as LibreOffice lays the document out.

LibreOffice prints the cached result of a TOC field and never recomputes it on opening; Word
rebuilds it (``w:updateFields``, :mod:`openamo.documents.finish`). So that the first view in
either shows the page of each heading, the finished DOCX is printed once by LibreOffice headless
with a two-digit placeholder after each entry (the layout of the final table), each numbered
heading is found on its page in the PDF text (poppler's ``pdftotext``), and each entry of the
table gets a ``PAGEREF`` field to its heading whose cached result is that page: LibreOffice shows
it as it is, Word recomputes it.

Without LibreOffice or poppler (a server that does not have them), after a failed or too long
print, or when a heading cannot be found, the table keeps its entries without page numbers —
never a guessed one — and :func:`number_toc_pages` says which documents were numbered.
``OPENAMO_TOC_PAGES=0`` turns the step off (the unit tests, which do not print).

The print takes seconds; the pages only depend on the document's content. With a
:class:`PageCache` (the web keeps one in PostgreSQL), the pages found are kept under
:func:`content_key` — a hash of every part of the DOCX but its properties (dates of creation) —
and a document already printed once is numbered from the cache, without LibreOffice.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from openamo.documents.layout import field_runs

ENVIRONMENT = "OPENAMO_TOC_PAGES"
PLACEHOLDER = "00"
TIMEOUT_SECONDS = 180
_TOC_STYLES = {"toc1", "toc2"}
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})
#: Changes when the way pages are found changes: older cached pages are then ignored.
KEY_VERSION = "toc-pages-1"


class PageCache(Protocol):
    """Where the pages of a document's table of contents are kept, by :func:`content_key`."""

    def get(self, key: str) -> list[str] | None: ...

    def put(self, key: str, pages: list[str]) -> None: ...


def content_key(path: Path) -> str:
    """The SHA-256 of every part of the DOCX ``path`` but ``docProps/`` (its dates change at
    each generation, its layout never does), prefixed by :data:`KEY_VERSION`."""
    digest = hashlib.sha256(KEY_VERSION.encode())
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            if name.startswith("docProps/"):
                continue
            digest.update(name.encode() + b"\0")
            digest.update(archive.read(name))
    return digest.hexdigest()


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(tag))


@dataclass(frozen=True)
class _Entry:
    link: Any  # the entry's w:hyperlink
    anchor: str
    text: str


def enabled() -> bool:
    return os.environ.get(ENVIRONMENT, "1") != "0"


def tools() -> tuple[str, str] | None:
    """LibreOffice and pdftotext, when both are installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftotext = shutil.which("pdftotext")
    return (soffice, pdftotext) if soffice and pdftotext else None


def toc_entries(document: Any) -> list[_Entry]:
    """The entries of the table of contents written by ``finish``: one link per heading."""
    entries = []
    for paragraph in document.element.body.iter(_qn("w:p")):
        style = paragraph.find(f"{_qn('w:pPr')}/{_qn('w:pStyle')}")
        if style is None or style.get(_qn("w:val")) not in _TOC_STYLES:
            continue
        for link in paragraph.iterchildren(_qn("w:hyperlink")):
            anchor = link.get(_qn("w:anchor")) or ""
            if anchor.startswith("_Toc"):
                title = _title_runs(link)
                text = "".join(t.text or "" for run in title for t in run.iter(_qn("w:t")))
                entries.append(_Entry(link, anchor, text))
    return entries


def _title_runs(link: Any) -> list[Any]:
    """The runs of an entry's title: those before the tab of its page number, if any."""
    runs = []
    for run in link.iterchildren(_qn("w:r")):
        if run.find(_qn("w:tab")) is not None:
            break
        runs.append(run)
    return runs


def write_pages(entries: Iterable[_Entry], pages: dict[str, str]) -> None:
    """After each entry: a tab (the dotted leader of the TOC style) and a PAGEREF field, in
    place of any page written before."""
    from docx.oxml import OxmlElement

    for entry in entries:
        title = _title_runs(entry.link)
        for run in list(entry.link.iterchildren(_qn("w:r")))[len(title) :]:
            entry.link.remove(run)  # a page written before: numbering again replaces it
        tab = OxmlElement("w:r")
        tab.append(OxmlElement("w:tab"))
        entry.link.append(tab)
        for run in field_runs(f"PAGEREF {entry.anchor} \\h", pages[entry.anchor]):
            entry.link.append(run)


def heading_pages(texts: Sequence[str], pages: Sequence[str]) -> list[int] | None:
    """The page (from 1) of each heading, in order, found as a line of its own in the text of
    the pages (a wrapped heading spans lines; a TOC line ends with its leader and number, so it
    never matches). ``None`` when one is missing: a partial table would mislead."""
    normalised = [page.translate(_SPACES) for page in pages]
    found: list[int] = []
    start = 0
    for text in texts:
        words = text.translate(_SPACES).split()
        if not words:
            return None
        pattern = re.compile(r"(?m)^[ \t]*" + r"\s+".join(map(re.escape, words)) + r"[ \t]*$")
        page = next(
            (index for index in range(start, len(normalised)) if pattern.search(normalised[index])),
            None,
        )
        if page is None:
            return None
        found.append(page + 1)
        start = page
    return found


def number_toc_pages(paths: Sequence[Path], cache: PageCache | None = None) -> list[Path]:
    """Write the page numbers of the table of contents of each DOCX of ``paths`` that has one,
    from ``cache`` when it knows the document, else from one LibreOffice print of the others
    (whose pages ``cache`` then keeps); return the documents numbered."""
    from docx import Document

    if not enabled():
        return []
    # Each document read once; the drafts printed by LibreOffice are copies read apart.
    documents = {path: Document(str(path)) for path in paths}
    with_toc = [path for path in paths if toc_entries(documents[path])]
    numbered: list[Path] = []
    keys = {path: content_key(path) for path in with_toc} if cache is not None else {}
    if cache is not None:
        for path in list(with_toc):
            pages = cache.get(keys[path])
            document = documents[path]
            entries = toc_entries(document)
            if pages is None or len(pages) != len(entries):
                continue
            write_pages(entries, dict(zip((e.anchor for e in entries), pages, strict=True)))
            document.save(str(path))
            numbered.append(path)
            with_toc.remove(path)
    available = tools()
    if not with_toc or available is None:
        return numbered
    soffice, pdftotext = available
    with tempfile.TemporaryDirectory(prefix="openamo-toc-") as tmp:
        folder = Path(tmp)
        drafts = []
        for index, path in enumerate(with_toc):
            copy = Document(str(path))
            entries = toc_entries(copy)
            write_pages(entries, {entry.anchor: PLACEHOLDER for entry in entries})
            target = folder / "drafts" / f"{index:03d}.docx"
            target.parent.mkdir(exist_ok=True)
            copy.save(str(target))
            drafts.append(target)
        if not _print(soffice, drafts, folder):
            return numbered
        for path, printed in zip(with_toc, drafts, strict=True):
            pdf = folder / "pdf" / f"{printed.stem}.pdf"
            if not pdf.exists():
                continue
            text = subprocess.run(
                [pdftotext, str(pdf), "-"], capture_output=True, text=True, check=False
            ).stdout
            document = documents[path]
            entries = toc_entries(document)
            found = heading_pages([entry.text for entry in entries], text.split("\f"))
            if found is None:
                continue
            write_pages(
                entries, {e.anchor: str(page) for e, page in zip(entries, found, strict=True)}
            )
            document.save(str(path))
            numbered.append(path)
            if cache is not None:
                cache.put(keys[path], [str(page) for page in found])
    return numbered


def _print(soffice: str, drafts: Sequence[Path], folder: Path) -> bool:
    """One headless LibreOffice, with a profile of its own (never a running user's), prints
    every draft to PDF; a print that does not end in time is stopped with its children."""
    command = [
        soffice,
        f"-env:UserInstallation={(folder / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(folder / "pdf"),
        *map(str, drafts),
    ]
    try:
        process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return False
    try:
        return process.wait(timeout=TIMEOUT_SECONDS) == 0
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return False


__all__ = [
    "ENVIRONMENT",
    "PageCache",
    "content_key",
    "enabled",
    "heading_pages",
    "number_toc_pages",
    "toc_entries",
]
