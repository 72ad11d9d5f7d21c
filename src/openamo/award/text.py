"""Plain-text rendering of an offers analysis for people (``amo offres score`` without --json)."""

from __future__ import annotations

from collections.abc import Sequence

from openamo.award._format import fr_number
from openamo.award.calendar import AwardCalendarResult
from openamo.award.enums import CheckLevel
from openamo.award.models import (
    AbnormalEntry,
    Check,
    EliminatedEntry,
    LotResult,
    MethodNote,
    RankEntry,
    ScoreResult,
)


def _table(
    ranking: Sequence[RankEntry],
    awarded: Sequence[str],
    eliminated: Sequence[EliminatedEntry],
    suspicions: Sequence[AbnormalEntry],
    methods: Sequence[MethodNote],
) -> list[str]:
    lines: list[str] = []
    if ranking:
        lines.append("Rang  Soumissionnaire                   Total/100")
        for entry in ranking:
            star = "*" if entry.bidder in awarded else " "
            lines.append(
                f"{entry.rank:>3}{star}  {entry.bidder[:32]:<32}  {fr_number(entry.total):>9}"
            )
        lines.append("(* proposé à l'attribution, sous réserve de la décision de l'acheteur)")
    lines += [f"Écartée — {e.bidder} : {e.reason}" for e in eliminated]
    lines += [f"Offre anormalement basse ? {s.bidder} : {s.reason}" for s in suspicions]
    lines += [f"Méthode « {m.criterion} » : {m.formula}" for m in methods]
    return lines


def _checks(checks: Sequence[Check]) -> list[str]:
    return [f"[{c.level}] {c.message}" for c in checks if c.level is not CheckLevel.INFORMATION]


def _lot(lot: LotResult) -> list[str]:
    lines = [f"== {lot.name} — {lot.outcome.label}"]
    lines += _table(lot.ranking, lot.awarded, lot.eliminated, lot.abnormally_low, lot.methods)
    return lines + _checks(lot.criteria_checks)


def render_text(result: ScoreResult) -> str:
    lines = [f"Analyse des offres — consultation lancée le {result.date:%d/%m/%Y}"]
    lines.append("Critères conformes." if result.compliant else "CRITÈRES NON CONFORMES.")
    lines += _checks(result.criteria_checks)
    lines += [f"Candidature {c.bidder} : {c.verdict.label.lower()}" for c in result.candidacies]
    if result.lots:
        for lot in result.lots:
            lines += _lot(lot)
    else:
        if result.outcome is not None:
            lines.append(result.outcome.label)
        lines += _table(
            result.ranking,
            result.awarded,
            result.eliminated,
            result.abnormally_low,
            result.methods,
        )
    lines += [f"Attention : {warning}" for warning in result.warnings]
    lines += [f"À vérifier : {ambiguity}" for ambiguity in result.ambiguities]
    lines.append("Références : " + " ; ".join(result.references))
    return "\n".join(lines)


_TIMING = {
    "le": "le",
    "au_plus_tot": "au plus tôt le",
    "au_plus_tard": "au plus tard le",
    "prevu": "prévu le",
}


def render_calendar(result: AwardCalendarResult) -> str:
    lines = [f"Calendrier après la décision d'attribution du {result.decision_on:%d/%m/%Y}", ""]
    for step in result.steps:
        when = (
            f"{_TIMING[step.timing]} {step.date:%d/%m/%Y}" if step.date else "avant la notification"
        )
        lines.append(f"  {when} — {step.label}")
    lines += ["", "Recours :"]
    for remedy in result.remedies:
        until = f" (jusqu'au {remedy.until_on:%d/%m/%Y})" if remedy.until_on else ""
        lines.append(f"  {remedy.label}{until} : {remedy.explanation}")
    lines += [
        "",
        "Lettres de rejet :",
        *[f"  - {item}" for item in result.rejection_letter_contents],
    ]
    lines += ["", result.explanation]
    lines += [f"Attention : {warning}" for warning in result.warnings]
    lines += [f"À vérifier : {ambiguity}" for ambiguity in result.ambiguities]
    lines.append("Références : " + " ; ".join(result.references))
    return "\n".join(lines)
