"""Turn stored rows and the domain's answers into what the DSFR templates show: criteria with
their methods explained, checks with their references, tables, the comparison and its chart."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.urls import reverse

from openamo.award import METHODS, CandidacyVerdict, CheckLevel, LotOutcome, OfferStatus
from openamo.award.dossier import ConsultationFile
from openamo.award.enums import AbnormalOutcome
from openamo.award.models import Check, CriterionInput, LotResult, MethodNote, ScoreResult
from openamo.documents.dce import missing_information
from openamo.money import format_euros
from openamo.web.award.access import Scope
from openamo.web.award.marking import GridChoice, MarkSlot, decimal_label, progress
from openamo.web.award.models import Candidacy, LotAnalysis, Offer
from openamo.web.charts import Chart, Series, bar_chart
from openamo.web.operations.access import OperationAccess
from openamo.web.tables import Cell, Link, Table, badge, links

LEVELS = {
    CheckLevel.ERREUR.value: ("Non conforme", "error"),
    CheckLevel.AVERTISSEMENT.value: ("À vérifier", "warning"),
    CheckLevel.INFORMATION.value: ("Information", "info"),
}
VERDICT_BADGES = {
    CandidacyVerdict.RECEVABLE.value: "success",
    CandidacyVerdict.A_REGULARISER.value: "warning",
    CandidacyVerdict.IRRECEVABLE.value: "error",
}
ELIMINATED_LABELS = {
    **{status.value: status.label for status in OfferStatus},
    "candidature_irrecevable": "Candidature irrecevable",
    "anormalement_basse": "Offre anormalement basse rejetée",
}


def euros(amount: Decimal | str | None) -> str:
    return "—" if amount in (None, "") else format_euros(Decimal(str(amount)))


def points(value: Decimal | str) -> str:
    return f"{Decimal(str(value)):.2f}".replace(".", ",")


# --- Criteria ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubCriterionRow:
    name: str
    weight: str
    disclosed: bool
    environmental: bool
    description: str


@dataclass(frozen=True)
class GridRow:
    mark: str
    label: str
    expected: str


@dataclass(frozen=True)
class CriterionRow:
    """One criterion of the criteria page: its weight, and its formula or its scale and grid."""

    index: int
    name: str
    kind: str
    weight: str
    description: str
    environmental: bool
    is_price: bool
    method: str = ""
    formula: str = ""
    explanation: str = ""
    scale: str = ""
    sub_criteria: list[SubCriterionRow] = field(default_factory=list)
    grid: list[GridRow] = field(default_factory=list)


def criteria_rows(criteria: list[CriterionInput]) -> list[CriterionRow]:
    rows = []
    for index, criterion in enumerate(criteria):
        row = CriterionRow(
            index=index,
            name=criterion.name,
            kind=criterion.kind.label,
            weight=f"{decimal_label(criterion.weight)} %",
            description=criterion.description or "",
            environmental=criterion.takes_environment_into_account,
            is_price=criterion.kind.is_price,
        )
        if criterion.kind.is_price:
            info = METHODS[criterion.price_method]
            row = replace(
                row, method=info.label, formula=info.formula, explanation=info.explanation
            )
        else:
            row = replace(
                row,
                scale=decimal_label(criterion.scale),
                sub_criteria=[
                    SubCriterionRow(
                        name=sub.name,
                        weight=decimal_label(sub.weight),
                        disclosed=sub.disclosed,
                        environmental=sub.environmental,
                        description=sub.description or "",
                    )
                    for sub in criterion.sub_criteria
                ],
                grid=[
                    GridRow(
                        mark=decimal_label(level.mark),
                        label=level.label,
                        expected=level.expected or "",
                    )
                    for level in sorted(criterion.grid or [], key=lambda level: level.mark)
                ],
            )
        rows.append(row)
    return rows


@dataclass(frozen=True)
class MethodRow:
    label: str
    formula: str
    explanation: str


def methods_explained() -> list[MethodRow]:
    return [MethodRow(info.label, info.formula, info.explanation) for info in METHODS.values()]


@dataclass(frozen=True)
class CheckRow:
    """A domain check with its French level label and DSFR badge."""

    level: str
    code: str
    message: str
    references: list[str]
    label: str
    badge: str


@dataclass(frozen=True)
class DceVerdict:
    """The domain's verdict on a consultation file that can be produced."""

    procedure: str
    response_days: int
    min_response_days: int | None
    checks: list[CheckRow]
    warnings: list[str]
    ambiguities: list[str]
    references: list[str]
    missing: list[str]
    """What the buyer has not given: highlighted « À compléter » in the pieces, listed before
    the download so that it is filled in first."""


def dce_verdict(file: ConsultationFile) -> DceVerdict:
    findings = file.findings
    return DceVerdict(
        procedure=file.procedure_type.label,
        response_days=file.response_days,
        min_response_days=file.procedure.min_response_days,
        checks=checks(findings.checks),
        warnings=findings.warnings,
        ambiguities=findings.ambiguities,
        references=findings.references,
        missing=missing_information(file),
    )


