"""The passation decisions of the buyer's maître d'ouvrage, for the dashboard, and when they
are to be validated again (``openamo.web.revalidation``).

- the award criteria, validated on the criteria themselves and the rules of the consultation
  (date, procedure, nature);
- the ranking of each lot, validated on the analysis input (criteria, offers and marks,
  candidacies, estimate).
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from openamo.award import OfferStatus
from openamo.award.models import CriterionInput, ScoreEntry, ScoreInput
from openamo.enums import LabelledEnum
from openamo.procurement.enums import Nature, ProcedureKind
from openamo.web import revalidation
from openamo.web.award import mappers
from openamo.web.award.access import GLOBAL, Scope
from openamo.web.award.models import (
    ABNORMAL_OUTCOME_CHOICES,
    AnalysisStatus,
    CriteriaSet,
    LotAnalysis,
    Offer,
)
from openamo.web.decisions import PendingDecision
from openamo.web.operations.access import OperationAccess
from openamo.web.operations.models import Operation
from openamo.web.organisations.access import deciding_organisation_ids
from openamo.web.organisations.models import Role
from openamo.web.revalidation import day, euros, plain, yes_no
from openamo.web.softdelete import alive_through
from openamo.web.users import AuthenticatedUser

CRITERIA = "Les critères de jugement"
RANKING = "Le classement des offres"
OUTCOMES = dict(ABNORMAL_OUTCOME_CHOICES)
STALE_TRIGGERS = frozenset(
    {"need", "lot", "consultation", "criteriaset", "candidacy", "offer", "lotanalysis"}
)


# --- What each decision was made on, in French ------------------------------------------------


def _enum_label(enum: type[LabelledEnum], value: str | None) -> str:
    if value is None:
        return plain(value)
    try:
        return str(enum(value).label)
    except ValueError:
        return plain(value)


def _rules(data: ScoreInput) -> dict[str, str]:
    return {
        "Date de lancement de la consultation": day(data.date),
        "Procédure": _enum_label(ProcedureKind, data.procedure),
        "Nature des prestations": _enum_label(Nature, data.nature),
        "Fournitures ou services standardisés": yes_no(data.standardised_purchase),
    }


def _criteria(criteria: list[CriterionInput]) -> dict[str, str]:
    shown: dict[str, str] = {"Critères": ", ".join(f"{c.name} ({c.weight} %)" for c in criteria)}
    for criterion in criteria:
        if criterion.sub_criteria:
            shown[f"Sous-critères de « {criterion.name} »"] = ", ".join(
                f"{s.name} ({s.weight} points)" for s in criterion.sub_criteria
            )
        if criterion.grid:
            shown[f"Grille de notation de « {criterion.name} »"] = "; ".join(
                f"{level.mark} : {level.label}" for level in criterion.grid
            )
        if criterion.method:
            shown[f"Méthode de notation de « {criterion.name} »"] = criterion.method.value
    return shown


def describe_criteria(data: ScoreInput) -> dict[str, str]:
    return {**_criteria(data.criteria), **_rules(data)}


def _marks(scores: dict[str, ScoreEntry]) -> str:
    parts: list[str] = []
    for criterion, entry in scores.items():
        if entry.sub_marks is None:
            parts.append(f"{criterion} {entry.mark}")
        else:
            parts += [f"{criterion} / {sub} {v.mark}" for sub, v in entry.sub_marks.items()]
    return ", ".join(parts) or "aucune note"


def describe_analysis(data: ScoreInput) -> dict[str, str]:
    shown = {**_criteria(data.criteria), **_rules(data)}
    for lot in data.lots or []:
        shown["Estimation HT"] = euros(lot.estimate_ht)
        shown["Crédits budgétaires HT"] = euros(lot.budget_ht)
        shown["Nombre d'attributaires"] = plain(lot.winners)
        shown["Critère de départage"] = plain(lot.tie_break)
        shown["Offres"] = ", ".join(o.bidder for o in lot.offers) or "aucune"
        for offer in lot.offers:
            who = f"Offre de {offer.bidder}"
            shown[f"{who} : prix HT"] = euros(offer.price_ht)
            shown[f"{who} : statut"] = _enum_label(OfferStatus, offer.status)
            shown[f"{who} : notes"] = _marks(offer.scores)
            if offer.abnormally_low_outcome:
                shown[f"{who} : examen du prix anormalement bas"] = OUTCOMES.get(
                    offer.abnormally_low_outcome.value, "examiné"
                )
    for candidacy in data.candidacies:
        checklist = candidacy.model_dump(exclude={"exclusion_ground"})
        state = "incomplète" if False in checklist.values() else "complète"
        if candidacy.exclusion_ground:
            state = "motif d'exclusion établi"
        shown[f"Candidature de {candidacy.bidder}"] = state
    return shown


# --- Current inputs ---------------------------------------------------------------------------


def _context(operation: Operation) -> mappers.Context:
    from openamo.web.award.services import reading  # reading imports this module's callers

    return reading.context_of(operation)


def criteria_input(criteria_set: CriteriaSet) -> ScoreInput:
    """What the criteria are validated on: themselves and the rules of the consultation."""
    context = _context(criteria_set.operation)
    return mappers.rules_only_input(
        context, criteria_set.to_domain(), criteria_set.standardised_purchase
    )


def criteria_changes(criteria_set: CriteriaSet) -> list[dict[str, str]]:
    if criteria_set.validated_at is None or not criteria_set.validated_input:
        return []
    return revalidation.diff(
        describe_criteria(ScoreInput.model_validate(criteria_set.validated_input)),
        describe_criteria(criteria_input(criteria_set)),
    )


def analysis_changes(analysis: LotAnalysis) -> list[dict[str, str]]:
    """What changed since the ranking was validated (nothing for a mere proposal)."""
    if analysis.status != AnalysisStatus.VALIDEE or not analysis.input:
        return []
    operation = analysis.operation
    access = OperationAccess(operation, Role.MAITRE_OUVRAGE, via_share=False)
    scope = Scope(access, analysis.lot if analysis.lot_id else None)
    if analysis.lot_id and analysis.lot is not None and analysis.lot.is_deleted:
        return [{"what": str(analysis.lot), "before": "existant", "after": "supprimé"}]
    offers = Offer.objects.alive().filter(operation=operation, lot=scope.lot)
    current = mappers.score_input(_context(operation), scope, offers, analysis)
    return revalidation.diff(
        describe_analysis(ScoreInput.model_validate(analysis.input)), describe_analysis(current)
    )


def refresh_stale(operation_id: int | None, contract_id: int | None) -> None:
    if operation_id is None:
        return
    operation = Operation.objects.select_related("organisation").filter(pk=operation_id).first()
    if operation is None:
        return
    criteria_set = CriteriaSet.objects.filter(operation=operation).first()
    if criteria_set is not None:
        criteria_set.operation = operation
        found = criteria_changes(criteria_set)
        if found != criteria_set.stale_changes:
            CriteriaSet.objects.filter(pk=criteria_set.pk).update(stale_changes=found)
    for analysis in LotAnalysis.objects.filter(operation=operation).select_related("lot"):
        analysis.operation = operation
        found = analysis_changes(analysis)
        if found != analysis.stale_changes:
            LotAnalysis.objects.filter(pk=analysis.pk).update(stale_changes=found)


def refuse_if_criteria_stale(operation_id: int, step: str) -> None:
    stored = (
        CriteriaSet.objects.filter(operation_id=operation_id)
        .values_list("stale_changes", flat=True)
        .first()
    )
    revalidation.refuse_if_stale(CRITERIA, stored, step)


def refuse_if_ranking_stale(analysis: LotAnalysis, step: str) -> None:
    revalidation.refuse_if_stale(RANKING, analysis.stale_changes, step)


# --- The dashboard ----------------------------------------------------------------------------


def pending(user: AuthenticatedUser) -> list[PendingDecision]:
    """Rankings and criteria awaiting the user's validation, or to validate again (two SQL
    queries)."""
    deciding = deciding_organisation_ids(user)
    if not deciding:
        return []
    live = alive_through("operation") & Q(operation__organisation_id__in=deciding)
    analyses = (
        LotAnalysis.objects.filter(live)
        .filter(Q(status=AnalysisStatus.PROPOSEE) | ~Q(stale_changes=[]))
        .filter(alive_through("lot"))
        .select_related("operation", "lot")
        .order_by("operation__title", "lot__number")
    )
    found = [
        PendingDecision(
            what=_analysis_what(analysis),
            subject=analysis.operation.title,
            url=reverse("award:analysis", args=[analysis.operation_id, analysis.lot_id or GLOBAL]),
        )
        for analysis in analyses
    ]
    criteria = (
        CriteriaSet.objects.filter(live)
        .filter(Q(validated_at__isnull=True) | ~Q(stale_changes=[]))
        .exclude(criteria=[])
        .select_related("operation")
        .only("operation_id", "operation__title", "stale_changes", "validated_at")
    )
    found += [
        PendingDecision(
            what=(
                f"Critères de jugement {revalidation.STALE_LABEL} — "
                + revalidation.changes_of(c.stale_changes)[0].sentence()
                if c.stale_changes
                else "Critères de jugement à valider"
            ),
            subject=c.operation.title,
            url=reverse("award:criteria", args=[c.operation_id]),
        )
        for c in criteria
    ]
    return found


def _analysis_what(analysis: LotAnalysis) -> str:
    where = analysis.lot or "marché global"
    if analysis.stale_changes:
        first = revalidation.changes_of(analysis.stale_changes)[0].sentence()
        return f"Classement des offres {revalidation.STALE_LABEL} — {where} — {first}"
    return f"Classement des offres à valider — {where}"
