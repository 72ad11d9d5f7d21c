"""Build ``travaux_moe.docx``, the elements of the règlement de la consultation and of the CCAP of
the MOE contract that follow from the rules (CCP R2172-2 ff., L2431-1 ff., R2432-1 ff.), run once
after a change:

    .venv/bin/python src/openamo/documents/templates/travaux_moe_build.py

Each Jinja tag sits in a single run so that docxtpl finds it whole.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openamo.documents.layout import MISSING_STYLE, add_heading, new_document

TEMPLATE = Path(__file__).with_name("travaux_moe.docx")


def _bullets(document: object, loop: str, item: str) -> None:
    document.add_paragraph(f"{{%p for {loop} %}}")  # type: ignore[attr-defined]
    document.add_paragraph(item, style=document.styles["List Bullet"])  # type: ignore[attr-defined]
    document.add_paragraph("{%p endfor %}")  # type: ignore[attr-defined]


def build(target: Path = TEMPLATE) -> Path:
    document = new_document()
    document.add_paragraph("{{ buyer }}").runs[0].bold = True
    document.add_paragraph("MARCHÉ DE MAÎTRISE D'ŒUVRE", style=document.styles["Title"])
    document.add_paragraph("{{ title }}", style=document.styles["Subtitle"])
    document.add_paragraph(
        "Éléments à reprendre dans le règlement de la consultation et le cahier des clauses "
        "administratives particulières — établis le {{ date }}",
        style=document.styles["Mention"],
    )
    add_heading(document, "Règlement de la consultation", 1)
    add_heading(document, "Procédure", 2)
    document.add_paragraph("Ouvrage : {{ work_kind }}. Valeur estimée du marché : {{ fee }} HT.")
    document.add_paragraph("Procédure retenue : {{ procedure }}.")
    document.add_paragraph("{%p for line in explanation %}")
    document.add_paragraph("{{ line }}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p if exception %}")
    document.add_paragraph("Motif pour lequel le concours n'est pas obligatoire : {{ exception }}.")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if prime %}")
    add_heading(document, "Prestations demandées et prime", 2)
    document.add_paragraph(
        "Chaque candidat ayant remis des prestations conformes reçoit une prime d'au moins "
        "{{ prime }} HT ({{ primes_total }} HT pour l'ensemble des candidats admis)."
    )
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if contest_optional %}")
    document.add_paragraph(
        "Le concours n'est pas obligatoire pour ce marché ; le maître d'ouvrage peut néanmoins le "
        "retenir : il se déroule alors comme suit (CCP R2162-15 et suivants)."
    )
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if jury %}")
    add_heading(document, "{{ jury_heading }}", 2)
    document.add_paragraph("{%p endif %}")
    _bullets(document, "item in jury", "{{ item }}")
    document.add_paragraph("{%p if steps %}")
    add_heading(document, "{{ steps_heading }}", 2)
    document.add_paragraph("{%p endif %}")
    _bullets(document, "item in steps", "{{ item }}")
    add_heading(document, "Cahier des clauses administratives particulières", 1)
    add_heading(document, "Mission", 2)
    document.add_paragraph(
        "Le maître d'œuvre exécute les éléments de mission suivants (CCP L2431-1 et R2431-1 et "
        "suivants) :"
    )
    _bullets(document, "item in mission", "{{ item }}")
    add_heading(document, "Programme et enveloppe", 2)
    document.add_paragraph(
        "Le programme et l'enveloppe financière prévisionnelle du maître d'ouvrage sont joints ; "
        "la part affectée aux travaux en vigueur est de {{ envelope }} HT (CCP L2421-2 et L2421-3)."
    )
    add_heading(document, "Rémunération et engagement sur le coût des travaux", 2)
    document.add_paragraph(
        "Rémunération forfaitaire provisoire de {{ fee }} HT, rendue définitive sur le coût "
        "prévisionnel des travaux sur lequel le maître d'œuvre s'engage à l'issue de l'avant-"
        "projet définitif (CCP L2432-1, R2432-6 et R2432-2)."
    )
    document.add_paragraph(
        "Seuil de tolérance sur ce coût après la consultation des entreprises : ……… % (à fixer "
        "par le maître d'ouvrage) ; au-delà, le maître d'œuvre reprend ses études sans "
        "rémunération supplémentaire (CCP R2432-3).",
        style=document.styles[MISSING_STYLE],  # the buyer's figure, highlighted until written
    )
    document.add_paragraph(
        "Seuil de tolérance sur le coût réalisé : ……… % (à fixer) ; au-delà, la rémunération est "
        "réduite dans la limite de {{ cap }} de la rémunération des éléments de mission "
        "postérieurs à l'attribution des marchés de travaux (VISA, DET, AOR…).",
        style=document.styles[MISSING_STYLE],
    )
    document.add_paragraph("Références : {{ references }}", style=document.styles["Mention"])
    document.save(str(target))
    return target


if __name__ == "__main__":
    sys.stdout.write(f"{build()}\n")
