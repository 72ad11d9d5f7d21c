"""The passation overview and the award criteria (weights, methods, sub-criteria, grids)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openamo.award import default_grid
from openamo.errors import OpenAMOError
from openamo.web.award.access import scopes_of
from openamo.web.award.forms import criteria as criteria_forms
from openamo.web.award.forms.fields import from_tri_state, tri_state
from openamo.web.award.marking import decimal_label
from openamo.web.award.models import CriteriaSet
from openamo.web.award.presenters import criteria as criteria_presenters
from openamo.web.award.presenters.overview import lots_overview
from openamo.web.award.services import criteria as criteria_service
from openamo.web.award.services import documents as document_service
from openamo.web.award.services import reading
from openamo.web.award.views._common import GET_POST, attach_to_rows, crumbs, not_a_read
from openamo.web.forms import VersionForm
from openamo.web.operations.access import operation_access
from openamo.web.pages import page_context
from openamo.web.users import AuthenticatedRequest


@login_required
def index(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    if refused := not_a_read(request):
        return refused
    operation = access.operation
    context = reading.context_of(operation)
    table = lots_overview(
        scopes_of(access), reading.analyses_of(operation), reading.offer_counts(operation)
    )
    page = page_context(
        "Passation",
        *crumbs(access)[:-1],
        access=access,
        operation=operation,
        context=context,
        criteria=criteria_presenters.criteria_rows(context.criteria),
        lots_table=table,
        dce_settings=document_service.dce_settings_of(operation),
    )
    return render(request, "award/index.html", page)


@login_required
def criteria(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    if refused := not_a_read(request):
        return refused
    context = reading.context_of(access.operation)
    review: criteria_presenters.Review | None = None
    error = ""
    if context.criteria:
        try:
            result = reading.review_criteria(context, context.criteria, context.standardised)
        except OpenAMOError as exc:
            error = exc.message
        else:
            review = criteria_presenters.review(result)
    page = page_context(
        "Critères de jugement des offres",
        *crumbs(access),
        access=access,
        operation=access.operation,
        criteria=criteria_presenters.criteria_rows(context.criteria),
        review=review,
        review_error=error,
        methods=criteria_presenters.methods_explained(),
        locked=reading.criteria_locked(access.operation),
        consultation=context.consultation,
        criteria_set=context.criteria_set,
    )
    return render(request, "award/criteria.html", page)


@login_required
@require_http_methods(GET_POST)
def criteria_validate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    # Access is checked before the method, so that another organisation gets the same 404
    # here as on every other URL of the operation; a GET simply leads back to the criteria.
    access = operation_access(request.user, pk)
    if request.method == "POST":
        try:
            criteria_service.validate_criteria_set(access, request.user)
        except OpenAMOError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, "Critères de jugement validés et enregistrés dans l'historique."
            )
    return redirect("award:criteria", pk)


@login_required
@require_http_methods(GET_POST)
def criteria_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    access.require_edit()
    if reading.criteria_locked(access.operation):
        messages.error(request, "Des offres sont déjà notées : les critères ne changent plus.")
        return redirect("award:criteria", pk)
    context = reading.context_of(access.operation)
    stored = context.criteria
    formset = criteria_forms.criteria_formset(request.POST or None, stored)
    set_form = criteria_forms.CriteriaSetForm(
        request.POST or None,
        initial={"standardised_purchase": tri_state(context.standardised)},
        current=CriteriaSet.objects.filter(operation=access.operation),
    )
    review = None
    if request.method == "POST" and formset.is_valid() and set_form.is_valid():
        filled = [(i, row) for i, row in enumerate(formset.forms) if not row.is_blank()]
        typed = [row.request(stored[i] if i < len(stored) else None) for i, row in filled]
        standardised = from_tri_state(set_form.cleaned_data["standardised_purchase"])
        try:
            if request.POST.get("action") == "verifier":
                checked = criteria_service.validate_criteria(typed)
                review = criteria_presenters.review(
                    reading.review_criteria(context, checked, standardised)
                )
            else:
                checked = criteria_service.validate_criteria(typed)
                criteria_service.save_criteria(access, request.user, checked, standardised)
                messages.success(request, "Critères enregistrés.")
                return redirect("award:criteria", pk)
        except OpenAMOError as exc:
            rows = [row for _, row in filled]
            for message in attach_to_rows(rows, exc, "criteres", criteria_forms.CRITERION_ROUTES):
                set_form.add_error(None, message)
    page = page_context(
        "Modifier les critères",
        *crumbs(access, ("Critères de jugement", reverse("award:criteria", args=[pk]))),
        formset=formset,
        set_form=set_form,
        review=review,
        methods=criteria_presenters.methods_explained(),
        operation=access.operation,
    )
    return render(request, "award/criteria_edit.html", page)


_PREFIX = re.compile(r"^criteres\[\d+\]\.?")


@login_required
@require_http_methods(GET_POST)
def criterion_edit(request: AuthenticatedRequest, pk: int, index: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    context = reading.context_of(access.operation)
    if not 0 <= index < len(context.criteria):
        raise Http404("Critère introuvable.")
    access.require_edit()
    criterion = context.criteria[index]
    if criterion.kind.is_price or reading.criteria_locked(access.operation):
        messages.error(
            request,
            "Le prix est noté par sa formule, sans sous-critère ni grille."
            if criterion.kind.is_price
            else "Des offres sont déjà notées : les critères ne changent plus.",
        )
        return redirect("award:criteria", pk)
    subs = criteria_forms.sub_criteria_formset(request.POST or None, criterion)
    grid = criteria_forms.grid_formset(
        request.POST or None, criterion, default_grid(criterion.scale)
    )
    guard = VersionForm(
        request.POST or None,
        current=CriteriaSet.objects.filter(operation=access.operation),
        prefix="garde",
    )
    errors: list[str] = []
    valid = request.method == "POST" and guard.is_valid()
    if valid and subs.is_valid() and grid.is_valid():
        sub_rows = criteria_forms.filled_rows(subs)
        levels = criteria_forms.grid_rows(grid)
        try:
            criteria_service.save_criterion_details(
                access,
                request.user,
                index,
                [criteria_forms.sub_criterion_row(row) for row in sub_rows],
                [level for _, level in levels],
            )
        except OpenAMOError as exc:
            errors = _attach_details(exc, sub_rows, [row for row, _ in levels])
        else:
            messages.success(request, f"Critère « {criterion.name} » enregistré.")
            return redirect(reverse("award:criteria", args=[pk]) + f"#critere-{index}")
    page = page_context(
        f"Sous-critères et grille de notation — {criterion.name}",
        *crumbs(access, ("Critères de jugement", reverse("award:criteria", args=[pk]))),
        criterion=criterion,
        scale=decimal_label(criterion.scale),
        subs=subs,
        grid=grid,
        guard=guard,
        errors=errors,
        operation=access.operation,
    )
    return render(request, "award/criterion_edit.html", page)


def _attach_details(
    exc: OpenAMOError,
    sub_rows: list[criteria_forms.SubCriterionForm],
    grid_rows: list[criteria_forms.GridLevelForm],
) -> list[str]:
    """Errors of ``criteres[i].sub_criteria[j]…`` / ``…grid[k]…`` on their row; those of the
    criterion itself on the rows they concern; the rest above the form."""
    left: list[str] = []
    for detail in exc.details or []:
        location = _PREFIX.sub("", detail.location)
        local = OpenAMOError(exc.message, details=[type(detail)(location, detail.message)])
        if location.startswith("sub_criteria"):
            left += attach_to_rows(
                sub_rows, local, "sub_criteria", criteria_forms.SUB_CRITERION_ROUTES
            )
        elif location.startswith("grid"):
            left += attach_to_rows(grid_rows, local, "grid", criteria_forms.GRID_ROUTES)
        elif "sous-critère" in detail.message and sub_rows:
            for row in sub_rows:
                row.add_error("weight", detail.message)
        elif ("grille" in detail.message or "barème" in detail.message) and grid_rows:
            for grid_row in grid_rows:
                grid_row.add_error("mark", detail.message)
        else:
            left.append(detail.message)
    return left or ([] if exc.details else [exc.message])
