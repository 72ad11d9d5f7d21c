"""The passation workflow: load rows, check access, call the domain, save, write the audit trail.

Views call these functions and nothing else that writes. The domain (``openamo.award``) decides
whether criteria, marks and offers are valid and how offers rank; these functions refuse what it
refuses (:class:`openamo.errors.OpenAMOError`, French message, nothing saved) and keep what it
answers.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from openamo.award import check_candidacy, check_mark, score_offers_from_dict
from openamo.award.dossier import ConsultationFile, prepare_consultation_from_dict
from openamo.award.models import CandidacyInput, CriterionInput, OfferInput, ScoreResult
from openamo.award.models import check_weights as domain_check_weights
from openamo.documents.dce import GeneratedDocuments, dce_archive_from_dict
from openamo.documents.rapport import write_report_from_dict
from openamo.errors import ErrorDetail, OpenAMOError
from openamo.validation import parse_input
from openamo.web.audit.models import Action
from openamo.web.audit.services import record
from openamo.web.award import dce, decisions, history, mappers, marking
from openamo.web.award.access import GLOBAL, Scope, scopes_of
from openamo.web.award.models import (
    AnalysisStatus,
    Candidacy,
    CriteriaSet,
    DceSettings,
    LotAnalysis,
    Offer,
)
from openamo.web.contracts.models import Contract
from openamo.web.operations import decisions as operation_decisions
from openamo.web.operations.access import OperationAccess
from openamo.web.operations.models import Consultation, Need, Operation

OFFER_FIELDS = [
    "bidder",
    "siret",
    "price_ht",
    "dqe",
    "status",
    "status_reason",
    "regularised",
    "abnormally_low_requested_on",
    "abnormally_low_due_on",
    "abnormally_low_answered_on",
    "abnormally_low_answer",
    "abnormally_low_outcome",
    "abnormally_low_note",
]
CANDIDACY_FIELDS = history.CANDIDACY_FIELDS


# --- Reading ----------------------------------------------------------------------------------


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
        Offer.objects.filter(operation=operation, deleted_at__isnull=True)
        .values("lot_id")
        .annotate(n=Count("pk"))
    )
    return {row["lot_id"] or GLOBAL: row["n"] for row in rows}


def criteria_set_of(operation: Operation) -> CriteriaSet | None:
    return CriteriaSet.objects.filter(operation=operation).first()


def live_candidacies(operation: Operation) -> list[Candidacy]:
    return list(Candidacy.objects.filter(operation=operation, deleted_at__isnull=True))


def context_of(operation: Operation) -> mappers.Context:
    return mappers.Context(
        need=Need.objects.filter(operation=operation).first(),
        consultation=Consultation.objects.filter(operation=operation).first(),
        criteria_set=criteria_set_of(operation),
        candidacies=live_candidacies(operation),
    )


def live_offers(scope: Scope) -> list[Offer]:
    return list(
        Offer.objects.filter(
            operation=scope.access.operation, lot=scope.lot, deleted_at__isnull=True
        )
    )


def analysis_of(scope: Scope) -> LotAnalysis | None:
    return LotAnalysis.objects.filter(operation=scope.access.operation, lot=scope.lot).first()


def review_criteria(
    context: mappers.Context, criteria: list[dict[str, Any]], standardised: bool | None
) -> ScoreResult:
    """The domain's checks of a set of criteria at the consultation's date (nothing saved)."""
    return score_offers_from_dict(mappers.rules_only_input(context, criteria, standardised))


def criteria_locked(operation: Operation) -> bool:
    """Once offers are marked, the criteria announced to the candidates no longer change."""
    return (
        Offer.objects.filter(operation=operation, deleted_at__isnull=True)
        .exclude(marks={})
        .exists()
    )


def current_input(scope: Scope, analysis: LotAnalysis) -> dict[str, Any]:
    context = context_of(scope.access.operation)
    return mappers.score_input(context, scope, live_offers(scope), analysis)


def is_stale(scope: Scope, analysis: LotAnalysis) -> bool:
    """The offers, marks, candidacies, criteria or estimate changed since the analysis."""
    return bool(analysis.input) and current_input(scope, analysis) != analysis.input


# --- Criteria ---------------------------------------------------------------------------------


def validate_criteria(criteria: list[dict[str, Any]]) -> list[CriterionInput]:
    """Each criterion, then the set (weights summing to 100…), as the domain checks them.

    Error locations are ``criteres[i]`` / ``criteres[i].<field>`` (one criterion) or
    ``criteres`` (the set).
    """
    if not criteria:
        raise OpenAMOError(
            "Indiquez au moins un critère.",
            details=[ErrorDetail("criteres", "Indiquez au moins un critère (le prix ou le coût).")],
        )
    details: list[ErrorDetail] = []
    models: list[CriterionInput] = []
    for index, criterion in enumerate(criteria):
        try:
            models.append(parse_input(CriterionInput, criterion))
        except OpenAMOError as exc:
            for detail in exc.details:
                where = "" if detail.location == "(racine)" else f".{detail.location}"
                details.append(ErrorDetail(f"criteres[{index}]{where}", detail.message))
    if details:
        raise OpenAMOError("Les critères ne sont pas enregistrés.", details=details)
    try:
        domain_check_weights(models, "critères")
    except ValueError as exc:
        message = str(exc).removeprefix("critères : ")
        raise OpenAMOError(
            "Les critères ne sont pas enregistrés.",
            details=[ErrorDetail("criteres", message[:1].upper() + message[1:] + ".")],
        ) from None
    return models


def _refuse_if_locked(operation: Operation) -> None:
    if criteria_locked(operation):
        raise OpenAMOError(
            "Des offres sont déjà notées : les critères annoncés aux candidats ne peuvent plus "
            "changer (égalité de traitement, CCP L3 et R2152-7). Effacez d'abord les notes si la "
            "consultation n'est pas encore lancée.",
            code="criteria_locked",
        )


@transaction.atomic
def save_criteria(
    access: OperationAccess,
    user: Any,
    criteria: list[dict[str, Any]],
    standardised_purchase: bool | None,
) -> CriteriaSet:
    access.require_edit()
    _refuse_if_locked(access.operation)
    models = validate_criteria(criteria)
    stored = criteria_set_of(access.operation)
    before = history.criteria_set(stored) if stored else None
    if stored is None:
        stored = CriteriaSet(operation=access.operation)
    stored.criteria = [m.model_dump(mode="json", exclude_none=True) for m in models]
    stored.standardised_purchase = standardised_purchase
    stored.updated_by = user
    stored.save()
    record(
        user,
        Action.UPDATE if before else Action.CREATE,
        stored,
        operation_id=access.operation.pk,
        before=before,
        after=history.criteria_set(stored),
    )
    return stored


def save_criterion_details(
    access: OperationAccess,
    user: Any,
    index: int,
    sub_criteria: list[dict[str, Any]],
    grid: list[dict[str, Any]],
) -> CriteriaSet:
    """Sub-criteria and marking grid of the criterion at ``index``."""
    stored = criteria_set_of(access.operation)
    if stored is None or not 0 <= index < len(stored.criteria):
        raise OpenAMOError("Critère introuvable.", code="not_found")
    criteria = [dict(c) for c in stored.criteria]
    criterion = {k: v for k, v in criteria[index].items() if k not in {"sub_criteria", "grid"}}
    if sub_criteria:
        criterion["sub_criteria"] = sub_criteria
    if grid:
        criterion["grid"] = grid
    criteria[index] = criterion
    return save_criteria(access, user, criteria, stored.standardised_purchase)


@transaction.atomic
def validate_criteria_set(access: OperationAccess, user: Any) -> CriteriaSet:
    """The maître d'ouvrage validates the criteria (as the RC will announce them) on the rules
    of the consultation; a later change of either makes them « à revalider »."""
    access.require_validate()
    stored = criteria_set_of(access.operation)
    if stored is None or not stored.criteria:
        raise OpenAMOError("Définissez d'abord les critères de jugement.", code="criteria_missing")
    before = history.criteria_set(stored)
    stored.validated_input = decisions.criteria_input(stored)
    stored.validated_at = timezone.now()
    stored.validated_by = user
    stored.stale_changes = []
    stored.save()
    record(
        user,
        Action.VALIDATE,
        stored,
        operation_id=access.operation.pk,
        before=before,
        after={**history.criteria_set(stored), "validés le": f"{timezone.localdate():%d/%m/%Y}"},
    )
    return stored


def refuse_if_decisions_stale(operation: Operation, step: str) -> None:
    """The procedure choice and the criteria a step rests on are not to be validated again."""
    operation_decisions.refuse_if_stale(operation.pk, step)
    decisions.refuse_if_criteria_stale(operation.pk, step)


# --- Candidacies ------------------------------------------------------------------------------


def _candidacy_result(candidacy: Candidacy) -> dict[str, Any]:
    checked = check_candidacy(parse_input(CandidacyInput, mappers.candidacy_input(candidacy)))
    return checked.model_dump(mode="json")


def _validated_bidders(operation: Operation) -> set[str]:
    """Bidders whose offer is in a lot whose ranking the maître d'ouvrage validated."""
    bidders: set[str] = set()
    for analysis in LotAnalysis.objects.filter(operation=operation, status=AnalysisStatus.VALIDEE):
        for lot in analysis.input.get("lots", []):
            bidders |= {offer["bidder"] for offer in lot.get("offers", [])}
    return bidders


