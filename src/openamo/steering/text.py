"""Plain-text rendering of steering results for people (the CLI's default output)."""

from __future__ import annotations

from typing import Any

from openamo.money import format_euros
from openamo.steering._types import french_number, french_percent
from openamo.steering.enums import AnswerStatus, SimulationMode
from openamo.steering.framing import FramingResult
from openamo.steering.report import SteeringReport
from openamo.steering.roi import RoiResult
from openamo.wording import count

_MARKS = {AnswerStatus.COMPLETE: "✓", AnswerStatus.PARTIELLE: "~", AnswerStatus.MANQUANTE: "✗"}


def render_roi(result: Any) -> str:
    assert isinstance(result, RoiResult)
    title = f"Coût de la dérive avec et sans AMO — {result.project or 'projet'}"
    mode = (
        "déterministe (exemple chiffré)"
        if result.mode is SimulationMode.DETERMINISTE
        else f"Monte-Carlo, {result.runs:,} tirages, graine {result.seed}".replace(",", "\u202f")
    )
    lines = [
        title,
        f"Mode : {mode}",
        f"Coût final sans AMO : {format_euros(result.cost_without_amo_ht)} HT",
        f"Coût final avec AMO : {format_euros(result.cost_with_amo_ht)} HT (honoraires exclus)",
        f"Économie : {format_euros(result.savings_ht)} — coût de l'AMO "
        f"{format_euros(result.amo_cost_ht)} — gain net {format_euros(result.net_savings_ht)}",
        f"Dérive évitée par euro d'AMO : {french_number(result.drift_prevented_per_euro)} €",
    ]
    if result.implied_amo_cost_ht is not None:
        lines.append(
            f"Coût d'AMO implicite du ratio annoncé : {format_euros(result.implied_amo_cost_ht)} HT"
        )
    p = result.probability_over_budget_with_margin
    lines.append(
        f"Probabilité de dépasser {format_euros(result.budget_with_margin_ht)} (budget + marge) : "
        f"{french_percent(p.without_amo)} sans AMO, {french_percent(p.with_amo)} avec AMO"
    )
    if result.percentiles:
        for key, label in (
            ("cost_without_amo_ht", "sans AMO"),
            ("cost_with_amo_ht", "avec AMO"),
            ("savings_ht", "économie"),
        ):
            q = result.percentiles[key]
            lines.append(
                f"  {label:<9} P10 {format_euros(q.p10):>14}  P50 {format_euros(q.p50):>14}  "
                f"P90 {format_euros(q.p90):>14}"
            )
    _section(lines, "Hypothèses", result.assumptions, "-")
    _section(lines, "Avertissements", result.warnings, "!")
    return _footer(lines, result.explanation, result.references)


def render_framing(result: Any) -> str:
    assert isinstance(result, FramingResult)
    lines = [
        f"Cadrage — {result.project}",
        f"Score de complétude : {french_number(result.completeness_score, 1)}/100 — risque "
        f"{result.risk_level.label}",
    ]
    for q in result.questions:
        lines.append(
            f"  {_MARKS[q.status]} Q{q.number:<2} {q.question} "
            f"({french_number(q.points, 1)}/{q.max_points})"
        )
        lines.extend(f"        manque : {item}" for item in q.missing)
        if q.status is not AnswerStatus.COMPLETE:
            lines.append(f"        pourquoi : {q.why_it_matters}")
    if result.baseline_summary is not None:
        s = result.baseline_summary
        lines.append(
            f"Base de référence : {format_euros(s.budget_ht)} HT + marge "
            f"{french_percent(s.margin_rate)} = {format_euros(s.budget_with_margin_ht)} HT, "
            f"{s.features_in_scope} fonctionnalités"
            + (" — prête à valider" if result.baseline_ready else " — à compléter")
        )
    lines.append("Registre des risques (probabilité × impact) :")
    lines.extend(f"  {r.score:>2} {r.level.label:<8} {r.title} — {r.owner}" for r in result.risks)
    _section(lines, "Clauses à prévoir au marché", result.contract_clauses, "-")
    _section(lines, "Avertissements", result.warnings, "!")
    return _footer(lines, result.explanation, result.references)


def render_report(result: Any) -> str:
    assert isinstance(result, SteeringReport)
    c, s = result.changes, result.schedule
    lines = [
        f"Pilotage — {result.project} au {result.as_of:%d/%m/%Y} : {result.overall_alert.label}",
        f"Évolutions : {count(c.accepted, 'acceptée')} ({format_euros(c.accepted_cost_ht)}), "
        f"{c.pending} en attente ({format_euros(c.pending_cost_ht)}), {count(c.refused, 'refusée')}",
        f"Dérive budgétaire : {french_percent(c.budget_drift_percent / 100)} "
        f"(projetée {french_percent(c.projected_budget_drift_percent / 100)}) — marge restante "
        f"{format_euros(c.remaining_margin_ht)} — {c.alert.label}",
    ]
    for m in s.milestones:
        lines.append(
            f"  {m.name:<40} prévu {m.planned_on:%d/%m/%Y}  prévision {m.forecast_on:%d/%m/%Y}"
            f"  ({m.slip_days:+d} j, {m.status.label})"
        )
    for k in result.kpis:
        value = "—" if k.latest_value is None else str(k.latest_value)
        lines.append(
            f"  KPI {k.name} : {value} / cible {k.target_value} {k.unit} ({k.status.label})"
        )
    lines.append("Risques :")
    lines.extend(f"  {r.score:>2} {r.level.label:<8} {r.title}" for r in result.risks)
    _section(lines, "Alertes", result.alerts, "!")
    _section(lines, "Avertissements", result.warnings, "!")
    return _footer(lines, result.explanation, result.references)


def _section(lines: list[str], title: str, items: list[str], mark: str) -> None:
    if items:
        lines.append(f"{title} :")
        lines.extend(f"  {mark} {item}" for item in items)


def _footer(lines: list[str], explanation: str, references: list[str]) -> str:
    lines.append("Explication :")
    lines.extend(f"  {line}" for line in explanation.splitlines())
    lines.append("Sources et références :")
    lines.extend(f"  - {reference}" for reference in references)
    return "\n".join(lines)
