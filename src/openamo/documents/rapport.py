"""Rapport d'analyse des offres (DOCX from ``rapport_analyse.docx``, PDF from
``rapport_analyse.html``): method, marks with their written justification, eliminated and
abnormally low offers and how they were handled, ranking and the proposal of award.

The report refuses marks without a justification: an unmotivated mark is what a judge censures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import Field, StrictBool, model_validator

from openamo.award import score_offers
from openamo.award._format import fr_number
from openamo.award.enums import CandidacyVerdict, CheckLevel, LotOutcome
from openamo.award.methods import METHODS
from openamo.award.models import (
    CandidacyResult,
    CriterionInput,
    CriterionScore,
    LotResult,
    OfferDetail,
    ScoreInput,
    ScoreResult,
)
from openamo.documents.dce import GeneratedDocuments
from openamo.documents.finish import Properties
from openamo.documents.render import PageHeader, render_docx, render_pdf
from openamo.errors import OpenAMOError
from openamo.money import format_euros
from openamo.validation import Amount, InputModel, parse_input

PARIS = ZoneInfo("Europe/Paris")
ZERO = Decimal(0)
_LEVELS = {"erreur": "Erreur", "avertissement": "Point d'attention"}


class ReportInfo(InputModel):
    buyer_name: str = Field(min_length=1, max_length=300)
    object: str = Field(min_length=1, max_length=500)
    reference: str | None = Field(default=None, max_length=60)
    procedure_label: str | None = Field(default=None, max_length=300)
    deadline: str | None = Field(default=None, max_length=100)
    author: str = Field(default="l'assistant à maîtrise d'ouvrage", max_length=200)
    decision_maker: str = Field(default="le pouvoir adjudicateur", max_length=200)
    buyer_address: str | None = Field(default=None, max_length=1000)
    analysed_on: dt.date | None = None
    """Day of the analysis the report presents (the report is dated by it, not by its print)."""
    decided_on: dt.date | None = None
    """Day the maître d'ouvrage validated the ranking, once it has."""
    subcontracting: dict[str, str] = Field(default_factory=dict, max_length=500)
    """Winner → the share it intends to subcontract, when known (R2184-2 5°: « si elle est
    connue »); nothing is printed for a winner absent from it."""
    framework_agreement: StrictBool = False
    """An accord-cadre: the offers' prices are only their DQE estimates."""
    framework_maximum_ht: Amount | None = None
    """Its maximum (R2162-4), the value of the framework agreement (R2184-2 1°) when given."""

    @model_validator(mode="after")
    def _chronology(self) -> ReportInfo:
        if self.analysed_on and self.decided_on and self.decided_on < self.analysed_on:
            raise ValueError("la décision ne peut pas précéder l'analyse")
        return self


class ReportInput(ScoreInput):
    """The analysis (same fields as ``amo offres score``) plus the report's heading."""

    report: ReportInfo


def write_report_from_dict(data: Any, out: str | Path) -> GeneratedDocuments:
    return write_report(parse_input(ReportInput, data), Path(out))


def write_report(data: ReportInput, out: Path) -> GeneratedDocuments:
    suffix = out.suffix.lower()
    if suffix not in {".docx", ".pdf"}:
        raise OpenAMOError(
            "Le rapport est produit en .docx ou en .pdf (option --out).", code="format"
        )
    result = score_offers(data, require_justifications=True)
    criteria = {lot.name: _criteria_of(data, lot.name) for lot in _lots(result)}
    context = report_context(data, result, criteria)
    try:
        if suffix == ".docx":
            info = data.report
            render_docx(
                "rapport_analyse.docx",
                context,
                out,
                header=PageHeader(
                    buyer=info.buyer_name,
                    reference=f"Consultation n° {info.reference}" if info.reference else "",
                    object=info.object,
                    name="Rapport d'analyse des offres",
                ),
                properties=Properties(
                    title=f"Rapport d'analyse des offres — {info.object}",
                    subject=info.object,
                    author=info.buyer_name,
                    category="Analyse des offres",
                    keywords=[info.reference] if info.reference else [],
                    references=result.references,
                ),
            )
        else:
            render_pdf("rapport_analyse.html", context, out)
    except OSError as exc:
        raise OpenAMOError(
            f"Écriture impossible de « {out} » : {exc.strerror}.", code="io"
        ) from None
    return GeneratedDocuments(
        files=[str(out)],
        checks=result.criteria_checks,
        warnings=result.warnings,
        ambiguities=result.ambiguities,
        references=result.references,
        explanation=f"Rapport d'analyse des offres écrit dans {out}. " + _proposal_summary(result),
    )