def _refuse_if_decided(operation: Operation, *bidders: str) -> None:
    decided = _validated_bidders(operation) & set(bidders)
    if decided:
        raise OpenAMOError(
            f"Le classement d'un lot où « {sorted(decided)[0]} » a remis une offre est validé "
            "par le maître d'ouvrage : sa candidature ne peut plus changer. Le maître d'ouvrage "
            "peut d'abord rouvrir l'analyse du lot.",
            code="decided",
        )


def _unique_candidacy(operation: Operation, bidder: str, exclude: int | None) -> None:
    others = Candidacy.objects.filter(operation=operation, bidder=bidder, deleted_at__isnull=True)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise OpenAMOError(
            "Candidat déjà enregistré.",
            details=[ErrorDetail("bidder", "Ce candidat a déjà une candidature enregistrée.")],
        )


@transaction.atomic
def add_candidacy(access: OperationAccess, user: Any, data: dict[str, Any]) -> Candidacy:
    access.require_edit()
    _unique_candidacy(access.operation, data["bidder"], None)
    candidacy = Candidacy(operation=access.operation)
    _fill(candidacy, data, CANDIDACY_FIELDS)
    candidacy.result = _candidacy_result(candidacy)
    candidacy.save()
    record(
        user,
        Action.CREATE,
        candidacy,
        operation_id=access.operation.pk,
        after=history.candidacy(candidacy),
    )
    return candidacy


