"""Fill document templates. Heavy libraries are imported when a document is made, not before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

TEMPLATES_DIR = Path(__file__).parent / "templates"

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def guard_formula(value: Any) -> Any:
    """Neutralise spreadsheet formula injection in a cell that comes from user input (OWASP CSV
    injection): a text starting with ``= + - @`` gets a leading apostrophe-like quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def render_docx(template: str, context: dict[str, Any], out: Path) -> Path:
    """Fill ``templates/<template>`` (a .docx with Jinja tags) with ``context``."""
    from docxtpl import DocxTemplate

    document = DocxTemplate(str(TEMPLATES_DIR / template))
    document.render(context, autoescape=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(out))
    return out


def render_pdf(template: str, context: dict[str, Any], out: Path) -> Path:
    """Fill ``templates/<template>`` (HTML + Jinja) and print it to PDF with WeasyPrint."""
    import jinja2
    from weasyprint import HTML

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
    )
    html = environment.get_template(template).render(**context)
    out.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html, base_url=str(TEMPLATES_DIR)).write_pdf(str(out))
    return out