def checks(items: Iterable[Check]) -> list[CheckRow]:
    """Domain checks, errors first."""
    rows = []
    for item in items:
        label, badge = LEVELS[item.level.value]
        rows.append(
            CheckRow(item.level.value, item.code, item.message, list(item.references), label, badge)
        )
    order = list(LEVELS)
    return sorted(rows, key=lambda row: order.index(row.level))


@dataclass(frozen=True)
class Review:
    """What the criteria page shows of the domain's checks (each with its references)."""

    checks: list[CheckRow]
    compliant: bool
    warnings: list[str]
    ambiguities: list[str]
    references: list[str]


def review(result: ScoreResult) -> Review:
    found = checks(result.criteria_checks)
    return Review(
        checks=found,
        compliant=result.compliant,
        warnings=result.warnings,
        ambiguities=result.ambiguities,
        references=list(dict.fromkeys(ref for check in found for ref in check.references)),
    )


# --- Candidacies and offers -------------------------------------------------------------------


def candidacies_table(candidacies: list[Candidacy], access: OperationAccess) -> Table:
    header = ["Candidat", "SIRET", "Verdict", "Pièces manquantes", "Motifs et références"]
    if access.can_edit:
        header.append("Actions")
    rows = []
    for candidacy in candidacies:
        result = candidacy.verdict()
        verdict = result.verdict if result else CandidacyVerdict.RECEVABLE
        reasons = "; ".join(result.reasons) if result else ""
        references = ", ".join(result.references) if result else ""
        row: list[Cell] = [
            {"text": candidacy.bidder},
            {"text": candidacy.siret or "—"},
            badge(verdict.label, VERDICT_BADGES[verdict.value]),
            {"text": "; ".join(result.missing if result else []) or "Aucune"},
            {"text": " — ".join(part for part in (reasons, references) if part) or "—"},
        ]
        if access.can_edit:
            args = [candidacy.operation_id, candidacy.pk]
            row.append(
                links(
                    _link("Modifier", "award:candidacy_edit", args, candidacy.bidder),
                    _link("Supprimer", "award:candidacy_delete", args, candidacy.bidder),
                )
            )
        rows.append(row)
    return {"header": header, "rows": rows}


def _link(text: str, name: str, args: list[int], subject: str) -> Link:
    return {"text": text, "url": reverse(name, args=args), "label": subject}


def offers_table(offers: list[Offer], scope: Scope, slots: list[MarkSlot], editable: bool) -> Table:
    header = ["Soumissionnaire", "SIRET", "Prix HT", "Statut", "Notes saisies"]
    if editable:
        header.append("Actions")
    rows = []
    for offer in offers:
        given, expected = progress(offer.score_entries(), slots)
        row: list[Cell] = [
            {"text": offer.bidder},
            {"text": offer.siret or "—"},
            {"text": euros(offer.price_ht)},
            {"text": offer.get_status_display()},
            {"text": f"{given} / {expected}" if expected else "Aucune note à saisir"},
        ]
        if editable:
            args = [scope.access.operation.pk, scope.key, offer.pk]
            row.append(
                links(
                    _link("Noter", "award:offer_marks", args, offer.bidder),
                    _link("Modifier", "award:offer_edit", args, offer.bidder),
                    _link("Supprimer", "award:offer_delete", args, offer.bidder),
                )
            )
        rows.append(row)
    return {"header": header, "rows": rows}


@dataclass(frozen=True)
class GridHelp:
    key: str
    where: str
    levels: list[GridChoice]


def grid_help(slots: list[MarkSlot]) -> list[GridHelp]:
    """The marking grid of each slot, with the justification expected at each level."""
    return [GridHelp(slot.key, slot.where, slot.grid) for slot in slots if slot.grid]


# --- Overview ---------------------------------------------------------------------------------


def lots_overview(
    scopes: list[Scope],
    analyses: dict[int, LotAnalysis],
    offer_counts: dict[int, int],
) -> Table:
    header = ["Lot", "Offres", "Analyse", "Attributaire(s) proposé(s) ou retenu(s)", "Pages"]
    rows: list[list[Cell]] = []
    for scope in scopes:
        analysis = analyses.get(scope.key)
        args = [scope.access.operation.pk, scope.key]
        lot = analysis.lot_outcome() if analysis else None
        awarded = ", ".join(lot.awarded) if lot else ""
        rows.append(
            [
                {"text": scope.label},
                {"text": str(offer_counts.get(scope.key, 0))},
                {"text": analysis.get_status_display() if analysis else "Pas encore analysé"},
                {"text": awarded or "—"},
                links(
                    _link("Offres", "award:offers", args, scope.label),
                    _link("Analyse", "award:analysis", args, scope.label),
                ),
            ]
        )
    return {"header": header, "rows": rows}


# --- Analysis ---------------------------------------------------------------------------------


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