def _criteria_of(data: ReportInput, lot_name: str) -> list[CriterionInput]:
    for lot in data.lots or []:
        if lot.name == lot_name and lot.criteria is not None:
            return lot.criteria
    return data.criteria


def _lots(result: ScoreResult) -> list[LotResult]:
    if result.lots:
        return result.lots
    return [
        LotResult(
            name="Consultation",
            outcome=result.outcome or LotOutcome.AUCUNE_OFFRE,
            ranking=result.ranking,
            abnormally_low=result.abnormally_low,
            awarded=result.awarded,
            eliminated=result.eliminated,
            offers=result.offers,
            methods=result.methods,
            criteria_checks=[],
            notes=[
                line
                for line in result.explanation.split("\n")
                if line.startswith("Offre régularisée")
            ],
            warnings=result.warnings,
            explanation=_single_lot_explanation(result.explanation),
        )
    ]


def _single_lot_explanation(explanation: str) -> str:
    lines = explanation.split("\n")
    start = next((i for i, line in enumerate(lines) if line.startswith("Consultation :")), 0)
    return "\n".join(lines[start:])


def _proposal_summary(result: ScoreResult) -> str:
    parts = []
    for lot in _lots(result):
        who = ", ".join(lot.awarded) if lot.awarded else lot.outcome.label.lower()
        parts.append(f"{lot.name} : {who}")
    return "Proposition — " + " ; ".join(parts) + "."


def report_context(
    data: ReportInput, result: ScoreResult, criteria: dict[str, list[CriterionInput]]
) -> dict[str, Any]:
    info = data.report
    comments = {c.bidder: c.comment for c in data.candidacies if c.comment}
    return {
        "buyer_name": info.buyer_name,
        "object": info.object,
        "reference": info.reference or "",
        "procedure": info.procedure_label or _procedure_label(result),
        "launch_date": f"{result.date:%d/%m/%Y}",
        "deadline": info.deadline or "",
        "author": info.author,
        "decision_maker": info.decision_maker,
        "of_decision_maker": of(info.decision_maker),
        "analysed_on": f"{info.analysed_on or dt.datetime.now(PARIS).date():%d/%m/%Y}",
        "decided_on": f"{info.decided_on:%d/%m/%Y}" if info.decided_on else "",
        "compliance": _compliance(result),
        # Read by the decision body: a finding is a sentence; only a point to watch says so.
        "checks": [
            check.message
            if check.level is CheckLevel.INFORMATION
            else f"{_LEVELS[check.level.value]} : {check.message}"
            for check in result.criteria_checks
        ],
        "candidacies": [
            {
                "bidder": c.bidder,
                "verdict": c.verdict.label,
                "reasons": _candidacy_reasons(c, comments.get(c.bidder)),
            }
            for c in result.candidacies
        ],
        "lots": [_lot(lot, criteria[lot.name]) for lot in _lots(result)],
        "presentation": presentation(info, result),
        "references": result.references,
    }


def _completed(c: CandidacyResult) -> bool:
    """An admissible candidacy that still lists missing pieces was completed at the buyer's
    request (R2144-2): those pieces were produced, they no longer lack."""
    return c.verdict is CandidacyVerdict.RECEVABLE and bool(c.missing)


