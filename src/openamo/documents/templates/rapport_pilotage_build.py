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

from openamo.documents.layout import Column, add_heading, add_table, new_document

TEMPLATE = Path(__file__).with_name("rapport_pilotage.docx")


def _loop_table(
    document: Any, header: list[tuple[str, float, str]], loop: str, cells: list[str]
) -> None:
    """A table whose row repeats for each item of ``loop`` (``x in items``), with fixed widths
    (in centimetres) and alignments."""
    add_table(document, [Column(*spec) for spec in header], [cells], loop=loop)  # type: ignore[arg-type]


PAIRS = [
    Column("", 4.6),
    Column("", 3.9, "right"),
    Column("", 4.6),
    Column("", 3.9, "right"),
]


def _pairs_table(document: Any, rows: list[tuple[str, str, str, str]]) -> None:
    add_table(document, PAIRS, [list(row) for row in rows], header=False)


def _bullets(document: Any, loop: str, item: str) -> None:
    document.add_paragraph("{%p for " + loop + " %}")
    document.add_paragraph(item, style="List Bullet")
    document.add_paragraph("{%p endfor %}")


def _summary(document: Any) -> None:
    add_heading(document, "Synthèse", 1)
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
    add_heading(document, "Décisions attendues du comité", 1)
    document.add_paragraph("{%p if pending %}")
    _loop_table(
        document,
        [
            ("Demande", 5.0, "left"),
            ("Coût HT", 2.6, "right"),
            ("Délai", 1.5, "right"),
            ("Valeur", 2.0, "left"),
            ("Justification", 5.9, "left"),
        ],
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

    add_heading(document, "Demandes d'évolution", 1)
    document.add_paragraph(
        "{{ drift.accepted_count }} pour {{ drift.accepted_cost }}, {{ drift.pending }} en "
        "attente pour {{ drift.pending_cost }}, {{ drift.refused_count }}. Périmètre : "
        "{{ drift.scope_drift }} de fonctionnalités en plus (net), {{ drift.scope_changes }} "
        "touchées."
    )
    _loop_table(
        document,
        [
            ("Demande", 4.2, "left"),
            ("Demandée le", 2.0, "left"),
            ("Coût HT", 2.4, "right"),
            ("Délai", 1.3, "right"),
            ("Valeur", 2.0, "left"),
            ("Décision", 2.9, "left"),
            ("Décidée le", 2.2, "left"),
        ],
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
    add_heading(document, "Planning", 1)
    _loop_table(
        document,
        [
            ("Jalon", 6.0, "left"),
            ("Prévu (base)", 2.7, "left"),
            ("Prévision", 2.7, "left"),
            ("Glissement", 2.4, "right"),
            ("État", 3.2, "left"),
        ],
        "m in milestones",
        ["{{ m.name }}", "{{ m.planned }}", "{{ m.forecast }}", "{{ m.slip }}", "{{ m.status }}"],
    )
    add_heading(document, "Indicateurs", 1)
    _loop_table(
        document,
        [
            ("Indicateur", 5.5, "left"),
            ("Dernière mesure", 3.0, "right"),
            ("Le", 2.5, "left"),
            ("Cible", 3.0, "right"),
            ("État", 3.0, "left"),
        ],
        "k in kpis",
        ["{{ k.name }}", "{{ k.latest }}", "{{ k.latest_on }}", "{{ k.target }}", "{{ k.status }}"],
    )
    add_heading(document, "Registre des risques", 1)
    _loop_table(
        document,
        [
            ("Risque", 4.0, "left"),
            ("P", 0.8, "center"),
            ("I", 0.8, "center"),
            ("Criticité", 2.2, "left"),
            ("Responsable", 2.4, "left"),
            ("Statut", 2.0, "left"),
            ("Mesures", 4.8, "left"),
        ],
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
    add_heading(document, "Coût de la dérive avec et sans AMO", 1)
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
    document = new_document()
    document.add_paragraph(
        "Rapport de pilotage du projet informatique", style=document.styles["Title"]
    )
    document.add_paragraph("{{ buyer }} — {{ project }}", style=document.styles["Subtitle"])
    document.add_paragraph(
        "Situation au {{ as_of }} : {{ overall_alert }}. Rapport établi le {{ generated_on }} par "
        "{{ author }}, pour le comité de pilotage."
    )
    _summary(document)
    _changes(document)
    _follow_up(document)
    document.add_paragraph("{%p if framing and framing.clauses %}")
    document.add_paragraph("Clauses à prévoir au marché :")
    _bullets(document, "c in framing.clauses", "{{ c }}")
    document.add_paragraph("{%p endif %}")
    _roi(document)

    add_heading(document, "Explication", 1)
    _bullets(document, "line in explanation", "{{ line }}")
    add_heading(document, "Décision", 1)
    document.add_paragraph(
        "L'assistant à maîtrise d'ouvrage conseille ; le maître d'ouvrage décide. Décisions du "
        "comité de pilotage du …… / …… / ………… :"
    )
    document.add_paragraph("Signature du maître d'ouvrage :")
    document.save(str(target))
    return target


if __name__ == "__main__":
    sys.stdout.write(f"{build()}\n")
