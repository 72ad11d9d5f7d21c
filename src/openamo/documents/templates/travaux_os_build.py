"""Build ``travaux_os.docx``, an ordre de service of a works contract (CCAG-Travaux 2021,
art. 3.8), run once after a change:

    .venv/bin/python src/openamo/documents/templates/travaux_os_build.py

Each Jinja tag sits in a single run so that docxtpl finds it whole.
"""

from __future__ import annotations

import sys
from pathlib import Path

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
    document.add_paragraph("Objet : {{ subject }}")
    document.add_paragraph("Nature : {{ kind }}")
    document.add_paragraph("Date d'effet : {{ effective_on }}")
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
    add_heading(document, "Émission", 1)
    document.add_paragraph("Émis le {{ issued_on }} par le maître d'œuvre pour {{ buyer }}.")
    document.add_paragraph("Signature :")
    document.add_paragraph("")
    add_heading(document, "Accusé de réception du titulaire", 1)
    document.add_paragraph("Reçu le {{ received_on }} par {{ holder }}.")
    document.add_paragraph("{%p if reserves_due %}")
    document.add_paragraph("Réserves éventuelles à notifier au plus tard le {{ reserves_due }}.")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("Signature du titulaire :")
    document.add_paragraph("")
    document.add_paragraph("Références : {{ references }}", style=document.styles["Mention"])
    document.save(str(target))
    return target


if __name__ == "__main__":
    sys.stdout.write(f"{build()}\n")
