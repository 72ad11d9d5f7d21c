"""Build ``lettre.docx``, the one layout of the letters of a procedure (completion of a
candidacy, abnormally low price, rejection, award), run once after a change:

    .venv/bin/python src/openamo/documents/templates/lettre_build.py

The body is a list of blocks (``heading``, ``bullet`` or plain paragraph) written by
:mod:`openamo.documents.letters`; each Jinja tag sits in a single run so that docxtpl finds it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openamo.documents.layout import LETTER_HEADINGS, MISSING_STYLE, new_document

TEMPLATE = Path(__file__).with_name("lettre.docx")


def build(target: Path = TEMPLATE) -> Path:
    document = new_document(heading_format=LETTER_HEADINGS)
    document.add_paragraph("{{ sender.name }}").runs[0].bold = True
    document.add_paragraph("{%p for line in sender.lines %}")
    document.add_paragraph("{{ line }}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("")
    recipient = document.add_paragraph("{{ recipient.name }}")
    recipient.runs[0].bold = True
    recipient.paragraph_format.left_indent = 360000 * 9
    document.add_paragraph("{%p for line in recipient.lines %}")
    document.add_paragraph("{{ line }}").paragraph_format.left_indent = 360000 * 9
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p if recipient.missing %}")
    missing = document.add_paragraph("{{ recipient.missing }}", style=MISSING_STYLE)
    missing.paragraph_format.left_indent = 360000 * 9
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("")
    document.add_paragraph("{{ place_and_date }}").paragraph_format.left_indent = 360000 * 9
    document.add_paragraph("{{ sending }}", style=document.styles["Mention"])
    document.add_paragraph("{{ title }}", style=document.styles["Title"])
    document.add_paragraph("Objet : {{ subject }}").runs[0].bold = True
    document.add_paragraph("Consultation n° {{ reference }} — {{ object }}")
    document.add_paragraph("Madame, Monsieur,")
    document.add_paragraph("{%p for b in blocks %}")
    document.add_paragraph("{%p if b.kind == 'heading' %}")
    document.add_paragraph("{{ b.text }}", style=document.styles["Heading 1"])
    document.add_paragraph("{%p elif b.kind == 'bullet' %}")
    document.add_paragraph("{{ b.text }}", style=document.styles["List Bullet"])
    document.add_paragraph("{%p else %}")
    document.add_paragraph("{{ b.text }}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endfor %}")
    closing = [
        "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.",
        "",
        # The letterhead names the buyer and dates the letter: the signature block is the
        # signatory's capacity and name only; the articles applied are in the properties.
        "{{ signatory.closing }}",
        "",
        "",
        "{{ signatory.name }}",
    ]
    for index, text in enumerate(closing):
        paragraph = document.add_paragraph(text)
        paragraph.paragraph_format.keep_with_next = index < len(closing) - 1  # one page
        if index >= 2:
            paragraph.paragraph_format.left_indent = 360000 * 9
    document.save(str(target))
    return target


if __name__ == "__main__":
    sys.stdout.write(f"{build()}\n")
