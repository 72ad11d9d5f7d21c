"""The steering committee's report of an IT project (DOCX from ``rapport_pilotage.docx``, PDF
from ``rapport_pilotage.html``): synthesis, decisions awaited, change requests and drift,
schedule, KPIs, risk register and, when one was run, the cost of drift with and without AMO.

The figures are the domain's: :func:`openamo.steering.report.steering_report` (drift, schedule,
risks, KPIs), :func:`openamo.steering.framing.assess_framing` and
:func:`openamo.steering.roi.compute_roi`. The web passes what it stored, typed
(:class:`SteeringDocument`); ``amo projet rapport`` passes the inputs of ``amo projet pilotage``,
``cadrage`` and ``roi`` (:class:`SteeringDocumentInput`), computed here.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from openamo.documents.dce import GeneratedDocuments
from openamo.documents.finish import Properties
from openamo.documents.render import PageHeader, render_docx, render_pdf
from openamo.errors import OpenAMOError
from openamo.money import format_euros
from openamo.steering.changes import ChangeRequest
from openamo.steering.enums import AnswerStatus, ChangeValue, Decision, RiskStatus
from openamo.steering.framing import FramingInput, FramingResult, assess_framing
from openamo.steering.report import SteeringInput, SteeringReport, steering_report
from openamo.steering.roi import RoiInput, RoiResult, compute_roi
from openamo.validation import InputModel, parse_input
from openamo.wording import count

DOCX_TEMPLATE = "rapport_pilotage.docx"
HTML_TEMPLATE = "rapport_pilotage.html"
DOCUMENT_NAME = "Rapport du comité de pilotage"
Format = Literal["docx", "pdf"]

RISK_STATUS_LABELS = {
    RiskStatus.OUVERT: "ouvert",
    RiskStatus.EN_TRAITEMENT: "en traitement",
    RiskStatus.CLOS: "clos",
}
VALUE_LABELS = {
    ChangeValue.FORTE: "forte",
    ChangeValue.MOYENNE: "moyenne",
    ChangeValue.FAIBLE: "faible",
    ChangeValue.NULLE: "nulle",
}
PERCENTILE_LABELS = {
    "cost_without_amo_ht": "Coût final sans AMO",
    "cost_with_amo_ht": "Coût final avec AMO (honoraires exclus)",
    "savings_ht": "Économie",
}


@dataclass(frozen=True)
class SteeringDocument:
    """What the report shows, as the domain computed it (the web's stored results, typed)."""

    report: SteeringReport
    buyer: str
    author: str
    generated_on: dt.date
    changes: Sequence[ChangeRequest] = ()
    framing: FramingResult | None = None
    roi: RoiResult | None = None
    roi_simulated_on: dt.date | None = None


class SteeringReportInfo(InputModel):
    buyer_name: str = Field(min_length=1, max_length=300)
    author: str = Field(default="l'assistant à maîtrise d'ouvrage", min_length=1, max_length=200)
    generated_on: dt.date | None = None
    """Day the report is written; the dashboard's date (``pilotage.as_of``) when absent."""


class SteeringDocumentInput(InputModel):
    """Input of ``amo projet rapport``: the heading, then the inputs of ``amo projet pilotage``
    and, optionally, of ``amo projet cadrage`` and ``amo projet roi``."""

    report: SteeringReportInfo
    pilotage: SteeringInput
    cadrage: FramingInput | None = None
    roi: RoiInput | None = None

    @model_validator(mode="after")
    def _written_after_the_situation(self) -> SteeringDocumentInput:
        written = self.report.generated_on
        if written is not None and written < self.pilotage.as_of:
            raise ValueError(
                "le rapport ne peut pas être écrit avant la date de la situation qu'il présente"
            )
        return self


def steering_document_from_input(data: SteeringDocumentInput) -> SteeringDocument:
    """Compute the dashboard, the framing assessment and the simulation the report shows."""
    framing = assess_framing(data.cadrage) if data.cadrage is not None else None
    steering = data.pilotage
    if framing is not None and steering.framing is None:
        # The framing's answers lower the pre-filled risks, as on the web.
        statuses = {q.id: AnswerStatus(q.status) for q in framing.questions}
        steering = steering.model_copy(update={"framing": statuses})
    written = data.report.generated_on or steering.as_of
    return SteeringDocument(
        report=steering_report(steering),
        buyer=data.report.buyer_name,
        author=data.report.author,
        generated_on=written,
        changes=steering.change_requests,
        framing=framing,
        roi=compute_roi(data.roi) if data.roi is not None else None,
        roi_simulated_on=written if data.roi is not None else None,
    )


def write_steering_report_from_dict(data: Any, out: str | Path) -> GeneratedDocuments:
    """``amo projet rapport``: validate, compute, write ``out`` (.docx or .pdf)."""
    document = steering_document_from_input(parse_input(SteeringDocumentInput, data))
    path = Path(out)
    write_steering_report(document, path)
    report = document.report
    return GeneratedDocuments(
        files=[str(path)],
        warnings=[*report.warnings, *(document.roi.warnings if document.roi else [])],
        references=_references(document),
        explanation=(
            f"{DOCUMENT_NAME} écrit dans {path} : situation au {_day(report.as_of)}, "
            f"{report.overall_alert.label}. " + report.explanation.splitlines()[0]
        ),
    )


def write_steering_report(document: SteeringDocument, out: Path) -> Path:
    fmt = _format_of(out)
    context = report_context(document)
    try:
        if fmt == "pdf":
            return render_pdf(HTML_TEMPLATE, context, out)
        return render_docx(
            DOCX_TEMPLATE,
            context,
            out,
            header=PageHeader(
                buyer=document.buyer,
                reference=f"Situation au {context['as_of']}",
                object=document.report.project,
                name=DOCUMENT_NAME,
            ),
            properties=Properties(
                title=f"{DOCUMENT_NAME} — {document.report.project}",
                subject=document.report.project,
                author=document.buyer,
                category="Pilotage de projet informatique",
                references=context["references"],
            ),
        )
    except OSError as exc:
        raise OpenAMOError(
            f"Écriture impossible de « {out} » : {exc.strerror or exc}.", code="io"
        ) from None


def steering_report_bytes(document: SteeringDocument, fmt: str) -> bytes:
    """The report as the bytes of a download (the web): ``fmt`` is ``docx`` or ``pdf``."""
    with tempfile.TemporaryDirectory(prefix="openamo-") as folder:
        out = Path(folder) / f"rapport.{fmt}"
        write_steering_report(document, out)
        return out.read_bytes()


def _format_of(out: Path) -> Format:
    suffix = out.suffix.lower()
    if suffix == ".docx":
        return "docx"
    if suffix == ".pdf":
        return "pdf"
    raise OpenAMOError(
        "Le rapport du comité de pilotage est produit en .docx ou en .pdf (option --out).",
        code="format",
    )


def _references(document: SteeringDocument) -> list[str]:
    references = list(document.report.references)
    for extra in (document.framing, document.roi):
        if extra is not None:
            references += [r for r in extra.references if r not in references]
    return references


# --- Context: everything the templates show, already in French --------------------------------


def report_context(document: SteeringDocument) -> dict[str, Any]:
    report = document.report
    s = report.schedule
    summary = report.baseline_summary
    changes = [_change(c) for c in document.changes]
    return {
        "buyer": document.buyer,
        "project": _without_buyer(report.project, document.buyer),
        "as_of": _day(report.as_of),
        "generated_on": _day(document.generated_on),
        "author": document.author,
        "overall_alert": report.overall_alert.label,
        "budget": format_euros(summary.budget_ht),
        "margin_rate": _fraction(summary.margin_rate),
        "margin": format_euros(summary.margin_ht),
        "ceiling": format_euros(summary.budget_with_margin_ht),
        "go_live_planned": _day(s.go_live_planned_on),
        "go_live_forecast": _day(s.go_live_forecast_on),
        "slip": f"{s.go_live_slip_days} jours" if s.go_live_slip_days is not None else "—",
        "slip_percent": _percent(s.slip_percent),
        "schedule_alert": s.alert.label,
        "framing": _framing(document.framing),
        "drift": _drift(report),
        "changes": changes,
        "pending": [
            view
            for view, c in zip(changes, document.changes, strict=True)
            if c.decision is Decision.EN_ATTENTE
        ],
        "milestones": [
            {
                "name": m.name,
                "planned": _day(m.planned_on),
                "forecast": _day(m.forecast_on),
                "slip": f"{m.slip_days:+d} j",
                "status": m.status.label,
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
                "mitigation": _series(r.mitigation),
            }
            for r in report.risks
        ],
        "kpis": [
            {
                "name": k.name,
                "latest": "—" if k.latest_value is None else f"{_number(k.latest_value)} {k.unit}",
                "latest_on": _day(k.latest_on),
                "target": f"{_number(k.target_value)} {k.unit}",
                "status": k.status.label,
            }
            for k in report.kpis
        ],
        "roi": _roi(document.roi, document.roi_simulated_on or document.generated_on),
        "alerts": report.alerts,
        "warnings": report.warnings,
        "explanation": report.explanation.splitlines(),
        "references": _references(document),
    }


def _drift(report: SteeringReport) -> dict[str, Any]:
    c = report.changes
    return {
        "accepted": c.accepted,
        "pending": c.pending,
        "refused": c.refused,
        "accepted_count": count(c.accepted, "acceptée"),
        "refused_count": count(c.refused, "refusée"),
        "deferred": c.deferred,
        "accepted_cost": format_euros(c.accepted_cost_ht),
        "pending_cost": format_euros(c.pending_cost_ht),
        "margin": format_euros(c.margin_ht),
        "remaining": format_euros(c.remaining_margin_ht),
        "budget_drift": _percent(c.budget_drift_percent),
        "projected_drift": _percent(c.projected_budget_drift_percent),
        "scope_drift": _percent(c.scope_drift_percent),
        "scope_changes": _percent(c.scope_changes_percent),
        "consumed": _percent(c.margin_consumed_percent),
        "projected_consumed": _percent(c.projected_margin_consumed_percent),
        "alert": c.alert.label,
        "projected_alert": c.projected_alert.label,
    }


def _framing(framing: FramingResult | None) -> dict[str, Any] | None:
    if framing is None:
        return None
    return {
        "score": _number(framing.completeness_score, 1),
        "risk": framing.risk_level.label,
        "missing": framing.missing_answers,
        "clauses": framing.contract_clauses,
    }


def _change(c: ChangeRequest) -> dict[str, str]:
    return {
        "code": c.id,
        "title": c.title,
        "requested_on": _day(c.requested_on),
        "cost": format_euros(c.cost_ht),
        "delay": f"{c.delay_days} j",
        "value": VALUE_LABELS[c.value],
        "decision": c.decision.label,
        "decided_on": _day(c.decided_on),
        "justification": c.justification or "",
    }


def _roi(result: RoiResult | None, simulated_on: dt.date) -> dict[str, Any] | None:
    if result is None:
        return None
    p = result.probability_over_budget_with_margin
    rows = [
        [
            label,
            format_euros(result.percentiles[key].p10),
            format_euros(result.percentiles[key].p50),
            format_euros(result.percentiles[key].p90),
        ]
        for key, label in PERCENTILE_LABELS.items()
        if result.percentiles and key in result.percentiles
    ]
    return {
        "simulated_on": _day(simulated_on),
        "monte_carlo": result.mode.value == "monte_carlo",
        "runs": _number(result.runs, 0),
        "seed": result.seed,
        "ceiling": format_euros(result.budget_with_margin_ht),
        "cost_without": format_euros(result.cost_without_amo_ht),
        "cost_with": format_euros(result.cost_with_amo_ht),
        "savings": format_euros(result.savings_ht),
        "amo_cost": format_euros(result.amo_cost_ht),
        "net_savings": format_euros(result.net_savings_ht),
        "ratio": _number(result.drift_prevented_per_euro),
        "probability_without": _fraction(p.without_amo),
        "probability_with": _fraction(p.with_amo),
        "percentile_rows": rows,
    }


def _without_buyer(project: str, buyer: str) -> str:
    """The project's name without the buyer it repeats (« Logiciel RH — Communauté … »): the
    subtitle already reads « {buyer} — {project} »."""
    for separator in (" — ", " – ", " - "):
        if buyer and project.endswith(separator + buyer):
            return project.removesuffix(separator + buyer)
        if buyer and project.startswith(buyer + separator):
            return project.removeprefix(buyer + separator)
    return project


def _series(items: Sequence[str]) -> str:
    """Measures written one after the other as one French sentence: « a ; b ; c », each item
    after the first starting in lower case (unless it starts with an acronym)."""
    parts = [item.strip().rstrip(" .;") for item in items if item.strip()]
    return " ; ".join(
        part if index == 0 or part[1:2].isupper() else part[:1].lower() + part[1:]
        for index, part in enumerate(parts)
    )


def _number(value: Decimal | int | None, places: int = 2) -> str:
    """French decimal display without useless zeros: « 12,5 », « 2 », « 1 234,56 »."""
    if value is None:
        return "—"
    amount = Decimal(value).quantize(Decimal(1).scaleb(-places))
    text = f"{amount:,.{places}f}".replace(",", "\u202f").replace(".", ",")
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def _percent(value: Decimal | None, places: int = 2) -> str:
    """A value already in percent: « 6,32 % »."""
    return "—" if value is None else f"{_number(value, places)}\u00a0%"


def _fraction(value: Decimal | None) -> str:
    """A fraction shown as a percentage: 0.1 → « 10 % »."""
    return "—" if value is None else _percent(value * 100)


def _day(value: dt.date | None) -> str:
    return "—" if value is None else f"{value:%d/%m/%Y}"


def render_summary(result: Any) -> str:
    from openamo.documents.dce import render_files

    assert isinstance(result, GeneratedDocuments)
    return render_files(result)
