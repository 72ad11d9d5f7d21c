"""The analysis of a lot: comparison, chart, marks in detail, suspicions, abnormally low offers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse

from openamo.award import LotOutcome, OfferStatus
from openamo.award.enums import AbnormalOutcome
from openamo.award.models import LotResult, MethodNote
from openamo.web.award.access import Scope
from openamo.web.award.marking import decimal_label
from openamo.web.award.models import LotAnalysis, Offer
from openamo.web.award.presenters.labels import VERDICT_BADGES, CheckRow, checks, euros, points
from openamo.web.charts import Chart, Series, bar_chart

ELIMINATED_LABELS = {
    **{status.value: status.label for status in OfferStatus},
    "candidature_irrecevable": "Candidature irrecevable",
    "anormalement_basse": "Offre anormalement basse rejetée",
}


@dataclass(frozen=True)
class ComparisonRow:
    rank: str
    bidder: str
    price: str
    scores: list[str]
    total: str
    awarded: bool
    tied: bool


@dataclass(frozen=True)
class Comparison:
    header: list[str]
    rows: list[ComparisonRow]
    ties: bool


@dataclass(frozen=True)
class MarkRow:
    criterion: str
    mark: str
    points: str
    justification: str


@dataclass(frozen=True)
class OfferMarks:
    bidder: str
    rank: int | None
    total: str
    price: str
    rows: list[MarkRow]


@dataclass(frozen=True)
class Suspicion:
    """An offer that seems abnormally low, with where its R2152-3 procedure stands."""

    bidder: str
    reason: str
    heading: str
    exchange: list[str]
    examined: bool
    outcome: str
    note: str
    url: str


@dataclass(frozen=True)
class EliminatedRow:
    bidder: str
    label: str
    reason: str
    references: list[str]


@dataclass(frozen=True)
class CandidacyRow:
    bidder: str
    label: str
    badge: str
    reasons: list[str]


@dataclass(frozen=True)
class AnalysisView:
    """The analysis page of a lot: ranking, comparison, marks, suspicions, checks, explanation."""

    outcome: str
    attributable: bool
    compliant: bool
    comparison: Comparison
    chart: Chart
    details: list[OfferMarks]
    suspicions: list[Suspicion]
    eliminated: list[EliminatedRow]
    methods: list[MethodNote]
    checks: list[CheckRow]
    candidacies: list[CandidacyRow]
    notes: list[str]
    warnings: list[str]
    ambiguities: list[str]
    explanation: list[str]
    references: list[str]
    awarded: list[str]


def analysis_view(analysis: LotAnalysis, scope: Scope, offers: list[Offer]) -> AnalysisView | None:
    """``None`` before the lot is analysed."""
    result = analysis.outcome()
    analysed = analysis.analysed_input()
    if result is None or analysed is None or not result.lots:
        return None
    lot = result.lots[0]
    criteria = [c.name for c in analysed.criteria]
    weights = {c.name: decimal_label(c.weight) for c in analysed.criteria}
    return AnalysisView(
        outcome=lot.outcome.label,
        attributable=lot.outcome is LotOutcome.ATTRIBUABLE,
        compliant=result.compliant,
        comparison=comparison(lot, criteria, weights),
        chart=score_chart(lot, criteria, scope),
        details=offer_details(lot),
        suspicions=suspicions(lot, scope, offers),
        eliminated=[
            EliminatedRow(
                e.bidder, ELIMINATED_LABELS.get(e.status, e.status), e.reason, list(e.references)
            )
            for e in lot.eliminated
        ],
        methods=list(lot.methods),
        checks=checks([*result.criteria_checks, *lot.criteria_checks]),
        candidacies=[
            CandidacyRow(
                c.bidder, c.verdict.label, VERDICT_BADGES[c.verdict.value], list(c.reasons)
            )
            for c in result.candidacies
        ],
        notes=list(lot.notes),
        warnings=list(result.warnings),
        ambiguities=list(result.ambiguities),
        explanation=[
            # The domain's text names the JSON field; the page names its own section.
            line.replace("« criteria_checks »", "« Points d'attention »")
            for line in result.explanation.splitlines()
        ],
        references=list(result.references),
        awarded=list(lot.awarded),
    )


def comparison(lot: LotResult, criteria: list[str], weights: dict[str, str]) -> Comparison:
    prices = {offer.bidder: offer.price_ht for offer in lot.offers}
    ranks = [entry.rank for entry in lot.ranking]
    rows = []
    for entry in lot.ranking:
        tied = ranks.count(entry.rank) > 1
        rows.append(
            ComparisonRow(
                rank=f"{entry.rank}{' ex æquo' if tied else ''}",
                bidder=entry.bidder,
                price=euros(prices.get(entry.bidder)),
                scores=[points(entry.by_criterion.get(name, Decimal(0))) for name in criteria],
                total=points(entry.total),
                awarded=entry.bidder in lot.awarded,
                tied=tied,
            )
        )
    header = [f"{name} (sur {weights[name]})" for name in criteria]
    return Comparison(header=header, rows=rows, ties=any(row.tied for row in rows))


def score_chart(lot: LotResult, criteria: list[str], scope: Scope) -> Chart:
    ranking = lot.ranking
    series = [
        Series(
            name,
            [(entry.bidder, entry.by_criterion.get(name, Decimal(0))) for entry in ranking],
        )
        for name in criteria
    ]
    series.append(Series("Total", [(e.bidder, e.total) for e in ranking]))
    return bar_chart(
        f"Notes des offres classées — {scope.label} (points sur 100)",
        series,
        unit="pts",
        y_max=Decimal(100),
    )


def offer_details(lot: LotResult) -> list[OfferMarks]:
    details = []
    for offer in lot.offers:
        rows = []
        for score in offer.criteria:
            if score.sub_marks:
                for sub in score.sub_marks:
                    mark = "" if sub.mark is None else points(sub.mark)
                    rows.append(
                        MarkRow(
                            criterion=f"{score.criterion} / {sub.sub_criterion}",
                            mark=f"{mark} / {decimal_label(sub.max_score)}",
                            points=points(sub.points),
                            justification=sub.justification or "",
                        )
                    )
                continue
            if score.mark is None:
                mark = f"{points(score.normalised * 100)} % de la note"
            else:
                mark = f"{points(score.mark)} / {decimal_label(score.max_score or Decimal(0))}"
            rows.append(
                MarkRow(
                    criterion=score.criterion,
                    mark=mark,
                    points=points(score.points),
                    justification=score.justification
                    or ("Calculée selon la méthode annoncée." if score.mark is None else ""),
                )
            )
        details.append(
            OfferMarks(
                bidder=offer.bidder,
                rank=offer.rank,
                total=points(offer.total) if offer.total is not None else "",
                price=euros(offer.price_ht),
                rows=rows,
            )
        )
    return details


def suspicions(lot: LotResult, scope: Scope, offers: list[Offer]) -> list[Suspicion]:
    """Offers that seem abnormally low, each with where its R2152-3 procedure stands: the
    heading says the outcome (request to send, answer awaited, examination to conclude, offer
    kept or rejected); the link leads to where the exchange and the decision are recorded."""
    by_bidder = {offer.bidder: offer for offer in offers}
    found = []
    for entry in lot.abnormally_low:
        offer = by_bidder.get(entry.bidder)
        url = ""
        if offer is not None:
            args = [scope.access.operation.pk, scope.key, offer.pk]
            url = reverse("award:offer_edit", args=args) + "#id_abnormally_low_requested_on"
        found.append(
            Suspicion(
                bidder=entry.bidder,
                reason=entry.reason,
                heading=abnormal_heading(offer),
                exchange=abnormal_exchange(offer),
                examined=bool(offer and offer.abnormally_low_outcome),
                outcome=offer.get_abnormally_low_outcome_display() if offer else "",
                note=offer.abnormally_low_note if offer else "",
                url=url,
            )
        )
    return found


def abnormal_heading(offer: Offer | None) -> str:
    """Where the R2152-3 procedure of the offer stands, in a few words."""
    if offer is None or not offer.abnormally_low_requested_on:
        return "demande de justification à adresser (CCP R2152-3)"
    if offer.abnormally_low_outcome == AbnormalOutcome.REJETEE.value:
        return "offre rejetée par décision motivée (CCP R2152-4)"
    if offer.abnormally_low_outcome == AbnormalOutcome.JUSTIFIEE.value:
        return "justifications admises, l'offre est maintenue (CCP R2152-3)"
    if offer.abnormally_low_answered_on:
        return f"justifications reçues le {offer.abnormally_low_answered_on:%d/%m/%Y}, à examiner"
    due = offer.abnormally_low_due_on
    awaited = f", réponse attendue le {due:%d/%m/%Y}" if due else ""
    return f"justifications demandées le {offer.abnormally_low_requested_on:%d/%m/%Y}{awaited}"


def abnormal_exchange(offer: Offer | None) -> list[str]:
    """The exchange kept in the file, one French sentence per step."""
    if offer is None or not offer.abnormally_low_requested_on:
        return []
    lines = [f"Demande de justifications adressée le {offer.abnormally_low_requested_on:%d/%m/%Y}"]
    if offer.abnormally_low_due_on:
        lines[0] += f", réponse attendue au plus tard le {offer.abnormally_low_due_on:%d/%m/%Y}"
    if offer.abnormally_low_answered_on:
        answer = f"Réponse reçue le {offer.abnormally_low_answered_on:%d/%m/%Y}"
        if offer.abnormally_low_answer:
            answer += f" : {offer.abnormally_low_answer}"
        lines.append(answer)
    elif offer.abnormally_low_outcome:
        lines.append("Aucune réponse du soumissionnaire.")
    if offer.abnormally_low_outcome:
        decision = f"Décision : {offer.get_abnormally_low_outcome_display()}"
        if offer.abnormally_low_note:
            decision += f". Motifs : {offer.abnormally_low_note}"
        lines.append(decision)
    return lines