@transaction.atomic
def update_candidacy(
    access: OperationAccess, user: Any, candidacy: Candidacy, data: dict[str, Any]
) -> Candidacy:
    access.require_edit()
    _refuse_if_decided(access.operation, candidacy.bidder, data["bidder"])
    _unique_candidacy(access.operation, data["bidder"], candidacy.pk)
    before = history.candidacy(candidacy)
    _fill(candidacy, data, CANDIDACY_FIELDS)
    candidacy.result = _candidacy_result(candidacy)
    candidacy.save()
    record(
        user,
        Action.UPDATE,
        candidacy,
        operation_id=access.operation.pk,
        before=before,
        after=history.candidacy(candidacy),
    )
    return candidacy


@transaction.atomic
def delete_candidacy(access: OperationAccess, user: Any, candidacy: Candidacy) -> None:
    access.require_edit()
    _refuse_if_decided(access.operation, candidacy.bidder)
    candidacy.deleted_at = timezone.now()
    candidacy.save(update_fields=["deleted_at"])
    record(
        user,
        Action.DELETE,
        candidacy,
        operation_id=access.operation.pk,
        before=history.candidacy(candidacy),
    )


def _fill(instance: Any, data: dict[str, Any], fields: list[str]) -> None:
    for name in fields:
        if name in data:
            setattr(instance, name, data[name] if data[name] is not None else _blank(name))


