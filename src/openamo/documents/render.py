"""Fill document templates. Heavy libraries are imported when a document is made, not before."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from openamo.documents.finish import Properties
from openamo.spreadsheet import guard_formula as guard_formula  # one guard for every export

TEMPLATES_DIR = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class PageHeader:
    """What the running header and footer of every page say (templates' ``page`` tags)."""

    buyer: str
    name: str
    reference: str = ""
    object: str = ""
    lot: str = ""


FOOTER_OBJECT_LENGTH = 95


def shorten(text: str, length: int) -> str:
    """The object on one footer line: cut at a word, with an ellipsis."""
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0].rstrip(" ,;:(") + "…"


def render_docx(
    template: str,
    context: dict[str, Any],
    out: Path,
    *,
    header: PageHeader,
    properties: Properties | None = None,
) -> Path:
    """Fill ``templates/<template>`` (a .docx built on :mod:`openamo.documents.layout`) with
    ``context``, then complete its fields and properties (:mod:`openamo.documents.finish`)."""
    from docxtpl import DocxTemplate

    from openamo.documents.finish import finish

    document = DocxTemplate(str(TEMPLATES_DIR / template))
    page = asdict(header)
    page["object"] = shorten(header.object, FOOTER_OBJECT_LENGTH)
    document.render(context | {"page": page}, autoescape=True)
    title = header.name + (f" — {header.lot}" if header.lot else "")
    properties = properties or Properties(title=title)
    if not properties.title:
        properties = replace(properties, title=title)
    finish(document.docx, replace(properties, author=properties.author or header.buyer))
    out.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(out))
    return out


def css_string(value: object) -> Any:
    """``value`` inside a CSS string (``content: "…"`` of a running header): a style sheet is
    raw text, where HTML escaping would print « d&#39;œuvre » — CSS escapes instead."""
    from markupsafe import Markup

    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return Markup(" ".join(text.split()))


def html_environment() -> Any:
    """The Jinja environment of the HTML templates (the PDFs): escaped, strict, with the
    ``css`` filter of the running headers."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["css"] = css_string
    return environment


def render_pdf(template: str, context: dict[str, Any], out: Path) -> Path:
    """Fill ``templates/<template>`` (HTML + Jinja) and print it to PDF with WeasyPrint."""
    from weasyprint import HTML

    html = html_environment().get_template(template).render(**context)
    out.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html, base_url=str(TEMPLATES_DIR)).write_pdf(str(out))
    return out
