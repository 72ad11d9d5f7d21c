"""Documents produced from the domain's data: DOCX (docxtpl), XLSX (openpyxl), PDF (WeasyPrint).

Templates are files under ``templates/``; this package only fills them.
"""

from openamo.documents.finish import Properties
from openamo.documents.render import (
    TEMPLATES_DIR,
    PageHeader,
    guard_formula,
    render_docx,
    render_pdf,
)

__all__ = [
    "TEMPLATES_DIR",
    "PageHeader",
    "Properties",
    "guard_formula",
    "render_docx",
    "render_pdf",
]