def _blank(name: str) -> Any:
    """Blank optional texts are stored empty; tri-states stay ``None``."""
    return (
        ""
        if name
        in {
            "siret",
            "comment",
            "status_reason",
            "abnormally_low_note",
            "abnormally_low_answer",
        }
        else None
    )


# --- Offers -----------------------------------------------------------------------------------


def refuse_if_validated(scope: Scope) -> None:
    analysis = analysis_of(scope)
    if analysis is not None and analysis.status == AnalysisStatus.VALIDEE:
        raise OpenAMOError(
            f"{scope.label} : le classement a été validé par le maître d'ouvrage ; les offres ne "
            "peuvent plus changer. Le maître d'ouvrage peut rouvrir l'analyse.",
            code="decided",
        )


def _check_offer(scope: Scope, offer: Offer) -> None:
    others = Offer.objects.filter(
        operation=scope.access.operation,
        lot=scope.lot,
        bidder=offer.bidder,
        deleted_at__isnull=True,
    )
    if others.exclude(pk=offer.pk).exists():
        raise OpenAMOError(
            "Soumissionnaire déjà présent.",
            details=[ErrorDetail("bidder", "Ce soumissionnaire a déjà une offre pour ce lot.")],
        )
    parse_input(OfferInput, mappers.offer_input(offer))


@transaction.atomic
def add_offer(scope: Scope, user: Any, data: dict[str, Any]) -> Offer:
    scope.access.require_edit()
    refuse_if_validated(scope)
    offer = Offer(operation=scope.access.operation, lot=scope.lot)
    _fill(offer, data, OFFER_FIELDS)
    _check_offer(scope, offer)
    offer.save()
    record(
        user,
        Action.CREATE,
        offer,
        operation_id=offer.operation_id,
        after=history.offer(offer),
    )
    return offer


@transaction.atomic
def update_offer(scope: Scope, user: Any, offer: Offer, data: dict[str, Any]) -> Offer:
    scope.access.require_edit()
    refuse_if_validated(scope)
    before = history.offer(offer)
    _fill(offer, data, OFFER_FIELDS)
    _check_offer(scope, offer)
    offer.save()
    record(
        user,
        Action.UPDATE,
        offer,
        operation_id=offer.operation_id,
        before=before,
        after=history.offer(offer),
    )
    return offer


@transaction.atomic
def delete_offer(scope: Scope, user: Any, offer: Offer) -> None:
    scope.access.require_edit()
    refuse_if_validated(scope)
    offer.deleted_at = timezone.now()
    offer.save(update_fields=["deleted_at"])
    record(
        user,
        Action.DELETE,
        offer,
        operation_id=offer.operation_id,
        before=history.offer(offer),
    )


@transaction.atomic
def save_marks(scope: Scope, user: Any, offer: Offer, entries: list[marking.MarkEntry]) -> Offer:
    """Every mark passes the domain's check (scale, grid, written justification) or none is saved.

    Error locations are the slots' ``where`` (« Critère » or « Critère / Sous-critère »).
    """
    scope.access.require_edit()
    refuse_if_validated(scope)
    details: list[ErrorDetail] = []
    for entry in entries:
        slot = entry.slot
        if entry.mark is None:
            if entry.justification:
                details.append(
                    ErrorDetail(slot.where, "indiquez la note que cette justification fonde")
                )
            continue
        try:
            check_mark(
                slot.criterion, entry.mark, entry.justification, slot.sub.name if slot.sub else None
            )
        except OpenAMOError as exc:
            details += exc.details or [ErrorDetail(slot.where, exc.message)]
    if details:
        raise OpenAMOError(
            "Les notes ne sont pas enregistrées.", code="invalid_mark", details=details
        )
    before = history.offer(offer)
    offer.marks = marking.scores(entries)
    offer.save(update_fields=["marks", "updated_at"])
    record(
        user,
        Action.UPDATE,
        offer,
        operation_id=offer.operation_id,
        before=before,
        after=history.offer(offer),
    )
    return offer


