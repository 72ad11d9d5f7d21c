"""The consultation file (DCE): its settings, the domain's verdict, the ZIP download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from openamo.errors import OpenAMOError
from openamo.web import downloads
from openamo.web.award.access import Scope, scopes_of
from openamo.web.award.dce import defaults as dce_defaults
from openamo.web.award.dce import form as dce_form
from openamo.web.award.models import DceSettings
from openamo.web.award.presenters.criteria import DceVerdict, dce_verdict
from openamo.web.award.requests import DceRequest
from openamo.web.award.services import documents as document_service
from openamo.web.award.services import reading
from openamo.web.award.views._common import GET_POST, crumbs
from openamo.web.operations.access import OperationAccess, operation_access
from openamo.web.pages import page_context
from openamo.web.users import AuthenticatedRequest


@login_required
@require_http_methods(GET_POST)
def dce_settings(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    access.require_edit()
    operation = access.operation
    stored = document_service.dce_settings_of(operation)
    scopes = scopes_of(access)
    context = reading.context_of(operation)
    initial = (
        stored.request() if stored else dce_defaults.default_settings(operation, context)
    ).to_stored()
    names = [criterion.name for criterion in context.criteria]
    form = dce_form.DceSettingsForm(
        request.POST or None,
        initial=initial,
        scopes=scopes,
        criteria_names=names,
        current=DceSettings.objects.filter(operation=operation),
    )
    verdict: DceVerdict | None = None
    blocking: list[str] = []
    if request.method == "POST" and form.is_valid():
        typed = form.request()
        document_service.save_dce_settings(access, request.user, typed)
        try:
            document_service.check_dce(access, typed)
        except OpenAMOError as exc:
            blocking = _attach(form, exc, scopes)
            messages.warning(
                request,
                "Paramètres enregistrés, mais le DCE ne peut pas être produit tant que les "
                "points signalés ne sont pas corrigés.",
            )
        else:
            messages.success(request, "Paramètres enregistrés : le DCE est prêt.")
            return redirect("award:dce_settings", pk)
    elif request.method == "GET" and stored is not None:
        verdict, blocking = _verdict(access, stored.request())
    page = page_context(
        "Dossier de consultation des entreprises (DCE)",
        *crumbs(access),
        form=form,
        scopes=scopes,
        verdict=verdict,
        blocking=blocking,
        saved=stored is not None,
        operation=operation,
    )
    return render(request, "award/dce_settings.html", page)


def _verdict(access: OperationAccess, typed: DceRequest) -> tuple[DceVerdict | None, list[str]]:
    try:
        file = document_service.check_dce(access, typed)
    except OpenAMOError as exc:
        return None, [f"{d.message}" for d in exc.details] or [exc.message]
    return dce_verdict(file), []


def _attach(form: dce_form.DceSettingsForm, exc: OpenAMOError, scopes: list[Scope]) -> list[str]:
    """The domain's blocking points next to the field where they are fixed; the others
    (criteria, procedure, need) are listed above the form."""
    left: list[str] = []
    for detail in exc.details:
        field = dce_form.field_for(detail.location, scopes)
        if field is not None and field in form.fields:
            form.add_error(field, detail.message)
        else:
            left.append(detail.message)
    return left or ([] if exc.details else [exc.message])


@login_required
def dce_download(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    if refused := downloads.post_only(request):
        return refused
    try:
        archive, _ = document_service.dce_archive(access, request.user)
    except OpenAMOError as exc:
        messages.error(request, exc.message)
        for detail in exc.details:
            messages.error(request, detail.message)
        return redirect("award:index", pk)
    stored = document_service.dce_settings_of(access.operation)
    reference = stored.request().reference if stored else None
    return downloads.attachment(
        archive, "application/zip", f"DCE {reference or access.operation.pk}.zip"
    )
