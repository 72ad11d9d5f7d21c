"""What the pages, the documents and the other steps read of the passation."""

from __future__ import annotations

from django.db.models import Count

from openamo.award import score_offers
from openamo.award.models import CriterionInput, ScoreInput, ScoreResult
from openamo.errors import OpenAMOError
from openamo.web.award import mappers
from openamo.web.award.access import GLOBAL, Scope
from openamo.web.award.models import Candidacy, CriteriaSet, LotAnalysis, Offer
from openamo.web.operations.models import Consultation, Need, Operation


def analyses_of(operation: Operation) -> dict[int, LotAnalysis]:
    """The analyses of the operation by lot identifier (``GLOBAL`` without lots)."""
    return {
        analysis.lot_id or GLOBAL: analysis
        for analysis in LotAnalysis.objects.filter(operation=operation).select_related(
            "analysed_by", "validated_by"
        )
    }


def offer_counts(operation: Operation) -> dict[int, int]:
    rows = (
        Offer.objects.alive().filter(operation=operation).values("lot_id").annotate(n=Count("pk"))
    )
    return {row["lot_id"] or GLOBAL: row["n"] for row in rows}


def criteria_set_of(operation: Operation) -> CriteriaSet | None:
    return CriteriaSet.objects.filter(operation=operation).first()


def live_candidacies(operation: Operation) -> list[Candidacy]:
    return list(Candidacy.objects.alive().filter(operation=operation))


def context_of(operation: Operation) -> mappers.Context:
    return mappers.Context(
        need=Need.objects.filter(operation=operation).first(),
        consultation=Consultation.objects.filter(operation=operation).first(),
        criteria_set=criteria_set_of(operation),
        candidacies=live_candidacies(operation),
    )


def live_offers(scope: Scope) -> list[Offer]:
    return list(Offer.objects.alive().filter(operation=scope.access.operation, lot=scope.lot))


def analysis_of(scope: Scope) -> LotAnalysis | None:
    return LotAnalysis.objects.filter(operation=scope.access.operation, lot=scope.lot).first()


def review_criteria(
    context: mappers.Context, criteria: list[CriterionInput], standardised: bool | None
) -> ScoreResult:
    """The domain's checks of a set of criteria at the consultation's date (nothing saved)."""
    return score_offers(mappers.rules_only_input(context, criteria, standardised))


def criteria_locked(operation: Operation) -> bool:
    """Once offers are marked, the criteria announced to the candidates no longer change."""
    return Offer.objects.alive().filter(operation=operation).exclude(marks={}).exists()


def current_input(scope: Scope, analysis: LotAnalysis) -> ScoreInput:
    context = context_of(scope.access.operation)
    return mappers.score_input(context, scope, live_offers(scope), analysis)


def is_stale(scope: Scope, analysis: LotAnalysis) -> bool:
    """The offers, marks, candidacies, criteria or estimate changed since the analysis (or no
    longer make an input the domain accepts)."""
    analysed = analysis.analysed_input()
    if analysed is None:
        return False
    try:
        return current_input(scope, analysis) != analysed
    except OpenAMOError:
        return True
