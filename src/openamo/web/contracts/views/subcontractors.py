"""The sub-contractors of a contract: declared, edited, removed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openamo.web.audit.services import audited_fields
from openamo.web.contracts.access import ContractAccess, contract_access
from openamo.web.contracts.forms.contract import (
    SubcontractorForm,
)
from openamo.web.contracts.models import Subcontractor
from openamo.web.contracts.services import subcontractors as subcontractor_service
from openamo.web.contracts.views._common import GET_POST, crumbs, form_page
from openamo.web.pages import page_context
from openamo.web.users import AuthenticatedRequest


def _subcontractor_page(
    request: AuthenticatedRequest, access: ContractAccess, found: Subcontractor | None = None
) -> HttpResponse:
    access.require_edit()
    initial = None
    if found is not None:
        initial = {name: getattr(found, name) for name in audited_fields(Subcontractor)}
    form = SubcontractorForm(request.POST or None, initial=initial, current=found)
    if request.method == "POST" and form.is_valid():
        subcontractor_service.save_subcontractor(access, request.user, form.request(), found)
        messages.success(request, "Sous-traitant enregistré.")
        return redirect(reverse("contracts:detail", args=[access.contract.pk]) + "#sous-traitance")
    title = "Modifier le sous-traitant" if found else "Déclarer un sous-traitant"
    return form_page(request, title, crumbs(access.contract), form, contract=access.contract)


@login_required
@require_http_methods(GET_POST)
def subcontractor_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _subcontractor_page(request, contract_access(request.user, pk))


@login_required
@require_http_methods(GET_POST)
def subcontractor_edit(request: AuthenticatedRequest, pk: int, sub_pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    return _subcontractor_page(
        request, access, subcontractor_service.live_subcontractor(access, sub_pk)
    )


@login_required
@require_http_methods(GET_POST)
def subcontractor_delete(request: AuthenticatedRequest, pk: int, sub_pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    found = subcontractor_service.live_subcontractor(access, sub_pk)
    access.require_edit()
    if request.method == "POST":
        subcontractor_service.remove_subcontractor(access, request.user, found)
        messages.success(request, f"{found} retiré.")
        return redirect(reverse("contracts:detail", args=[pk]) + "#sous-traitance")
    context = page_context(
        "Retirer le sous-traitant",
        *crumbs(access.contract),
        question=f"Retirer « {found.name} » de la sous-traitance déclarée ?",
        consequence="Il n'apparaîtra plus sur la fiche du marché ; l'historique le conserve.",
        cancel_url=reverse("contracts:detail", args=[pk]),
    )
    return render(request, "confirm.html", context)
