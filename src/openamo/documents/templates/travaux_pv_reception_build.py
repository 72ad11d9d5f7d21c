"""Build ``travaux_pv_reception.docx``, the maître d'ouvrage's decision on the reception of a
works contract with its reserves (CCAG-Travaux 2021, art. 41 and 44), run once after a change:

    .venv/bin/python src/openamo/documents/templates/travaux_pv_reception_build.py

Each Jinja tag sits in a single run so that docxtpl finds it whole.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openamo.documents.layout import (
    AFTER_TABLE_STYLE,
    LETTER_HEADINGS,
    Column,
    add_heading,
    add_table,
    new_document,
)

TEMPLATE = Path(__file__).with_name("travaux_pv_reception.docx")


def build(target: Path = TEMPLATE) -> Path:
    document = new_document(heading_format=LETTER_HEADINGS)
    document.add_paragraph("{{ buyer }}").runs[0].bold = True
    document.add_paragraph("PROCÈS-VERBAL ET DÉCISION DE RÉCEPTION", style=document.styles["Title"])
    document.add_paragraph("{{ contract }}", style=document.styles["Subtitle"])
    document.add_paragraph("Titulaire : {{ holder }}", style=document.styles["Mention"])
    add_heading(document, "Opérations préalables à la réception", 1)
    document.add_paragraph("{{ label }}")
    document.add_paragraph("{%p if notice_on %}")
    document.add_paragraph(
        "Avis d'achèvement des travaux du titulaire reçu le {{ notice_on }} (CCAG-Travaux 2021, "
        "art. 41.1)."
    )
    document.add_paragraph("{%p endif %}")
    document.add_paragraph(
        "Opérations préalables tenues le {{ inspected_on }}, le titulaire convoqué, par le maître "
        "d'œuvre (CCAG-Travaux 2021, art. 41.2)."
    )
    document.add_paragraph("{%p if note %}")
    document.add_paragraph("Constatations : {{ note }}")
    document.add_paragraph("{%p endif %}")
    add_heading(document, "Décision du maître d'ouvrage", 1)
    document.add_paragraph("Décision : {{ decision }}.")
    document.add_paragraph("{%p if effective_on %}")
    document.add_paragraph(
        "Date d'effet de la réception (date d'achèvement retenue) : {{ effective_on }}. Décision "
        "prise le {{ decided_on }}."
    )
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if possession %}")
    add_heading(document, "Prise de possession des ouvrages", 1)
    document.add_paragraph("{{ possession }}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if reserves %}")
    add_heading(document, "Réserves", 1)
    add_table(
        document,
        [
            Column("N°", 1.2),
            Column("Réserve", 9.0),
            Column("À lever avant le", 3.2),
            Column("Levée le", 3.2),
        ],
        [["{{ r.number }}", "{{ r.description }}", "{{ r.due }}", "{{ r.lifted }}"]],
        loop="r in reserves",
    )
    document.add_paragraph(
        "{{ reserves_state }}. Le titulaire lève les réserves dans le délai fixé ; à défaut, le "
        "maître d'ouvrage peut faire exécuter les travaux correspondants à ses frais et risques "
        "après mise en demeure.",
        style=document.styles[AFTER_TABLE_STYLE],
    )
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if guarantee_ends_on %}")
    add_heading(document, "Garanties et suites", 1)
    document.add_paragraph(
        "Garantie de parfait achèvement jusqu'au {{ guarantee_ends_on }} ; garantie de bon "
        "fonctionnement jusqu'au {{ equipment_ends_on }} ; responsabilité décennale jusqu'au "
        "{{ ten_year_ends_on }}."
    )
    document.add_paragraph(
        "Si des réserves ne sont pas levées à l'expiration du délai de garantie, le maître "
        "d'ouvrage peut le prolonger par décision notifiée au titulaire jusqu'à leur levée "
        "(CCAG-Travaux 2021, art. 44.2)."
    )
    document.add_paragraph("{%p if release %}")
    document.add_paragraph("{{ release }}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if final_draft_due_on %}")
    document.add_paragraph(
        "Le titulaire transmet son projet de décompte final au maître d'œuvre et au maître "
        "d'ouvrage au plus tard le {{ final_draft_due_on }} (CCAG-Travaux 2021, art. 12.3)."
    )
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p for w in warnings %}")
    document.add_paragraph("{{ w }}", style=document.styles["List Bullet"])
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph(
        "Pour le maître d'ouvrage, {{ buyer }}, le représentant du pouvoir adjudicateur"
    )
    document.add_paragraph("")
    document.add_paragraph("Notifié au titulaire le :")
    document.add_paragraph("")
    document.add_paragraph("Références : {{ references }}", style=document.styles["Mention"])
    document.save(str(target))
    return target


if __name__ == "__main__":
    sys.stdout.write(f"{build()}\n")
