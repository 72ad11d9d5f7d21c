"""The analysis of a lot: the domain's ranking, its proposal, the maître d'ouvrage's decision,
and the rapport d'analyse des offres."""

from __future__ import annotations

from dataclasses import asdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from openamo.errors import OpenAMOError
from openamo.web import downloads
from openamo.web.award import letters
from openamo.web.award.access import Scope, scope_of
from openamo.web.award.calendar import award_calendar
from openamo.web.award.forms.analysis import AnalysisForm
from openamo.web.award.mappers import RankingSettings
from openamo.web.award.models import AnalysisStatus, LotAnalysis
from openamo.web.award.presenters.analysis import analysis_view
from openamo.web.award.requests import DceRequest
from openamo.web.award.services import documents as document_service
from openamo.web.award.services import ranking as ranking_service
from openamo.web.award.services import reading
from openamo.web.award.views._common import GET_POST, crumbs
from openamo.web.operations.access import operation_access
from openamo.web.pages import page_context
from openamo.web.users import AuthenticatedRequest

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _to_analysis(scope: Scope) -> HttpResponse:
    return redirect("award:analysis", scope.access.operation.pk, scope.key)


@login_required
@require_http_methods(GET_POST)
def analysis(request: AuthenticatedRequest, pk: int, lot_pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    scope = scope_of(access, lot_pk)
    if request.method == "POST":
        access.require_edit()
    found = reading.analysis_of(scope)
    context = reading.context_of(access.operation)
    settings = document_service.dce_settings_of(access.operation)
    # Before the first analysis, what the RC announced (multi-attribution, tie-break) applies.
    announced = settings.request() if settings else DceRequest()
    shown = RankingSettings(winners=announced.winners, tie_break=announced.tie_break)
    if found is not None:
        shown = RankingSettings(found.winners, found.tie_break, found.budget_ht)
    initial = asdict(shown)
    names = [criterion.name for criterion in context.criteria]
    form = AnalysisForm(
        request.POST or None,
        initial=initial,
        criteria_names=names,
        current=LotAnalysis.objects.filter(operation=access.operation, lot=scope.lot),
    )
    failure: OpenAMOError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            ranking_service.analyse(scope, request.user, form.settings())
        except OpenAMOError as exc:
            failure = exc
        else:
            messages.success(
                request, "Analyse enregistrée : le classement proposé attend la validation."
            )
            return _to_analysis(scope)
    view = None
    award_dates = None
    if found is not None and found.result:
        offers = reading.live_offers(scope)
        view = analysis_view(found, scope, offers)
        if found.status == AnalysisStatus.VALIDEE:
            award_dates = award_calendar(found, context.consultation, len(offers))
    page = page_context(
        f"Analyse des offres — {scope.label}",
        *crumbs(access),
        access=access,
        scope=scope,
        operation=access.operation,
        analysis=found,
        view=view,
        stale=found is not None and reading.is_stale(scope, found),
        validated=found is not None and found.status == AnalysisStatus.VALIDEE,
        form=form,
        failure=failure,
        has_criteria=bool(context.criteria),
        award_dates=award_dates,
        requests=letters.request_count(scope),
    )
    return render(request, "award/analysis.html", page)


@login_required
@require_http_methods(GET_POST)
def validate(request: AuthenticatedRequest, pk: int, lot_pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    scope = scope_of(access, lot_pk)
    if request.method == "POST":
        try:
            ranking_service.validate(scope, request.user)
        except OpenAMOError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, "Classement validé ; la décision est enregistrée dans l'historique."
            )
    return _to_analysis(scope)


@login_required
@require_http_methods(GET_POST)
def reopen(request: AuthenticatedRequest, pk: int, lot_pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    scope = scope_of(access, lot_pk)
    if request.method == "POST":
        try:
            ranking_service.reopen(scope, request.user)
        except OpenAMOError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, "Validation retirée : le classement redevient une proposition."
            )
    return _to_analysis(scope)


def _report(
    request: AuthenticatedRequest, pk: int, lot_pk: int, suffix: str, kind: str
) -> HttpResponse:
    access = operation_access(request.user, pk)
    if refused := downloads.post_only(request):
        return refused
    scope = scope_of(access, lot_pk)
    try:
        content = document_service.analysis_report(scope, request.user, suffix)
    except OpenAMOError as exc:
        messages.error(request, exc.message)
        return _to_analysis(scope)
    return downloads.attachment(
        content, kind, f"Rapport d'analyse des offres — {scope.label}{suffix}"
    )


@login_required
def report_docx(request: AuthenticatedRequest, pk: int, lot_pk: int) -> HttpResponse:
    return _report(request, pk, lot_pk, ".docx", DOCX)


@login_required
def report_pdf(request: AuthenticatedRequest, pk: int, lot_pk: int) -> HttpResponse:
    return _report(request, pk, lot_pk, ".pdf", "application/pdf")


@login_required
def requests_zip(request: AuthenticatedRequest, pk: int, lot_pk: int) -> HttpResponse:
    """The requests of the analysis, before any ranking: to complete a candidacy (R2144-2) and
    to justify an abnormally low price (R2152-3), each in Word and PDF, in one ZIP."""
    access = operation_access(request.user, pk)
    if refused := downloads.post_only(request):
        return refused
    scope = scope_of(access, lot_pk)
    try:
        content = letters.requests_archive(scope, request.user)
    except OpenAMOError as exc:
        messages.error(request, exc.message)
        return _to_analysis(scope)
    return downloads.attachment(
        content, "application/zip", f"Demandes aux candidats — {scope.label}.zip"
    )


@login_required
def letters_zip(request: AuthenticatedRequest, pk: int, lot_pk: int) -> HttpResponse:
    """The letters of the validated ranking: rejection of each other tenderer and information
    of the winner, each in Word and PDF, in one ZIP."""
    access = operation_access(request.user, pk)
    if refused := downloads.post_only(request):
        return refused
    scope = scope_of(access, lot_pk)
    try:
        content = letters.letters_archive(scope, request.user)
    except OpenAMOError as exc:
        messages.error(request, exc.message)
        return _to_analysis(scope)
    return downloads.attachment(
        content, "application/zip", f"Lettres d'attribution et de rejet — {scope.label}.zip"
    )
