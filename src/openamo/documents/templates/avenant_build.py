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

from openamo.documents.layout import (
    LETTER_HEADINGS,
    MISSING_STYLE,
    Column,
    add_heading,
    add_table,
    new_document,
)

TEMPLATE = Path(__file__).with_name("avenant.docx")


AMOUNT_COLUMNS = [
    Column("", 5.6),
    Column("Montant HT", 3.8, "right"),
    Column("TVA ({{ vat_rate }})", 3.8, "right"),
    Column("Montant TTC", 3.8, "right"),
]


def _amounts_table(document: Any) -> None:
    rows = [
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
    add_table(document, AMOUNT_COLUMNS, rows)


def _previous_table(document: Any) -> None:
    columns = [
        Column("N°", 1.2, "center"),
        Column("Date", 2.4),
        Column("Objet", 6.6),
        Column("Base", 2.2),
        Column("Montant HT (%)", 4.6, "right"),
    ]
    add_table(
        document,
        columns,
        [
            [
                "{{ p.number }}",
                "{{ p.date }}",
                "{{ p.object }}",
                "{{ p.basis }}",
                "{{ p.amount }} ({{ p.percent }})",
            ]
        ],
        loop="p in previous",
    )


def _party(document: Any, who: str) -> None:
    """Name, address, SIRET and signatory of one party; empty lines are dropped by docxtpl."""
    document.add_paragraph().add_run("{{ " + who + ".name }}").bold = True
    for tag in ("address", "siret", "signatory"):
        document.add_paragraph("{%p if " + who + "." + tag + " %}")
        document.add_paragraph("{{ " + who + "." + tag + " }}")
        document.add_paragraph("{%p endif %}")
        if tag == "address":
            document.add_paragraph("{%p if " + who + ".address_missing %}")
            document.add_paragraph("{{ " + who + ".address_missing }}", style=MISSING_STYLE)
            document.add_paragraph("{%p endif %}")


def _signature(document: Any, heading: str, who: str) -> None:
    add_heading(document, heading, 1)
    document.add_paragraph("{{ " + who + ".name }}")
    document.add_paragraph("{{ " + who + ".signatory_line }}")
    document.add_paragraph("{{ " + who + ".place_line }}")
    document.add_paragraph("Signature (et cachet) :")
    document.add_paragraph("")
    document.add_paragraph("")


def _signatures(document: Any) -> None:
    _signature(document, "Signature du titulaire", "contractor")
    _signature(document, "Signature de l'acheteur", "buyer")
    add_heading(document, "Notification de l'avenant au titulaire", 1)
    document.add_paragraph(
        "Remis contre récépissé ou notifié par voie électronique le "
        "…… / …… / ………… (date de réception de la notification)."
    )
    document.add_paragraph("Le titulaire (date et signature) :")


def build(target: Path = TEMPLATE) -> Path:
    document = new_document(heading_format=LETTER_HEADINGS)
    document.add_paragraph(
        "MARCHÉS PUBLICS — AVENANT N° {{ number }}", style=document.styles["Title"]
    )
    document.add_paragraph("{{ title }}", style=document.styles["Subtitle"])
    document.add_paragraph(
        "Modèle d'après le formulaire EXE10 de la direction des affaires juridiques.",
        style=document.styles["Mention"],
    )

    add_heading(document, "{{ buyer_kind }}", 1)
    _party(document, "buyer")

    add_heading(document, "Identification du titulaire du marché", 1)
    _party(document, "contractor")

    add_heading(document, "Objet du marché public", 1)
    document.add_paragraph("Marché n° {{ contract.reference }} : {{ contract.object }}")
    document.add_paragraph(
        "Nature : {{ contract.nature }} — passé selon une {{ contract.procedure }} — "
        "notifié le {{ contract.notified_on }} — durée : {{ contract.duration }}"
    )
    document.add_paragraph(
        "Montant initial : {{ contract.initial.ht }} HT, soit {{ contract.initial.ttc }} TTC."
    )
    document.add_paragraph("Avenants antérieurs : {{ previous_summary }}")
    document.add_paragraph("{%p if previous %}")
    _previous_table(document)
    document.add_paragraph("{%p endif %}")

    add_heading(document, "Objet du présent avenant", 1)
    document.add_paragraph("{{ modification.object }}")
    document.add_paragraph("{%p if modification.description %}")
    document.add_paragraph("{{ modification.description }}")
    document.add_paragraph("{%p endif %}")
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

    _signatures(document)
    document.save(str(target))
    return target


if __name__ == "__main__":
    sys.stdout.write(f"{build()}\n")