# --- Analysis and decision --------------------------------------------------------------------


@transaction.atomic
def analyse(scope: Scope, user: Any, settings: dict[str, Any]) -> LotAnalysis:
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
    analysis.winners = settings.get("winners") or 1
    analysis.tie_break = settings.get("tie_break") or ""
    analysis.budget_ht = settings.get("budget_ht")
    data = mappers.score_input(context, scope, offers, analysis)
    result = score_offers_from_dict(data)
    analysis.input = data
    analysis.result = result.model_dump(mode="json")
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


def _lot_result(analysis: LotAnalysis) -> dict[str, Any]:
    lots: list[dict[str, Any]] = analysis.result.get("lots") or [{}]
    return lots[0]


def _refuse_unsound_proposal(scope: Scope, analysis: LotAnalysis) -> None:
    """What the domain flags as blocking an award: a tie at the cut-off, an unexamined
    abnormally low offer among the winners (R2152-3), data changed since the analysis."""
    if is_stale(scope, analysis):
        raise OpenAMOError(
            "Les offres, les notes, les candidatures ou les critères ont changé depuis l'analyse : "
            "relancez-la avant de valider.",
            code="stale",
        )
    lot = _lot_result(analysis)
    if len(lot.get("awarded", [])) > analysis.winners:
        raise OpenAMOError(
            "Égalité au rang d'attribution : départagez les offres selon la règle annoncée dans "
            "le RC (critère de départage), relancez l'analyse, puis validez.",
            code="tie",
        )
    outcomes = {o.bidder: o.abnormally_low_outcome for o in live_offers(scope)}
    for offer in lot.get("offers", []):
        suspected = offer["abnormally_low_signals"] and not outcomes.get(offer["bidder"])
        if suspected and offer["bidder"] in lot.get("awarded", []):
            raise OpenAMOError(
                f"L'offre de « {offer['bidder']} » semble anormalement basse : demandez-lui "
                "par écrit de justifier son prix (CCP R2152-3) et enregistrez l'examen de "
                "ses justifications avant de valider l'attribution.",
                code="abnormally_low",
            )


@transaction.atomic
def validate(scope: Scope, user: Any) -> LotAnalysis:
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
def reopen(scope: Scope, user: Any) -> LotAnalysis:
    """The maître d'ouvrage withdraws a validation (before any contract is created from it)."""
    scope.access.require_validate()
    analysis = analysis_of(scope)
    if analysis is None or analysis.status != AnalysisStatus.VALIDEE:
        raise OpenAMOError("Ce classement n'est pas validé.", code="not_validated")
    contracts = Contract.objects.filter(
        operation=scope.access.operation, lot=scope.lot, deleted_at__isnull=True
    )
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


# --- Documents --------------------------------------------------------------------------------


def dce_settings_of(operation: Operation) -> DceSettings | None:
    return DceSettings.objects.filter(operation=operation).first()


def dce_input(access: OperationAccess, data: dict[str, Any]) -> dict[str, Any]:
    operation = access.operation
    return dce.consultation_input(operation, context_of(operation), data, scopes_of(access))


def check_dce(access: OperationAccess, data: dict[str, Any]) -> ConsultationFile:
    """The domain's verdict on the consultation file (raises on a blocking rule)."""
    return prepare_consultation_from_dict(dce_input(access, data))


