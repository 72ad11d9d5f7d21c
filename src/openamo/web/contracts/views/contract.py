"""The contract itself: list, page, edition, deletion, renewals, history and evaluations."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from openamo.errors import OpenAMOError
from openamo.money import with_vat
from openamo.pricing import advance as advances
from openamo.pricing.execution_models import AdvanceResult, RetentionResult
from openamo.validation import french_errors
from openamo.web import search as search_text
from openamo.web.contracts import queries
from openamo.web.contracts.access import contract_access
from openamo.web.contracts.forms.contract import (
    RenewalDecisionForm,
)
from openamo.web.contracts.mappers import advance_input, initial_end, retention_input
from openamo.web.contracts.models import Contract
from openamo.web.contracts.presenters.contract import (
    contracts_table,
    renewals_table,
    subcontractors_table,
)
from openamo.web.contracts.presenters.history import history_entries, history_events
from openamo.web.contracts.presenters.labels import day
from openamo.web.contracts.presenters.outcomes import attach_domain_errors
from openamo.web.contracts.presenters.quality import evaluations_table, holders_table
from openamo.web.contracts.services import contract as contract_service
from openamo.web.contracts.services import renewals as renewal_service
from openamo.web.contracts.services import subcontractors as subcontractor_service
from openamo.web.contracts.views._common import GET_POST, crumbs, form_page
from openamo.web.contracts.views.creation import CONTRACT_FORM_FIELDS, holders_and_form
from openamo.web.forms import saved
from openamo.web.operations.access import operation_access
from openamo.web.page_cache import cached_for_user
from openamo.web.pages import contracts_label, page_context
from openamo.web.users import AuthenticatedRequest

PAGE_SIZE = 25


@login_required
@cached_for_user
def contract_list(request: AuthenticatedRequest) -> HttpResponse:
    search = search_text.clean(request.GET.get("q", ""))
    today = timezone.localdate()
    page, rows = queries.paginate(
        queries.contract_list(request.user, search), request.GET.get("page"), PAGE_SIZE, today
    )
    context = page_context(
        contracts_label(request.user),
        page_obj=page,
        search=search,
        table=contracts_table(rows),
        can_create=bool(contract_service.creatable_organisations(request.user)),
    )
    return render(request, "contracts/list.html", context)


@dataclass(frozen=True)
class Clauses:
    """The domain's verdicts on the contract's advance and retention, or why it refused."""

    advance: AdvanceResult | None = None
    retention: RetentionResult | None = None
    error: str | None = None


def _advance(contract: Contract) -> Clauses | None:
    """The domain's advance and retention verdicts for the contract's clauses (none without
    a duration or a retention rate)."""
    advance: AdvanceResult | None = None
    retention: RetentionResult | None = None
    try:
        if contract.duration_months:
            with french_errors():
                advance_data = advance_input(contract)
            advance = advances.advance(advance_data)
        if contract.retention_rate_percent is not None:
            modifications = contract_service.signed_amendments_ht(contract)
            with french_errors():
                retention_data = retention_input(contract, modifications)
            retention = advances.retention(retention_data)
    except OpenAMOError as exc:
        return Clauses(advance, retention, exc.message)
    if advance is None and retention is None:
        return None
    return Clauses(advance, retention)


@login_required
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    contract = access.contract
    today = timezone.localdate()
    renewals = renewal_service.live_renewals(contract)
    context = page_context(
        str(contract),
        *crumbs(),
        access=access,
        contract=contract,
        initial_end=initial_end(contract),
        renewals_table=renewals_table(renewals, access, today),
        subcontractors_table=subcontractors_table(
            subcontractor_service.live_subcontractors(contract), access
        ),
        clauses=_advance(contract),
        amount_ttc=with_vat(contract.initial_amount_ht, contract.vat_rate),
    )
    return render(request, "contracts/detail.html", context)


@login_required
@require_http_methods(GET_POST)
def edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    access.require_edit()
    contract = access.contract
    lots = []
    if contract.operation_id is not None:
        lots = contract_service.lots_of(operation_access(request.user, contract.operation_id))
    initial = {name: getattr(contract, name) for name in contract_service.FRAME_FIELDS}
    initial["holder_organisation"] = contract.holder_organisation_id
    initial["lot"] = contract.lot_id
    holders = contract_service.holder_organisations(
        contract.organisation, contract.operation_id, contract.holder_organisation
    )
    form = holders_and_form(
        request,
        holders,
        access.can_validate,
        initial=initial,
        lots=lots,
        editing=True,
        current=contract,
    )
    if saved(
        request,
        form,
        lambda: contract_service.update_contract(access, request.user, form.request()),
        partial(attach_domain_errors, fields=CONTRACT_FORM_FIELDS),
    ):
        messages.success(request, "Marché enregistré.")
        return redirect("contracts:detail", pk)
    return form_page(request, "Modifier le marché", crumbs(contract), form, contract=contract)


@login_required
@require_http_methods(GET_POST)
def delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    access.require_validate()
    if request.method == "POST":
        contract_service.delete_contract(access, request.user)
        messages.success(request, f"{access.contract} supprimé.")
        return redirect("contracts:list")
    context = page_context(
        "Supprimer le marché",
        *crumbs(access.contract),
        question=f"Supprimer « {access.contract} » ?",
        consequence="Il n'apparaîtra plus dans les listes ; ses factures, son historique et "
        "ses pièces sont conservés.",
        cancel_url=reverse("contracts:detail", args=[pk]),
    )
    return render(request, "confirm.html", context)


@login_required
@require_http_methods(GET_POST)
def renewal_decide(request: AuthenticatedRequest, pk: int, renewal_pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    renewal = renewal_service.live_renewal(access, renewal_pk)
    access.require(
        access.can_validate,
        "Seul un maître d'ouvrage de l'acheteur décide de reconduire ou non le marché.",
    )
    form = RenewalDecisionForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    if saved(
        request,
        form,
        lambda: renewal_service.decide_renewal(
            access,
            request.user,
            renewal,
            form.cleaned_data["decision"],
            form.cleaned_data["note"],
            form.cleaned_data["decided_on"],
        ),
    ):
        messages.success(request, "Décision de reconduction enregistrée.")
        return redirect(reverse("contracts:detail", args=[pk]) + "#reconductions")
    return form_page(
        request,
        f"Reconduction n° {renewal.number}",
        crumbs(access.contract),
        form,
        submit="Enregistrer la décision",
        contract=access.contract,
        summary=[
            (
                "Période",
                f"du {day(renewal.starts_on)} au {day(renewal.ends_on)}",
            ),
            ("Décision à prendre avant le", day(renewal.decision_deadline)),
        ],
    )


@login_required
def history(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    events = history_events(access.contract, access)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    context = page_context(
        "Historique du marché",
        *crumbs(access.contract),
        contract=access.contract,
        subject=str(access.contract),
        nav="contracts/_nav.html",
        intro="Chaque création, modification, décision et import est conservé, avec son auteur "
        "et l'état avant et après.",
        caption="Historique du marché",
        page_obj=page,
        entries=history_entries(page.object_list, access),
    )
    return render(request, "history.html", context)


@login_required
def evaluations(request: AuthenticatedRequest) -> HttpResponse:
    """The evaluations of the holders of the user's contracts, for the next consultations."""
    search = search_text.clean(request.GET.get("q", ""))
    found = queries.evaluations(request.user, search)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = page_context(
        "Évaluations des titulaires",
        *crumbs(),
        page_obj=page,
        search=search,
        table=evaluations_table(page.object_list, with_contract=True),
        holders=holders_table(queries.holder_summary(found)),
    )
    return render(request, "contracts/evaluations.html", context)
