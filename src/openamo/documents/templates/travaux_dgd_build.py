"""Build ``travaux_dgd.docx``, the maître d'ouvrage's letter to a works contractor on where its
final account stands (CCAG-Travaux 2021, art. 12), run once after a change:

    .venv/bin/python src/openamo/documents/templates/travaux_dgd_build.py

Each Jinja tag sits in a single run so that docxtpl finds it whole.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openamo.documents.layout import LETTER_HEADINGS, Column, add_heading, add_table, new_document

TEMPLATE = Path(__file__).with_name("travaux_dgd.docx")


def build(target: Path = TEMPLATE) -> Path:
    document = new_document(heading_format=LETTER_HEADINGS)
    document.add_paragraph("{{ buyer }}").runs[0].bold = True
    document.add_paragraph("À l'attention de {{ holder }}")
    document.add_paragraph("Le {{ date }}")
    document.add_paragraph("DÉCOMPTE GÉNÉRAL DU MARCHÉ", style=document.styles["Title"])
    document.add_paragraph("{{ contract }}", style=document.styles["Subtitle"])
    document.add_paragraph(
        "Objet : calendrier de l'établissement du décompte général (CCAG-Travaux 2021, art. 12)",
        style=document.styles["Mention"],
    )
    document.add_paragraph("Madame, Monsieur,")
    document.add_paragraph(
        "{{ start }}, sauf dérogation écrite dans le cahier des clauses administratives "
        "particulières."
    )
    document.add_paragraph("État du décompte au {{ date }} : {{ state }}.")
    document.add_paragraph("{%p if next_step %}")
    document.add_paragraph(
        "{{ next_step.intro }}, pour le {{ next_step.by }} : {{ next_step.label }}, "
        "{{ next_step.when }}. Si ce délai est manqué : {{ next_step.consequence }}"
    )
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if deadline %}")
    document.add_paragraph("{{ deadline }}").runs[0].bold = True
    document.add_paragraph("{%p endif %}")
    add_heading(document, "Calendrier", 1)
    add_table(
        document,
        [
            Column("Échéance", 2.4),
            Column("Étape", 5.4),
            Column("Qui", 2.4),
            Column("État", 2.4),
            Column("Si le délai est manqué", 5.0),
        ],
        [["{{ s.due }}", "{{ s.label }}", "{{ s.by }}", "{{ s.status }}", "{{ s.consequence }}"]],
        loop="s in steps",
    )
    document.add_paragraph("{%p if later %}")
    add_heading(document, "Échéances suivantes", 1)
    document.add_paragraph(
        "Dates au plus tard, chaque étape prenant tout son délai (une étape faite plus tôt avance "
        "les suivantes)."
    )
    add_table(
        document,
        [
            Column("Date", 2.4),
            Column("Étape", 7.4),
            Column("Qui", 2.4),
            Column("Si le délai est manqué", 5.4),
        ],
        [["{{ s.due }}", "{{ s.label }}", "{{ s.by }}", "{{ s.consequence }}"]],
        loop="s in later",
    )
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if warnings %}")
    add_heading(document, "Points d'attention", 1)
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p for w in warnings %}")
    document.add_paragraph("{{ w }}", style=document.styles["List Bullet"])
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph(
        "Un délai qui expire un samedi, un dimanche ou un jour férié est prolongé jusqu'au "
        "premier jour ouvrable qui suit (CCAG-Travaux 2021, art. 3.2)."
    )
    document.add_paragraph(
        "Veuillez agréer, Madame, Monsieur, l'expression de nos salutations distinguées."
    )
    document.add_paragraph(
        "Pour le maître d'ouvrage, {{ buyer }}, le représentant du pouvoir adjudicateur"
    )
    document.add_paragraph("")
    document.add_paragraph("Références : {{ references }}", style=document.styles["Mention"])
    document.save(str(target))
    return target


if __name__ == "__main__":
    sys.stdout.write(f"{build()}\n")
