"""Build ``travaux_programme.docx``, the synthesis of a construction operation's programme and
financial envelope (L2421-2 and L2421-3 of the CCP), run once after a change:

    .venv/bin/python src/openamo/documents/templates/travaux_programme_build.py

Each Jinja tag sits in a single run so that docxtpl finds it whole.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from openamo.documents.layout import (
    AFTER_TABLE_STYLE,
    Column,
    add_heading,
    add_table,
    new_document,
)

TEMPLATE = Path(__file__).with_name("travaux_programme.docx")

SECTIONS = [
    ("objectives", "Objectifs de l'opération"),
    ("needs", "Besoins à satisfaire"),
    ("constraints", "Contraintes du site et de l'opération"),
    ("functional_requirements", "Exigences fonctionnelles"),
    ("technical_requirements", "Exigences techniques"),
    ("environmental_targets", "Objectifs environnementaux"),
    ("performance_targets", "Objectifs de performance"),
]


def _list(document: Any, name: str, title: str) -> None:
    document.add_paragraph("{%p if programme." + name + " %}")
    add_heading(document, title, 2)
    document.add_paragraph("{%p for item in programme." + name + " %}")
    document.add_paragraph("{{ item }}", style=document.styles["List Bullet"])
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p endif %}")


def build(target: Path = TEMPLATE) -> Path:
    document = new_document()
    document.add_paragraph("PROGRAMME ET ENVELOPPE FINANCIÈRE", style=document.styles["Title"])
    document.add_paragraph("{{ title }}", style=document.styles["Subtitle"])
    document.add_paragraph(
        "Synthèse établie le {{ date }} par le maître d'ouvrage, {{ buyer }} "
        "(Code de la commande publique, art. L2421-2 et L2421-3).",
        style=document.styles["Mention"],
    )
    add_heading(document, "Le programme", 1)
    document.add_paragraph("Nature de l'ouvrage : {{ work_kind }}.")
    for name, title in SECTIONS:
        _list(document, name, title)
    document.add_paragraph("{%p if spaces %}")
    add_heading(document, "Surfaces programmées", 2)
    add_table(
        document,
        [Column("Espace", 11.0), Column("Surface (m²)", 5.0, "right")],
        [["{{ s.name }}", "{{ s.area }}"]],
        loop="s in spaces",
    )
    document.add_paragraph(
        "Surface totale programmée : {{ total_area }} m².", style=document.styles[AFTER_TABLE_STYLE]
    )
    document.add_paragraph("{%p endif %}")

    add_heading(document, "L'enveloppe financière prévisionnelle", 1)
    document.add_paragraph(
        "Part affectée aux travaux en vigueur : {{ envelope.current }} HT "
        "(fixée le {{ envelope.set_on }} à {{ envelope.initial }} HT)."
    )
    document.add_paragraph("{%p if envelope.total %}")
    document.add_paragraph("Enveloppe totale de l'opération : {{ envelope.total }} HT.")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if changes %}")
    add_heading(document, "Évolutions décidées", 2)
    add_table(
        document,
        [
            Column("Date", 2.4),
            Column("Part travaux HT", 3.2, "right"),
            Column("Écart HT", 2.8, "right"),
            Column("Décidée par", 3.6),
            Column("Motif", 5.0),
        ],
        [["{{ c.date }}", "{{ c.works }}", "{{ c.change }}", "{{ c.by }}", "{{ c.reason }}"]],
        loop="c in changes",
    )
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if phases %}")
    add_heading(document, "Estimations du maître d'œuvre face à l'enveloppe", 2)
    add_table(
        document,
        [
            Column("Élément de mission", 5.0),
            Column("Estimation HT", 3.2, "right"),
            Column("Part de l'enveloppe à la remise", 3.0, "right"),
            Column("Décision", 5.8),
        ],
        [["{{ p.label }}", "{{ p.estimate }}", "{{ p.share }}", "{{ p.decision }}"]],
        loop="p in phases",
    )
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if warnings %}")
    add_heading(document, "Points d'attention", 2)
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p for w in warnings %}")
    document.add_paragraph("{{ w }}", style=document.styles["List Bullet"])
    document.add_paragraph("{%p endfor %}")
    # The references may follow the last table directly (no phase, no warning): a mention,
    # spaced before as the paragraph after a table is.
    references = document.add_paragraph(
        "Références : {{ references }}", style=document.styles["Mention"]
    )
    references.paragraph_format.space_before = document.styles[
        AFTER_TABLE_STYLE
    ].paragraph_format.space_before
    document.save(str(target))
    return target


if __name__ == "__main__":
    sys.stdout.write(f"{build()}\n")