@transaction.atomic
def save_dce_settings(access: OperationAccess, user: Any, data: dict[str, Any]) -> DceSettings:
    """Keep the settings as typed, even when the domain refuses the file they describe."""
    access.require_edit()
    stored = dce_settings_of(access.operation)
    form = dce.DceSettingsForm(scopes=scopes_of(access), criteria_names=[])
    labels = {name: str(field.label) for name, field in form.fields.items()}
    before = history.labelled(stored.data, labels) if stored else None
    if stored is None:
        stored = DceSettings(operation=access.operation)
    stored.data = data
    stored.updated_by = user
    stored.save()
    record(
        user,
        Action.UPDATE if before else Action.CREATE,
        stored,
        operation_id=access.operation.pk,
        before=before,
        after=history.labelled(stored.data, labels),
    )
    return stored


@transaction.atomic
def dce_archive(access: OperationAccess, user: Any) -> tuple[bytes, GeneratedDocuments]:
    """The whole DCE as a ZIP, built from the operation's current data; recorded."""
    stored = dce_settings_of(access.operation)
    if stored is None:
        raise OpenAMOError(
            "Renseignez d'abord les paramètres du DCE (clauses, forme des prix).",
            code="dce_settings_missing",
        )
    refuse_if_decisions_stale(access.operation, "produire le DCE")
    archive, summary = dce_archive_from_dict(dce_input(access, stored.data))
    record(
        user,
        Action.GENERATE,
        stored,
        operation_id=access.operation.pk,
        after={"document": "DCE (archive ZIP)", "fichiers": summary.files},
    )
    return archive, summary


def report_info(scope: Scope, analysis: LotAnalysis) -> dict[str, Any]:
    operation = scope.access.operation
    context = context_of(operation)
    settings = dce_settings_of(operation)
    consultation = context.consultation
    info: dict[str, Any] = {
        "buyer_name": operation.organisation.name,
        "object": ((context.need.object if context.need else "") or operation.title)[:500],
        "author": _person(analysis.analysed_by) or "l'assistant à maîtrise d'ouvrage",
        "decision_maker": f"le maître d'ouvrage de {operation.organisation.name}"[:200],
    }
    if analysis.analysed_at is not None:
        info["analysed_on"] = timezone.localdate(analysis.analysed_at).isoformat()
    if analysis.validated_at is not None and analysis.status == AnalysisStatus.VALIDEE:
        info["decided_on"] = timezone.localdate(analysis.validated_at).isoformat()
    if settings is not None and settings.data.get("reference"):
        info["reference"] = str(settings.data["reference"])[:60]
    if consultation is not None and consultation.procedure:
        info["procedure_label"] = consultation.get_procedure_display()[:300]
    if consultation is not None and consultation.response_deadline:
        info["deadline"] = f"{consultation.response_deadline:%d/%m/%Y}"
    return info


def _person(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.username)[:200]


@transaction.atomic
def analysis_report(scope: Scope, user: Any, suffix: str) -> bytes:
    """The rapport d'analyse des offres of the lot (``.docx`` or ``.pdf``), from the analysis
    as it was run; refused while the data has changed since."""
    analysis = analysis_of(scope)
    if analysis is None or not analysis.input:
        raise OpenAMOError("Lancez d'abord l'analyse des offres du lot.", code="no_analysis")
    decisions.refuse_if_ranking_stale(analysis, "produire le rapport d'analyse")
    if is_stale(scope, analysis):
        raise OpenAMOError(
            "Les données ont changé depuis l'analyse : relancez-la avant de produire le rapport.",
            code="stale",
        )
    data = {**analysis.input, "report": report_info(scope, analysis)}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"rapport{suffix}"
        write_report_from_dict(data, path)
        content = path.read_bytes()
    record(
        user,
        Action.GENERATE,
        analysis,
        operation_id=scope.access.operation.pk,
        after={"document": f"Rapport d'analyse des offres ({suffix[1:].upper()})"},
    )
    return content
