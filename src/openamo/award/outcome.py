"""From the scored offers to the contract's output: ranking, proposal, explanation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from openamo.award._findings import Findings
from openamo.award._format import fr_number
from openamo.award.enums import CheckLevel, LotOutcome
from openamo.award.methods import METHODS
from openamo.award.models import (
    AbnormalEntry,
    CandidacyResult,
    CriterionInput,
    EliminatedEntry,
    LotResult,
    MethodNote,
    OfferDetail,
    RankEntry,
    ScoreInput,
    ScoreResult,
)
from openamo.award.scoring import ScoredOffer
from openamo.wording import count

ALWAYS = ("CCP L2152-7", "CCP R2152-6", "CCP R2152-7")
METHOD_REFERENCE = (
    "CCP L2152-7 — la meilleure note de prix va au prix le plus bas (CE 29 octobre 2013, n° 370789)"
)


@dataclass
class LotAnalysis:
    name: str
    criteria: Sequence[CriterionInput]
    received: int
    ordered: Sequence[ScoredOffer]
    chosen: Sequence[ScoredOffer]
    suspicions: list[AbnormalEntry]
    eliminated: list[EliminatedEntry]
    signals: dict[str, list[str]]
    findings: Findings


def method_notes(criteria: Sequence[CriterionInput]) -> list[MethodNote]:
    notes = []
    for criterion in criteria:
        if criterion.kind.is_price:
            info = METHODS[criterion.price_method]
            notes.append(
                MethodNote(
                    criterion=criterion.name,
                    method=criterion.price_method,
                    formula=info.formula,
                    explanation=f"{info.label} : {info.explanation}",
                )
            )
    return notes


def lot_result(lot: LotAnalysis) -> LotResult:
    ranking = [
        RankEntry(
            bidder=offer.offer.bidder,
            rank=offer.rank,
            total=offer.rounded_total,
            by_criterion={score.criterion: score.points for score in offer.criteria},
        )
        for offer in lot.ordered
    ]
    details = [
        OfferDetail(
            bidder=offer.offer.bidder,
            price_ht=offer.price,
            ranked=True,
            rank=offer.rank,
            total=offer.rounded_total,
            criteria=offer.criteria,
            abnormally_low_signals=lot.signals.get(offer.offer.bidder, []),
        )
        for offer in lot.ordered
    ]
    if lot.suspicions:
        lot.findings.cite("CCP L2152-5", "CCP L2152-6", "CCP R2152-3", "CCP R2152-4")
    if any(c.kind.is_price for c in lot.criteria):
        lot.findings.cite(METHOD_REFERENCE)
    return LotResult(
        name=lot.name,
        outcome=_outcome(lot),
        ranking=ranking,
        abnormally_low=lot.suspicions,
        awarded=[offer.offer.bidder for offer in lot.chosen],
        eliminated=lot.eliminated,
        offers=details,
        methods=method_notes(lot.criteria),
        criteria_checks=lot.findings.checks,
        notes=lot.findings.lines,
        warnings=lot.findings.warnings,
        explanation="\n".join(_explain(lot)),
    )


def _outcome(lot: LotAnalysis) -> LotOutcome:
    if lot.received == 0:
        lot.findings.cite("CCP R2122-2")
        return LotOutcome.AUCUNE_OFFRE
    if not lot.ordered:
        lot.findings.cite("CCP R2122-2", "CCP R2124-3")
        return LotOutcome.INFRUCTUEUX
    return LotOutcome.ATTRIBUABLE


def _criteria_line(criteria: Sequence[CriterionInput]) -> str:
    parts = []
    for criterion in criteria:
        if criterion.kind.is_price:
            how = METHODS[criterion.price_method].formula
        else:
            how = f"noté sur {fr_number(criterion.scale, 0)}"
            if criterion.sub_criteria:
                subs = ", ".join(
                    f"{sub.name} {fr_number(sub.weight)} pts" for sub in criterion.sub_criteria
                )
                how += f", sous-critères : {subs}"
        parts.append(f"{criterion.name} {fr_number(criterion.weight)} % ({how})")
    return "Critères : " + " ; ".join(parts) + "."


def _explain(lot: LotAnalysis) -> list[str]:
    lines = [
        f"{lot.name} : {count(lot.received, 'offre reçue')}, "
        f"{count(len(lot.ordered), 'classée')}, {count(len(lot.eliminated), 'écartée')}.",
        _criteria_line(lot.criteria),
    ]
    if lot.ordered:
        lines.append(
            "Classement : "
            + " ; ".join(
                f"{o.rank}. {o.offer.bidder} — {fr_number(o.rounded_total)}/100"
                for o in lot.ordered
            )
            + "."
        )
        names = ", ".join(offer.offer.bidder for offer in lot.chosen)
        lines.append(f"Proposition d'attribution (à valider par l'acheteur) : {names}.")
    else:
        lines.append(_no_award(lot))
    for entry in lot.eliminated:
        lines.append(f"Écartée — {entry.bidder} : {entry.reason}")
    lines += lot.findings.lines
    for suspicion in lot.suspicions:
        lines.append(f"Offre anormalement basse suspectée — {suspicion.bidder}.")
    return lines


def _no_award(lot: LotAnalysis) -> str:
    if lot.received == 0:
        return (
            "Aucune offre : la procédure est infructueuse ; un marché sans publicité ni mise en "
            "concurrence est possible si les conditions initiales ne sont pas substantiellement "
            "modifiées (CCP R2122-2)."
        )
    only_inappropriate = all(
        entry.status in {"inappropriee", "candidature_irrecevable"} for entry in lot.eliminated
    )
    if only_inappropriate:
        return (
            "Aucune offre ne peut être retenue (seulement des offres inappropriées ou des "
            "candidatures irrecevables) : procédure infructueuse ; marché sans publicité ni mise "
            "en concurrence possible sans modification substantielle des conditions initiales "
            "(CCP R2122-2)."
        )
    return (
        "Aucune offre ne peut être retenue (offres irrégulières ou inacceptables) : procédure "
        "infructueuse. Après un appel d'offres, une procédure avec négociation est possible sans "
        "modifier substantiellement les conditions initiales (CCP R2124-3 6°) ; en procédure "
        "adaptée, négociez si le RC l'a prévu ou relancez la consultation."
    )


def assemble(
    day: dt.date,
    data: ScoreInput,
    findings: Findings,
    candidacies: list[CandidacyResult],
    lots: list[LotResult],
    lot_findings: Sequence[Findings],
) -> ScoreResult:
    findings.cite(*ALWAYS)
    for extra in lot_findings:
        findings.merge(extra)
    checks = findings.checks + [c for lot in lots for c in lot.criteria_checks]
    compliant = not any(check.level is CheckLevel.ERREUR for check in checks)
    single = lots[0] if data.lots is None else None
    lines = [f"Analyse des offres d'une consultation lancée le {day:%d/%m/%Y}."]
    lines += _check_lines(findings, compliant)
    lines += [f"Candidature de {c.bidder} : {c.verdict.label.lower()}." for c in candidacies]
    lines += [lot.explanation for lot in lots]
    return ScoreResult(
        date=day,
        procedure=data.procedure,
        ranking=single.ranking if single else [],
        abnormally_low=single.abnormally_low if single else [],
        awarded=single.awarded if single else [],
        eliminated=single.eliminated if single else [],
        offers=single.offers if single else [],
        methods=single.methods if single else [],
        outcome=single.outcome if single else None,
        criteria_checks=checks if single else findings.checks,
        compliant=compliant,
        candidacies=candidacies,
        lots=[] if single else lots,
        notes=single.notes if single else [],
        warnings=findings.warnings,
        ambiguities=findings.ambiguities,
        references=findings.references,
        explanation="\n".join(lines),
    )


def _check_lines(findings: Findings, compliant: bool) -> list[str]:
    errors = [c.message for c in findings.checks if c.level is CheckLevel.ERREUR]
    if compliant:
        return ["Les critères respectent les règles vérifiées (voir « criteria_checks »)."]
    findings.cite("CCP R2185-1")
    head = (
        "ATTENTION — critères non conformes : " + " ".join(errors)
        if errors
        else "ATTENTION — une règle n'est pas respectée dans un lot (voir « criteria_checks »)."
    )
    return [
        head,
        "Attribuer sur ces critères expose la procédure à l'annulation : envisagez de la "
        "déclarer sans suite (CCP R2185-1) et de relancer une consultation conforme.",
    ]
