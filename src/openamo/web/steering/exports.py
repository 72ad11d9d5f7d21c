"""The steering committee's report (PDF or DOCX): the domain's dashboard, put on paper.

The figures come from ``openamo.steering.steering_report`` (drift, schedule, risks, KPIs), the
framing assessment and the last cost-of-drift simulation; the templates are files of
``openamo.documents`` (``rapport_pilotage.html`` for PDF, ``rapport_pilotage.docx``), filled by
its renderers.
"""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path
from typing import Any

from django.utils.text import slugify

from openamo.documents import PageHeader, Properties, render_docx, render_pdf
from openamo.steering import SteeringReport
from openamo.web.steering.models import ChangeRequest, Framing, RoiSimulation
from openamo.web.steering.presenters import (
    MILESTONE_LABELS,
    RISK_STATUS_LABELS,
    day,
    drift_view,
    euros,
    fraction,
    number,
    percent,
    roi_view,
)

FORMATS = {
    "pdf": ("rapport_pilotage.html", "application/pdf"),
    "docx": (
        "rapport_pilotage.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}


def filename(project: str, as_of: datetime.date, fmt: str) -> str:
    return f"rapport-de-pilotage-{slugify(project)[:60]}-{as_of:%Y-%m-%d}.{fmt}"


def render(fmt: str, context: dict[str, Any]) -> bytes:
    template, _ = FORMATS[fmt]
    with tempfile.TemporaryDirectory(prefix="openamo-") as folder:
        out = Path(folder) / f"rapport.{fmt}"
        if fmt == "pdf":
            render_pdf(template, context, out)
        else:
            render_docx(
                template,
                context,
                out,
                header=PageHeader(
                    buyer=context["buyer"],
                    reference=f"Situation au {context['as_of']}",
                    object=context["project"],
                    name="Rapport du comité de pilotage",
                ),
                properties=Properties(
                    title=f"Rapport du comité de pilotage — {context['project']}",
                    subject=context["project"],
                    author=context["buyer"],
                    category="Pilotage de projet informatique",
                    references=context["references"],
                ),
            )
        return out.read_bytes()


def report_context(
    report: SteeringReport,
    *,
    buyer: str,
    author: str,
    framing: Framing | None,
    changes: list[ChangeRequest],
    simulation: RoiSimulation | None,
    generated_on: datetime.date,
) -> dict[str, Any]:
    s = report.schedule
    summary = report.baseline_summary
    return {
        "buyer": buyer,
        "project": report.project,
        "as_of": day(report.as_of),
        "generated_on": day(generated_on),
        "author": author,
        "overall_alert": report.overall_alert.label,
        "budget": euros(summary.budget_ht),
        "margin_rate": fraction(summary.margin_rate),
        "margin": euros(summary.margin_ht),
        "ceiling": euros(summary.budget_with_margin_ht),
        "go_live_planned": day(s.go_live_planned_on),
        "go_live_forecast": day(s.go_live_forecast_on),
        "slip": f"{s.go_live_slip_days} jours" if s.go_live_slip_days is not None else "—",
        "slip_percent": percent(s.slip_percent),
        "schedule_alert": s.alert.label,
        "framing": _framing(framing),
        "drift": drift_view(report),
        "changes": [_change(c) for c in changes],
        "pending": [_change(c) for c in changes if c.is_pending],
        "milestones": [
            {
                "name": m.name,
                "planned": day(m.planned_on),
                "forecast": day(m.forecast_on),
                "slip": f"{m.slip_days:+d} j",
                "status": MILESTONE_LABELS[m.status],
            }
            for m in s.milestones
        ],
        "risks": [
            {
                "title": r.title,
                "probability": r.probability,
                "impact": r.impact,
                "score": r.score,
                "level": r.level.label,
                "owner": r.owner,
                "status": RISK_STATUS_LABELS[r.status],
                "mitigation": " ; ".join(r.mitigation),
            }
            for r in report.risks
        ],
        "kpis": [
            {
                "name": k.name,
                "latest": "—" if k.latest_value is None else f"{number(k.latest_value)} {k.unit}",
                "latest_on": day(k.latest_on),
                "target": f"{number(k.target_value)} {k.unit}",
                "status": k.status.label,
            }
            for k in report.kpis
        ],
        "roi": _roi(simulation),
        "alerts": report.alerts,
        "warnings": report.warnings,
        "explanation": report.explanation.splitlines(),
        "references": report.references,
    }


def _framing(framing: Framing | None) -> dict[str, Any] | None:
    if framing is None or not framing.result:
        return None
    result = framing.result
    return {
        "score": number(result["completeness_score"], 1),
        "risk": framing.get_risk_level_display(),
        "missing": result.get("missing_answers", []),
        "clauses": result.get("contract_clauses", []),
    }


def _change(c: ChangeRequest) -> dict[str, str]:
    return {
        "code": c.code,
        "title": c.title,
        "requested_on": day(c.requested_on),
        "cost": euros(c.cost_ht),
        "delay": f"{c.delay_days} j",
        "value": c.get_value_display().lower(),
        "decision": c.get_decision_display(),
        "decided_on": day(c.decided_on),
        "justification": c.justification,
    }


def _roi(simulation: RoiSimulation | None) -> dict[str, Any] | None:
    if simulation is None:
        return None
    view = roi_view(simulation.result)
    view["simulated_on"] = day(simulation.created_at.date())
    view["percentile_rows"] = (
        [[cell["text"] for cell in row] for row in view["percentiles"]["rows"]]
        if view["percentiles"]
        else []
    )
    return view
