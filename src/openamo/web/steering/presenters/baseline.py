"""The baseline: its features, milestones, KPIs and summary."""

from __future__ import annotations

from openamo import steering
from openamo.steering import BaselineSummary
from openamo.web.steering.presenters.labels import (
    day,
    direction_label,
    euros,
    fraction,
    measure,
)
from openamo.web.tables import Cell, Table


def features_table(baseline: steering.Baseline) -> Table:
    rows: list[list[Cell]] = [
        [
            {"text": f.name},
            {"text": f.priority.label},
            {"text": euros(f.estimated_cost_ht)},
        ]
        for f in baseline.features
    ]
    return {"header": ["Fonctionnalité", "Priorité", "Coût estimé HT"], "rows": rows}


def baseline_milestones_table(baseline: steering.Baseline) -> Table:
    rows: list[list[Cell]] = [
        [{"text": m.name}, {"text": day(m.planned_on)}] for m in baseline.milestones
    ]
    return {"header": ["Jalon", "Date prévue"], "rows": rows}


def baseline_kpis_table(baseline: steering.Baseline) -> Table:
    rows: list[list[Cell]] = [
        [
            {"text": k.name + (" (adoption)" if k.is_adoption else "")},
            {"text": measure(k.baseline_value, k.unit)},
            {"text": measure(k.target_value, k.unit)},
            {"text": f"à la {direction_label(k.direction)}"},
            {"text": day(k.due_on)},
        ]
        for k in baseline.kpis
    ]
    header = ["Indicateur", "Valeur de départ", "Cible", "Sens attendu", "Échéance"]
    return {"header": header, "rows": rows}


def baseline_summary(summary: BaselineSummary) -> dict[str, str]:
    share = summary.indispensable_share
    return {
        "budget": euros(summary.budget_ht),
        "margin_rate": fraction(summary.margin_rate),
        "margin": euros(summary.margin_ht),
        "ceiling": euros(summary.budget_with_margin_ht),
        "features": str(summary.features_in_scope),
        "features_cost": euros(summary.features_cost_ht),
        "indispensable_share": fraction(share, 0) if share is not None else "—",
        "go_live": day(summary.go_live_on),
    }
