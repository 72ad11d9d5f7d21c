"""Candidacies: the admissibility checklist of each candidate, judged by the domain."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openamo.errors import OpenAMOError
from openamo.web.award.access import live_candidacy
from openamo.web.award.forms.candidacies import CandidacyForm, candidacy_initial
from openamo.web.award.presenters.offers import candidacies_table
from openamo.web.award.requests import CandidacyEntry
from openamo.web.award.services import candidacies as candidacy_service
from openamo.web.award.services import reading
from openamo.web.award.views._common import GET_POST, attach, crumbs, not_a_read
from openamo.web.operations.access import OperationAccess, operation_access
from openamo.web.pages import page_context
from openamo.web.users import AuthenticatedRequest


def _list_crumb(access: OperationAccess) -> tuple[str, str]:
    return ("Candidatures", reverse("award:candidacies", args=[access.operation.pk]))


@login_required
def candidacies(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    if refused := not_a_read(request):
        return refused
    found = reading.live_candidacies(access.operation)
    page = page_context(
        "Candidatures",
        *crumbs(access),
        access=access,
        operation=access.operation,
        table=candidacies_table(found, access),
    )
    return render(request, "award/candidacies.html", page)


@login_required
@require_http_methods(GET_POST)
def candidacy_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    access.require_edit()
    form = CandidacyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            candidacy = candidacy_service.add_candidacy(access, request.user, form.request())
        except OpenAMOError as exc:
            attach(form, exc)
        else:
            messages.success(request, f"Candidature de « {candidacy.bidder} » enregistrée.")
            return redirect("award:candidacies", pk)
    page = page_context(
        "Nouvelle candidature",
        *crumbs(access, _list_crumb(access)),
        form=form,
        submit="Enregistrer",
        intro="Cochez les pièces reçues : le verdict (recevable, à régulariser, irrecevable) et "
        "ses références sont établis par OpenAMO.",
    )
    return render(request, "form_page.html", page)


@login_required
@require_http_methods(GET_POST)
def candidacy_edit(request: AuthenticatedRequest, pk: int, candidacy_pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    candidacy = live_candidacy(access, candidacy_pk)
    access.require_edit()
    form = CandidacyForm(
        request.POST or None,
        initial=candidacy_initial(CandidacyEntry.of(candidacy)),
        current=candidacy,
    )
    if request.method == "POST" and form.is_valid():
        try:
            candidacy_service.update_candidacy(access, request.user, candidacy, form.request())
        except OpenAMOError as exc:
            attach(form, exc)
        else:
            messages.success(request, f"Candidature de « {candidacy.bidder} » enregistrée.")
            return redirect("award:candidacies", pk)
    page = page_context(
        f"Candidature — {candidacy.bidder}",
        *crumbs(access, _list_crumb(access)),
        form=form,
        submit="Enregistrer",
    )
    return render(request, "form_page.html", page)


@login_required
@require_http_methods(GET_POST)
def candidacy_delete(request: AuthenticatedRequest, pk: int, candidacy_pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    candidacy = live_candidacy(access, candidacy_pk)
    access.require_edit()
    if request.method == "POST":
        try:
            candidacy_service.delete_candidacy(access, request.user, candidacy)
        except OpenAMOError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Candidature de « {candidacy.bidder} » supprimée.")
        return redirect("award:candidacies", pk)
    page = page_context(
        f"Supprimer la candidature de {candidacy.bidder}",
        *crumbs(access, _list_crumb(access)),
        question=f"Supprimer la candidature de « {candidacy.bidder} » ?",
        consequence="Elle ne sera plus prise en compte dans l'analyse ; l'historique la conserve.",
        cancel_url=reverse("award:candidacies", args=[pk]),
    )
    return render(request, "confirm.html", page)
