"""Build ``rapport_pilotage.docx``, the docxtpl template of the steering committee's report
(run once after a change):

    .venv/bin/python src/openamo/documents/templates/rapport_pilotage_build.py

Same content as ``rapport_pilotage.html`` (the PDF). Each Jinja tag is written in a single run
so that docxtpl finds it whole; ``{%tr … %}`` repeats table rows, ``{%p … %}`` paragraphs. The
context is built by the web layer (``openamo.web.steering.exports.report_context``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from docx import Document
from docx.shared import Pt

TEMPLATE = Path(__file__).with_name("rapport_pilotage.docx")


def _row(table: Any, index: int, texts: list[str], bold: bool = False) -> None:
    for cell, text in zip(table.rows[index].cells, texts, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = bold


def _loop_table(document: Any, header: list[str], loop: str, cells: list[str]) -> None:
    """A table whose middle row repeats for each item of ``loop`` (``x in items``)."""
    table = document.add_table(rows=4, cols=len(header))
    table.style = "Table Grid"
    blank = [""] * (len(header) - 1)
    _row(table, 0, header, bold=True)
    _row(table, 1, ["{%tr for " + loop + " %}", *blank])
    _row(table, 2, cells)
    _row(table, 3, ["{%tr endfor %}", *blank])


def _pairs_table(document: Any, rows: list[tuple[str, str, str, str]]) -> None:
    table = document.add_table(rows=len(rows), cols=4)
    table.style = "Table Grid"
    for index, texts in enumerate(rows):
        _row(table, index, list(texts))


def _bullets(document: Any, loop: str, item: str) -> None:
    document.add_paragraph("{%p for " + loop + " %}")
    document.add_paragraph(item, style="List Bullet")
    document.add_paragraph("{%p endfor %}")


def _summary(document: Any) -> None:
    document.add_heading("1. Synthèse", level=1)
    _pairs_table(
        document,
        [
            ("Budget de référence HT", "{{ budget }}", "Marge ({{ margin_rate }})", "{{ margin }}"),
            (
                "Plafond (budget + marge)",
                "{{ ceiling }}",
                "Marge restante",
                "{{ drift.remaining }}",
            ),
            (
                "Dérive budgétaire (acceptée)",
                "{{ drift.budget_drift }}",
                "Marge consommée",
                "{{ drift.consumed }} ({{ drift.alert }})",
            ),
            (
                "Dérive projetée",
                "{{ drift.projected_drift }}",
                "Alerte projetée",
                "{{ drift.projected_alert }}",
            ),
            (
                "Mise en service prévue (base)",
                "{{ go_live_planned }}",
                "Prévision",
                "{{ go_live_forecast }} ({{ slip }}, {{ schedule_alert }})",
            ),
        ],
    )
    _bullets(document, "a in alerts", "{{ a }}")
    document.add_paragraph("{%p if framing %}")
    document.add_paragraph(
        "Cadrage : score de complétude {{ framing.score }}/100, risque {{ framing.risk }}."
    )
    document.add_paragraph("{%p endif %}")


def _changes(document: Any) -> None:
    document.add_heading("2. Décisions attendues du comité", level=1)
    document.add_paragraph("{%p if pending %}")
    _loop_table(
        document,
        ["Demande", "Coût HT", "Délai", "Valeur", "Justification"],
        "c in pending",
        [
            "{{ c.code }} — {{ c.title }}",
            "{{ c.cost }}",
            "{{ c.delay }}",
            "{{ c.value }}",
            "{{ c.justification }}",
        ],
    )
    document.add_paragraph("{%p else %}")
    document.add_paragraph("Aucune demande d'évolution n'attend de décision.")
    document.add_paragraph("{%p endif %}")

    document.add_heading("3. Demandes d'évolution", level=1)
    document.add_paragraph(
        "{{ drift.accepted }} acceptée(s) pour {{ drift.accepted_cost }}, {{ drift.pending }} en "
        "attente pour {{ drift.pending_cost }}, {{ drift.refused }} refusée(s). Périmètre : "
        "{{ drift.scope_drift }} de fonctionnalités en plus (net), {{ drift.scope_changes }} "
        "touchées."
    )
    _loop_table(
        document,
        ["Demande", "Demandée le", "Coût HT", "Délai", "Valeur", "Décision", "Décidée le"],
        "c in changes",
        [
            "{{ c.code }} — {{ c.title }}",
            "{{ c.requested_on }}",
            "{{ c.cost }}",
            "{{ c.delay }}",
            "{{ c.value }}",
            "{{ c.decision }}",
            "{{ c.decided_on }}",
        ],
    )
    _bullets(document, "w in warnings", "{{ w }}")


def _follow_up(document: Any) -> None:
    document.add_heading("4. Planning", level=1)
    _loop_table(
        document,
        ["Jalon", "Prévu (base)", "Prévision", "Glissement", "État"],
        "m in milestones",
        ["{{ m.name }}", "{{ m.planned }}", "{{ m.forecast }}", "{{ m.slip }}", "{{ m.status }}"],
    )
    document.add_heading("5. Indicateurs", level=1)
    _loop_table(
        document,
        ["Indicateur", "Dernière mesure", "Le", "Cible", "État"],
        "k in kpis",
        ["{{ k.name }}", "{{ k.latest }}", "{{ k.latest_on }}", "{{ k.target }}", "{{ k.status }}"],
    )
    document.add_heading("6. Registre des risques", level=1)
    _loop_table(
        document,
        ["Risque", "P", "I", "Criticité", "Responsable", "Statut", "Mesures"],
        "r in risks",
        [
            "{{ r.title }}",
            "{{ r.probability }}",
            "{{ r.impact }}",
            "{{ r.score }}/25 {{ r.level }}",
            "{{ r.owner }}",
            "{{ r.status }}",
            "{{ r.mitigation }}",
        ],
    )


def _roi(document: Any) -> None:
    document.add_paragraph("{%p if roi %}")
    document.add_heading("7. Coût de la dérive avec et sans AMO", level=1)
    document.add_paragraph(
        "Simulation du {{ roi.simulated_on }} ({% if roi.monte_carlo %}Monte-Carlo, {{ roi.runs }}"
        " tirages, graine {{ roi.seed }}{% else %}déterministe{% endif %})."
    )
    _pairs_table(
        document,
        [
            (
                "Coût final attendu sans AMO",
                "{{ roi.cost_without }}",
                "Avec AMO (honoraires exclus)",
                "{{ roi.cost_with }}",
            ),
            ("Économie", "{{ roi.savings }}", "Coût de l'AMO", "{{ roi.amo_cost }}"),
            (
                "Dérive évitée par euro d'AMO",
                "{{ roi.ratio }} €",
                "Gain net",
                "{{ roi.net_savings }}",
            ),
            (
                "Probabilité de dépasser {{ roi.ceiling }} sans AMO",
                "{{ roi.probability_without }}",
                "Avec AMO",
                "{{ roi.probability_with }}",
            ),
        ],
    )
    _bullets(
        document,
        "row in roi.percentile_rows",
        "{{ row[0] }} : P10 {{ row[1] }}, P50 {{ row[2] }}, P90 {{ row[3] }}",
    )
    document.add_paragraph("{%p endif %}")


def build(target: Path = TEMPLATE) -> Path:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10)
    document.core_properties.title = "Rapport de pilotage du projet informatique"
    document.core_properties.author = "OpenAMO"

    document.add_heading("Rapport de pilotage du projet informatique", level=0)
    document.add_paragraph("{{ buyer }} — {{ project }}")
    document.add_paragraph(
        "Situation au {{ as_of }} : {{ overall_alert }}. Rapport établi par {{ author }} le "
        "{{ generated_on }} pour le comité de pilotage."
    )
    _summary(document)
    _changes(document)
    _follow_up(document)
    document.add_paragraph("{%p if framing and framing.clauses %}")
    document.add_paragraph("Clauses à prévoir au marché :")
    _bullets(document, "c in framing.clauses", "{{ c }}")
    document.add_paragraph("{%p endif %}")
    _roi(document)

    document.add_heading("Explication", level=1)
    _bullets(document, "line in explanation", "{{ line }}")
    document.add_heading("Décision", level=1)
    document.add_paragraph(
        "L'assistant à maîtrise d'ouvrage conseille ; le maître d'ouvrage décide. Décisions du "
        "comité de pilotage du …… / …… / ………… :"
    )
    document.add_paragraph("Signature du maître d'ouvrage :")
    document.add_heading("Sources et références", level=1)
    _bullets(document, "reference in references", "{{ reference }}")
    document.add_paragraph(
        "Document généré par OpenAMO — les chiffres de référence sont des ordres de grandeur "
        "publiés, à remplacer par les données du projet."
    )
    document.save(str(target))
    return target


if __name__ == "__main__":
    sys.stdout.write(f"{build()}\n")
