"""Build ``travaux_os.docx``, an ordre de service of a works contract (CCAG-Travaux 2021,
art. 3.8), run once after a change:

    .venv/bin/python src/openamo/documents/templates/travaux_os_build.py

Each Jinja tag sits in a single run so that docxtpl finds it whole.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH

from openamo.documents.layout import LETTER_HEADINGS, add_heading, new_document

TEMPLATE = Path(__file__).with_name("travaux_os.docx")


def build(target: Path = TEMPLATE) -> Path:
    document = new_document(heading_format=LETTER_HEADINGS)
    document.add_paragraph("{{ buyer }}").runs[0].bold = True
    document.add_paragraph("À l'attention de {{ holder }}")
    document.add_paragraph("ORDRE DE SERVICE N° {{ number }}", style=document.styles["Title"])
    document.add_paragraph("{{ contract }}", style=document.styles["Subtitle"])
    document.add_paragraph("{{ lot }}", style=document.styles["Mention"])
    add_heading(document, "Objet et nature", 1)
    nature = document.add_paragraph(
        "Objet : {{ subject }}\nNature : {{ kind }}\nDate d'effet : {{ effective_on }}"
    )
    nature.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT  # lines broken, not justified
    document.add_paragraph("{%p if description %}")
    add_heading(document, "Prescriptions", 1)
    document.add_paragraph("{{ description }}")
    document.add_paragraph("{%p endif %}")
    add_heading(document, "Effets de l'ordre", 1)
    document.add_paragraph("{{ effect }}")
    document.add_paragraph(
        "Le titulaire se conforme strictement au présent ordre, qu'il fasse ou non l'objet de "
        "réserves de sa part. S'il estime que ses prescriptions appellent des réserves, il les "
        "notifie au maître d'œuvre dans un délai de {{ reserves_days }} jours à compter de sa "
        "réception, sous peine de forclusion ({{ reserves_reference }})."
    )
    document.add_paragraph(
        "Il n'est pas tenu d'exécuter un ordre qui présente un risque pour la sécurité ou la "
        "santé, ou qui contrevient à une disposition législative ou réglementaire, s'il l'a "
        "signalé par des observations motivées et que le maître d'ouvrage n'y a pas répondu dans "
        "les {{ answer_days }} jours ({{ reserves_reference }})."
    )
    add_heading(document, "Émission", 1)
    document.add_paragraph(
        "Ordre de service daté, numéroté et notifié au titulaire le {{ issued_on }} par le "
        "maître d'ouvrage, {{ buyer }} (CCAG-Travaux 2021, art. 3.8.1)."
    )
    document.add_paragraph(
        "Pour le maître d'ouvrage{% if signatory %}, {{ signatory }}{% endif %} — signature :"
    )
    document.add_paragraph("")
    add_heading(document, "Accusé de réception du titulaire", 1)
    document.add_paragraph(
        "Reçu le {{ received_on }} par {{ holder }}, qui en accuse réception datée."
    )
    document.add_paragraph("{%p if reserves_due %}")
    document.add_paragraph("Réserves éventuelles à notifier au plus tard le {{ reserves_due }}.")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if followup %}")
    document.add_paragraph("{{ followup }}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("Signature du titulaire :")
    document.add_paragraph("")
    document.add_paragraph("Références : {{ references }}", style=document.styles["Mention"])
    document.save(str(target))
    return target


if __name__ == "__main__":
    sys.stdout.write(f"{build()}\n")
