"""Build ``avenant.docx``, the docxtpl template of the avenant (run once after a change):

    .venv/bin/python src/openamo/documents/templates/avenant_build.py

The template is a real Word document whose paragraphs carry Jinja tags (``{{ … }}``, and
``{%tr … %}`` for table rows); ``openamo.documents.avenant`` fills it. Each tag is written in a
single run so that docxtpl finds it whole. The layout follows the official EXE10 form.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

TEMPLATE = Path(__file__).with_name("avenant.docx")


def _cells(table: Any, row: int, texts: list[str], bold: bool = False) -> None:
    cells = table.rows[row].cells
    for cell, text in zip(cells, texts, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = bold


def _amounts_table(document: Any) -> None:
    rows = [
        ["", "Montant HT", "TVA ({{ vat_rate }})", "Montant TTC"],
        [
            "Montant initial du marché",
            "{{ contract.initial.ht }}",
            "{{ contract.initial.tva }}",
            "{{ contract.initial.ttc }}",
        ],
        [
            "Montant avant le présent avenant",
            "{{ amounts.before.ht }}",
            "{{ amounts.before.tva }}",
            "{{ amounts.before.ttc }}",
        ],
        [
            "Montant du présent avenant",
            "{{ modification.amount.ht }}",
            "{{ modification.amount.tva }}",
            "{{ modification.amount.ttc }}",
        ],
        [
            "Nouveau montant du marché",
            "{{ amounts.after.ht }}",
            "{{ amounts.after.tva }}",
            "{{ amounts.after.ttc }}",
        ],
    ]
    table = document.add_table(rows=len(rows), cols=4)
    table.style = "Table Grid"
    for index, texts in enumerate(rows):
        _cells(table, index, texts, bold=index == 0)


def _previous_table(document: Any) -> None:
    table = document.add_table(rows=4, cols=5)
    table.style = "Table Grid"
    _cells(table, 0, ["N°", "Date", "Objet", "Base", "Montant HT (%)"], bold=True)
    _cells(table, 1, ["{%tr for p in previous %}", "", "", "", ""])
    _cells(
        table,
        2,
        [
            "{{ p.number }}",
            "{{ p.date }}",
            "{{ p.object }}",
            "{{ p.basis }}",
            "{{ p.amount }} ({{ p.percent }})",
        ],
    )
    _cells(table, 3, ["{%tr endfor %}", "", "", "", ""])


def _signatures(document: Any) -> None:
    document.add_heading("E – Signature du titulaire", level=2)
    document.add_paragraph("{{ contractor.name }} — {{ contractor.representative }}")
    document.add_paragraph("À {{ place }}, le ……………………")
    document.add_paragraph("Signature :")
    document.add_paragraph("")
    document.add_heading("F – Signature de l'acheteur", level=2)
    document.add_paragraph("{{ buyer.name }} — {{ buyer.representative }}")
    document.add_paragraph("À {{ place }}, le ……………………")
    document.add_paragraph("Signature :")
    document.add_paragraph("")
    document.add_heading("G – Notification de l'avenant au titulaire", level=2)
    document.add_paragraph(
        "Remis contre récépissé ou notifié par voie électronique le ……………………. "
        "Le titulaire (date et signature) :"
    )


def build(target: Path = TEMPLATE) -> Path:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10)
    document.core_properties.title = "Avenant à un marché public (modèle EXE10)"
    document.core_properties.author = "OpenAMO"

    heading = document.add_heading("MARCHÉS PUBLICS — AVENANT N° {{ number }}", level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("{{ title }}").alignment = WD_ALIGN_PARAGRAPH.CENTER

    document.add_heading("A – {{ buyer_kind }}", level=2)
    for tag in ("buyer.name", "buyer.address", "buyer.siret", "buyer.representative"):
        document.add_paragraph("{{ " + tag + " }}")

    document.add_heading("B – Identification du titulaire du marché", level=2)
    for tag in (
        "contractor.name",
        "contractor.address",
        "contractor.siret",
        "contractor.representative",
    ):
        document.add_paragraph("{{ " + tag + " }}")

    document.add_heading("C – Objet du marché public", level=2)
    document.add_paragraph("Marché n° {{ contract.reference }} : {{ contract.object }}")
    document.add_paragraph(
        "Nature : {{ contract.nature }} — passé selon une {{ contract.procedure }} — "
        "notifié le {{ contract.notified_on }} — durée : {{ contract.duration }}"
    )
    document.add_paragraph(
        "Montant initial : {{ contract.initial.ht }} HT, soit {{ contract.initial.ttc }} TTC."
    )
    document.add_paragraph("Avenants antérieurs : {{ previous_summary }}")
    _previous_table(document)

    document.add_heading("D – Objet du présent avenant", level=2)
    document.add_paragraph("{{ modification.object }}")
    document.add_paragraph("{{ modification.description }}")
    document.add_paragraph("Fondement juridique : {{ modification.legal_basis }}")
    document.add_paragraph("Incidence financière :")
    _amounts_table(document)
    document.add_paragraph(
        "Écart introduit par le présent avenant : {{ modification.percent }} du montant "
        "initial ; écart cumulé de l'ensemble des avenants : "
        "{{ modification.cumulative_percent }}."
    )
    document.add_paragraph("Incidence sur les délais : {{ modification.deadline_effect }}")
    document.add_paragraph("{{ unchanged_clauses }}")
    document.add_paragraph("{{ cao }}")
    document.add_paragraph("Formalités : {{ duties|join(' ') }}")

    _signatures(document)

    document.add_heading("Références juridiques", level=3)
    document.add_paragraph("{{ references|join(' ; ') }}")

    document.save(str(target))
    return target


if __name__ == "__main__":
    sys.stdout.write(f"{build()}\n")
