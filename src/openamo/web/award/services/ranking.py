"""The analysis of a lot: the ranking the domain proposes, then the maître d'ouvrage's decision."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from openamo.award import score_offers
from openamo.errors import OpenAMOError
from openamo.web.audit.models import Action
from openamo.web.audit.services import record
from openamo.web.award import decisions, history, mappers
from openamo.web.award.access import Scope
from openamo.web.award.mappers import RankingSettings
from openamo.web.award.models import AnalysisStatus, LotAnalysis
from openamo.web.award.services.criteria import refuse_if_decisions_stale
from openamo.web.award.services.offers import refuse_if_validated
from openamo.web.award.services.reading import analysis_of, context_of, is_stale, live_offers
from openamo.web.contracts.models import Contract
from openamo.web.users import AuthenticatedUser


@transaction.atomic
def analyse(scope: Scope, user: AuthenticatedUser, settings: RankingSettings) -> LotAnalysis:
    """Run the domain's analysis of the lot: the ranking it proposes awaits validation."""
    access = scope.access
    access.require_edit()
    refuse_if_validated(scope)
    decisions.refuse_if_criteria_stale(access.operation.pk, "lancer l'analyse des offres")
    context = context_of(access.operation)
    if not context.criteria:
        raise OpenAMOError(
            "Définissez d'abord les critères de jugement des offres.", code="criteria_missing"
        )
    offers = live_offers(scope)
    if not offers:
        raise OpenAMOError(f"{scope.label} : aucune offre n'est enregistrée.", code="no_offer")
    analysis = analysis_of(scope) or LotAnalysis(operation=access.operation, lot=scope.lot)
    before = history.analysis(analysis) if analysis.pk else None
    analysis.winners = settings.winners
    analysis.tie_break = settings.tie_break
    analysis.budget_ht = settings.budget_ht
    data = mappers.score_input(context, scope, offers, analysis)
    analysis.update_from_domain(data, score_offers(data))
    analysis.status = AnalysisStatus.PROPOSEE
    analysis.analysed_at = timezone.now()
    analysis.analysed_by = user
    analysis.validated_at = None
    analysis.validated_by = None
    analysis.save()
    record(
        user,
        Action.ANALYSE,
        analysis,
        operation_id=access.operation.pk,
        before=before,
        after=history.analysis(analysis),
    )
    return analysis


def _refuse_unsound_proposal(scope: Scope, analysis: LotAnalysis) -> None:
    """What the domain flags as blocking an award: a tie at the cut-off, an unexamined
    abnormally low offer among the winners (R2152-3), data changed since the analysis."""
    if is_stale(scope, analysis):
        raise OpenAMOError(
            "Les offres, les notes, les candidatures ou les critères ont changé depuis l'analyse : "
            "relancez-la avant de valider.",
            code="stale",
        )
    lot = analysis.lot_outcome()
    if lot is None:
        return
    if len(lot.awarded) > analysis.winners:
        raise OpenAMOError(
            "Égalité au rang d'attribution : départagez les offres selon la règle annoncée dans "
            "le RC (critère de départage), relancez l'analyse, puis validez.",
            code="tie",
        )
    outcomes = {o.bidder: o.abnormally_low_outcome for o in live_offers(scope)}
    for offer in lot.offers:
        suspected = offer.abnormally_low_signals and not outcomes.get(offer.bidder)
        if suspected and offer.bidder in lot.awarded:
            raise OpenAMOError(
                f"L'offre de « {offer.bidder} » semble anormalement basse : demandez-lui "
                "par écrit de justifier son prix (CCP R2152-3) et enregistrez l'examen de "
                "ses justifications avant de valider l'attribution.",
                code="abnormally_low",
            )


@transaction.atomic
def validate(scope: Scope, user: AuthenticatedUser) -> LotAnalysis:
    """Only the buyer's own maître d'ouvrage validates the proposed ranking."""
    scope.access.require_validate()
    analysis = analysis_of(scope)
    if analysis is None or analysis.status != AnalysisStatus.PROPOSEE:
        raise OpenAMOError(
            "Aucun classement n'attend de validation : lancez d'abord l'analyse.",
            code="nothing_to_validate",
        )
    refuse_if_decisions_stale(scope.access.operation, "valider l'attribution")
    _refuse_unsound_proposal(scope, analysis)
    before = history.analysis(analysis)
    analysis.status = AnalysisStatus.VALIDEE
    analysis.validated_at = timezone.now()
    analysis.validated_by = user
    analysis.save()
    record(
        user,
        Action.VALIDATE,
        analysis,
        operation_id=scope.access.operation.pk,
        before=before,
        after=history.analysis(analysis),
    )
    return analysis


@transaction.atomic
def reopen(scope: Scope, user: AuthenticatedUser) -> LotAnalysis:
    """The maître d'ouvrage withdraws a validation (before any contract is created from it)."""
    scope.access.require_validate()
    analysis = analysis_of(scope)
    if analysis is None or analysis.status != AnalysisStatus.VALIDEE:
        raise OpenAMOError("Ce classement n'est pas validé.", code="not_validated")
    contracts = Contract.objects.alive().filter(operation=scope.access.operation, lot=scope.lot)
    if contracts.exists():
        raise OpenAMOError(
            "Un marché a déjà été créé à partir de cette attribution : l'analyse ne peut plus "
            "être rouverte.",
            code="contract_exists",
        )
    before = history.analysis(analysis)
    analysis.status = AnalysisStatus.PROPOSEE
    analysis.validated_at = None
    analysis.validated_by = None
    analysis.stale_changes = []
    analysis.save()
    record(
        user,
        Action.UPDATE,
        analysis,
        operation_id=scope.access.operation.pk,
        before=before,
        after=history.analysis(analysis),
    )
    return analysis