def _candidacy_reasons(c: CandidacyResult, comment: str | None) -> str:
    if _completed(c):
        parts = [
            "pièces complétées à la demande de l'acheteur (CCP R2144-2) : " + ", ".join(c.missing)
        ]
        parts += [r for r in c.reasons if "complétées" not in r]
    else:
        parts = [*c.reasons, *(f"manque : {m}" for m in c.missing)]
    if comment:
        parts.append(comment.rstrip("."))
    return " ; ".join(parts) or "—"


def _points(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def _value_words(info: ReportInfo, awarded_value: Decimal) -> str:
    """R2184-2 1°: the value of the contract; a framework agreement's is its maximum, the offers'
    prices being only their estimates from the DQE."""
    offers = f"valeur des offres retenues : {format_euros(awarded_value)} HT"
    if info.framework_maximum_ht is not None:
        return (
            f"valeur de l'accord-cadre : {format_euros(info.framework_maximum_ht)} HT, son "
            f"montant maximum ; {offers} (montant estimé d'après le DQE)."
        )
    if info.framework_agreement:
        return f"accord-cadre, {offers} (montant estimé d'après le DQE)."
    return f"{offers}."


def presentation(info: ReportInfo, result: ScoreResult) -> list[str]:
    """The minimum content of the rapport de présentation of a formalised procedure (CCP
    R2184-1: at or above the EU thresholds; R2184-2, 1° to 5°; R2184-3 7°, the reasons why a
    lot is not awarded), from the analysis; empty for another procedure."""
    if result.procedure is None or result.procedure.value != "formalisee":
        return []
    address = f", {info.buyer_address}" if info.buyer_address else ""
    lots = _lots(result)
    awarded_value = sum(
        (o.price_ht for lot in lots for o in lot.offers if o.bidder in lot.awarded), Decimal(0)
    )
    items = [
        f"1° Pouvoir adjudicateur : {info.buyer_name}{address} ; objet : {info.object} ; "
        + _value_words(info, awarded_value)
    ]
    excluded = [c for c in result.candidacies if c.verdict.value == "irrecevable"]
    selected = [c for c in result.candidacies if c.verdict.value != "irrecevable"]
    items.append(
        "2° Candidats exclus : "
        + (
            " ; ".join(
                f"{c.bidder} ({'; '.join(c.reasons) or 'candidature irrecevable'})"
                for c in excluded
            )
            if excluded
            else "aucun."
        )
    )
    items.append(
        "3° Candidats sélectionnés : "
        + (
            " ; ".join(
                f"{c.bidder} ("
                + (
                    "dossier complété à la demande de l'acheteur, "
                    if _completed(c)
                    else "régularisation demandée, "
                    if c.verdict is CandidacyVerdict.A_REGULARISER
                    else "dossier complet, "
                )
                + "capacités suffisantes, aucun motif d'exclusion)"
                for c in selected
            )
            if selected
            else "candidatures non examinées dans l'analyse."
        )
    )
    for lot in lots:
        low = {entry.bidder for entry in lot.abnormally_low}
        rejected = [
            f"{e.bidder} ({e.reason}"
            + (
                " — offre jugée anormalement basse"
                if e.bidder in low and "anormalement basse" not in e.reason
                else ""
            )
            + ")"
            for e in lot.eliminated
        ] + [
            f"{r.bidder} (classée n° {r.rank}, {_points(r.total)} points sur 100)"
            for r in lot.ranking
            if r.bidder not in lot.awarded
        ]
        items.append(
            f"4° {lot.name} — offres rejetées : "
            + (" ; ".join(rejected) if rejected else "aucune.")
        )
        winners = [r for r in lot.ranking if r.bidder in lot.awarded]
        items.append(
            f"5° {lot.name} — titulaire : "
            + (
                " ; ".join(
                    f"{r.bidder}, offre classée n° {r.rank} avec {_points(r.total)} points "
                    "sur 100, économiquement la plus avantageuse au regard des critères annoncés"
                    for r in winners
                )
                if winners
                else lot.outcome.label.lower()
            )
            + "".join(
                f" ; part du marché que {r.bidder} envisage de sous-traiter : "
                f"{info.subcontracting[r.bidder].rstrip('.')}"
                for r in winners
                if r.bidder in info.subcontracting
            )
            + "."
        )
    for lot in lots:
        if not lot.awarded:  # R2184-3 7°: why no contract is awarded, lot by lot
            why = (
                "aucune offre n'a été reçue"
                if lot.outcome is LotOutcome.AUCUNE_OFFRE
                else "aucune offre ne peut être retenue"
            )
            items.append(
                f"R2184-3, 7° — {lot.name} — raisons pour lesquelles le marché n'est pas "
                f"attribué : {why} ; la procédure est déclarée infructueuse pour ce lot."
            )
    return items


def of(phrase: str) -> str:
    """« de » before a noun phrase, contracted as French wants: « du maître d'ouvrage », « des
    membres », « de la commission », « de l'assemblée »."""
    lowered = phrase[:4].lower()
    if lowered.startswith("le "):
        return "du " + phrase[3:]
    if lowered.startswith("les "):
        return "des " + phrase[4:]
    if not lowered.startswith(("l'", "l’")) and phrase[:1].lower() in "aeiouéèêàâîô":
        return "d'" + phrase
    return "de " + phrase


def _procedure_label(result: ScoreResult) -> str:
    if result.procedure is None:
        return "non précisée"
    return result.procedure.label


def _compliance(result: ScoreResult) -> str:
    if result.compliant:
        return (
            "Les critères d'attribution et leur pondération respectent les règles vérifiées à la "
            "date de lancement de la consultation."
        )
    return (
        "ATTENTION : une ou plusieurs règles ne sont pas respectées (voir ci-dessous). Attribuer "
        "sur ces critères expose la procédure à l'annulation ; une déclaration sans suite "
        "(CCP R2185-1) et une nouvelle consultation doivent être envisagées."
    )


def _criteria_rows(criteria: Sequence[CriterionInput]) -> list[dict[str, str]]:
    rows = []
    for criterion in criteria:
        if criterion.kind.is_price:
            method = METHODS[criterion.price_method].formula
        else:
            method = f"Note sur {fr_number(criterion.scale, 0)}"
            if criterion.sub_criteria:
                method += " — " + "; ".join(
                    f"{sub.name} ({fr_number(sub.weight)} pts)" for sub in criterion.sub_criteria
                )
            if criterion.grid:
                method += " — grille : " + "; ".join(
                    f"{fr_number(level.mark, 0)} = {level.label}"
                    + (f" ({level.expected})" if level.expected else "")
                    for level in sorted(criterion.grid, key=lambda level: level.mark)
                )
        rows.append(
            {"name": criterion.name, "weight": f"{fr_number(criterion.weight)} %", "method": method}
        )
    return rows


def _score_rows(score: CriterionScore) -> list[dict[str, str]]:
    if score.kind.is_price:
        return [
            {
                "criterion": score.criterion,
                "mark": f"{fr_number(score.normalised * 100)} %",
                "points": fr_number(score.points),
                "justification": "Note calculée selon la méthode annoncée.",
            }
        ]
    if not score.sub_marks:
        return [
            {
                "criterion": score.criterion,
                "mark": f"{fr_number(score.mark or ZERO)} / {fr_number(score.max_score or ZERO, 0)}",
                "points": fr_number(score.points),
                "justification": score.justification or "",
            }
        ]
    return [
        {
            "criterion": f"{score.criterion} — {sub.sub_criterion}",
            "mark": f"{fr_number(sub.mark or ZERO)} / {fr_number(sub.max_score, 0)}",
            "points": fr_number(sub.points),
            "justification": sub.justification or "",
        }
        for sub in score.sub_marks
    ]


def _offer(offer: OfferDetail) -> dict[str, Any]:
    return {
        "heading": (
            f"{offer.bidder} — {format_euros(offer.price_ht)} HT — "
            f"{fr_number(offer.total or ZERO)} / 100 (rang {offer.rank})"
        ),
        "scores": [row for score in offer.criteria for row in _score_rows(score)],
    }


def _lot(lot: LotResult, criteria: Sequence[CriterionInput]) -> dict[str, Any]:
    prices = {offer.bidder: offer.price_ht for offer in lot.offers}
    lines = lot.explanation.split("\n")
    return {
        "title": lot.name if lot.name != "Consultation" else "Analyse des offres",
        "summary": (
            "Aucune offre n'a été reçue pour ce lot dans le délai fixé."
            if lot.outcome is LotOutcome.AUCUNE_OFFRE
            else lines[0]
            if lines
            else ""
        ),
        "criteria": _criteria_rows(criteria),
        # The method as announced, without the tool's advice on choosing it: the report is
        # read by the rejected tenderers too.
        "methods": [
            f"{note.criterion} : {METHODS[note.method].label} — {note.formula}."
            for note in lot.methods
        ],
        "eliminated_intro": (
            "Les offres suivantes ne sont pas classées :"
            if lot.eliminated
            else "Aucune offre n'est écartée."
        ),
        "eliminated": [
            f"{e.bidder} — {e.reason} ({', '.join(e.references)})" for e in lot.eliminated
        ],
        "notes": list(lot.notes),
        "abnormal_intro": (
            "Les méthodes de détection (seuils d'alerte de pratique, sans valeur légale) signalent :"
            if lot.abnormally_low
            else "Aucune offre ne semble anormalement basse au regard des méthodes de détection employées."
        ),
        "abnormal": [f"{a.bidder} — {a.reason}" for a in lot.abnormally_low],
        "offers": [_offer(offer) for offer in lot.offers],
        "ranking": [
            {
                "rank": entry.rank,
                "bidder": entry.bidder,
                "price": format_euros(prices[entry.bidder]),
                "total": fr_number(entry.total),
            }
            for entry in lot.ranking
        ],
        "proposal": _proposal(lot, lines),
        "warnings": list(lot.warnings)
        + [c.message for c in lot.criteria_checks if c.level is not CheckLevel.INFORMATION],
    }


def _proposal(lot: LotResult, explanation: Sequence[str] = ()) -> str:
    if not lot.awarded:
        # what may follow (R2122-2, R2124-3) as the analysis said it, after the proposal
        if lot.outcome is LotOutcome.AUCUNE_OFFRE:
            return (
                "Il est proposé de déclarer la procédure infructueuse pour ce lot. Le besoin "
                "pourra être satisfait par une nouvelle consultation ou par un marché négocié "
                "sans publicité ni mise en concurrence préalables, à condition de ne pas "
                "modifier substantiellement les conditions initiales du marché (CCP R2122-2)."
            )
        after = next((line for line in explanation if "R2122-2" in line), "")
        return f"{lot.outcome.label}. {after}".strip()
    totals = {entry.bidder: entry.total for entry in lot.ranking}
    if len(lot.awarded) == 1:
        (name,) = lot.awarded
        whom = (
            f"à {name}, auteur de l'offre économiquement la plus avantageuse au regard des "
            f"critères annoncés (note de {fr_number(totals[name])} / 100)"
        )
    else:
        names = ", ".join(lot.awarded[:-1]) + " et " + lot.awarded[-1]
        marks = ", ".join(f"{fr_number(totals[n])}" for n in lot.awarded)
        whom = (
            f"à {names}, auteurs des {len(lot.awarded)} offres économiquement les plus "
            f"avantageuses au regard des critères annoncés (notes de {marks} / 100)"
        )
    return (
        f"Il est proposé d'attribuer {whom}, "
        "sous réserve de la production des justificatifs prévus (attestations fiscales et "
        "sociales, absence d'interdiction de soumissionner) et de la décision du pouvoir "
        "adjudicateur."
    )
