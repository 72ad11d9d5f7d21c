"""Pages of the quality follow-up: service orders, reception and reserves, penalties and the
evaluation of the holder."""

from __future__ import annotations

from functools import partial

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from openamo.errors import OpenAMOError
from openamo.pricing.execution_models import PenaltyResult
from openamo.web.contracts import quality
from openamo.web.contracts.access import contract_access
from openamo.web.contracts.forms.quality import (
    EvaluationForm,
    IssueForm,
    LiftForm,
    PenaltyDecisionForm,
    PenaltyForm,
    ReceptionDecisionForm,
    ReceptionForm,
    ReserveForm,
    ServiceOrderForm,
)
from openamo.web.contracts.models import Contract
from openamo.web.contracts.presenters.labels import day, euros
from openamo.web.contracts.presenters.outcomes import attach_domain_errors, domain_result
from openamo.web.contracts.presenters.quality import (
    evaluations_table,
    penalties_table,
    receptions_view,
    service_orders_table,
)
from openamo.web.contracts.views._common import GET_POST, crumbs, form_page
from openamo.web.forms import saved, submitted
from openamo.web.pages import page_context
from openamo.web.users import AuthenticatedRequest

PENALTY_FIELDS = {
    "due_on": "due_on",
    "delivered_on": "delivered_on",
    "late_value_ht": "late_value_ht",
}


def _quality_url(pk: int, anchor: str = "") -> str:
    return reverse("contracts:quality", args=[pk]) + anchor


def _q_crumbs(contract: Contract) -> list[tuple[str, str]]:
    return crumbs(contract, ("Qualité et réception", _quality_url(contract.pk)))


@login_required
def quality_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    contract = access.contract
    today = timezone.localdate()
    receptions = quality.receptions_of(contract)
    reserves = quality.reserves_of(receptions)
    context = page_context(
        "Qualité et réception",
        *crumbs(contract),
        access=access,
        contract=contract,
        service_orders_table=service_orders_table(quality.service_orders_of(contract), access),
        receptions=receptions_view(receptions, reserves, today),
        open_reserves=quality.open_reserves_count(reserves),
        penalties_table=penalties_table(quality.penalties_of(contract), access),
        applied=euros(quality.applied_total(contract)),
        evaluations_table=None
        if access.is_holder
        else evaluations_table(quality.evaluations_of(contract)),
    )
    return render(request, "contracts/quality.html", context)


@login_required
@require_http_methods(GET_POST)
def service_order_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    access.require_edit()
    form = ServiceOrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        order = quality.prepare_service_order(access, request.user, form.request())
        messages.success(request, f"{order} préparé : il attend la signature du maître d'ouvrage.")
        return redirect(_quality_url(pk, "#ordres-de-service"))
    return form_page(
        request,
        "Préparer un ordre de service",
        _q_crumbs(access.contract),
        form,
        submit="Préparer l'ordre de service",
        contract=access.contract,
    )


@login_required
@require_http_methods(GET_POST)
def service_order_issue(request: AuthenticatedRequest, pk: int, order_pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    order = quality.live_service_order(access, order_pk)
    access.require(access.can_validate, quality.MO_ONLY.format(what="signe un ordre de service"))
    form = IssueForm(request.POST or None, initial={"issued_on": timezone.localdate()})
    if saved(
        request,
        form,
        lambda: quality.issue_service_order(access, request.user, order, form.request()),
    ):
        messages.success(request, f"{order} signé et émis.")
        return redirect(_quality_url(pk, "#ordres-de-service"))
    return form_page(
        request,
        f"Signer l'ordre de service n° {order.number}",
        _q_crumbs(access.contract),
        form,
        submit="Signer et émettre",
        contract=access.contract,
        summary=[
            ("Nature", order.get_kind_display()),
            ("Objet", order.subject),
            ("Prescriptions", order.description or "—"),
            ("Date d'effet", day(order.effective_on)),
        ],
    )


@login_required
@require_http_methods(GET_POST)
def reception_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    access.require_edit()
    form = ReceptionForm(request.POST or None, initial={"inspected_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        quality.prepare_reception(access, request.user, form.request())
        messages.success(
            request, "Opérations de réception enregistrées : notez les réserves éventuelles."
        )
        return redirect(_quality_url(pk, "#reception"))
    return form_page(
        request,
        "Enregistrer des opérations de réception",
        _q_crumbs(access.contract),
        form,
        contract=access.contract,
    )


@login_required
@require_http_methods(GET_POST)
def reserve_create(request: AuthenticatedRequest, pk: int, reception_pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    reception = quality.live_reception(access, reception_pk)
    access.require_edit()
    form = ReserveForm(request.POST or None)
    if saved(
        request, form, lambda: quality.add_reserve(access, request.user, reception, form.request())
    ):
        messages.success(request, "Réserve notée.")
        return redirect(_quality_url(pk, "#reception"))
    return form_page(
        request,
        "Noter une réserve",
        _q_crumbs(access.contract),
        form,
        submit="Noter la réserve",
        contract=access.contract,
        summary=[("Réception", reception.label)],
    )


@login_required
@require_http_methods(GET_POST)
def reception_decide(request: AuthenticatedRequest, pk: int, reception_pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    reception = quality.live_reception(access, reception_pk)
    access.require(
        access.can_validate, quality.MO_ONLY.format(what="prononce, ajourne ou refuse la réception")
    )
    form = ReceptionDecisionForm(
        request.POST or None,
        initial={"effective_on": reception.inspected_on, "decided_on": timezone.localdate()},
    )
    if saved(
        request,
        form,
        lambda: quality.decide_reception(access, request.user, reception, form.request()),
        _attach,
    ):
        messages.success(request, "Décision de réception enregistrée.")
        return redirect(_quality_url(pk, "#reception"))
    reserves = quality.reserves_of([reception])[reception.pk]
    return form_page(
        request,
        "Décision de réception",
        _q_crumbs(access.contract),
        form,
        submit="Enregistrer la décision",
        contract=access.contract,
        summary=[
            ("Réception", reception.label),
            ("Opérations de vérification le", day(reception.inspected_on)),
            (
                "Réserves notées",
                " ; ".join(r.description for r in reserves if r.lifted_on is None) or "aucune",
            ),
        ],
    )


@login_required
@require_http_methods(GET_POST)
def reserve_lift(request: AuthenticatedRequest, pk: int, reserve_pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    reserve = quality.live_reserve(access, reserve_pk)
    access.require(
        access.can_validate, quality.MO_ONLY.format(what="constate la levée d'une réserve")
    )
    form = LiftForm(request.POST or None, initial={"lifted_on": timezone.localdate()})
    if saved(
        request,
        form,
        lambda: quality.lift_reserve(access, request.user, reserve, form.request()),
        _attach,
    ):
        messages.success(request, "Levée de la réserve constatée.")
        return redirect(_quality_url(pk, "#reception"))
    return form_page(
        request,
        "Lever une réserve",
        _q_crumbs(access.contract),
        form,
        submit="Constater la levée",
        contract=access.contract,
        summary=[
            ("Réserve", reserve.description),
            ("À lever avant le", day(reserve.due_on)),
        ],
    )


@login_required
@require_http_methods(GET_POST)
def penalty_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    access.require_edit()
    contract = access.contract
    form = PenaltyForm(request.POST or None)
    penalty = submitted(
        request,
        form,
        lambda: quality.compute_penalty(access, request.user, form.request()),
        partial(attach_domain_errors, fields=PENALTY_FIELDS),
    )
    if penalty is not None:
        messages.success(
            request,
            f"Pénalité calculée : {euros(penalty.penalty_ht)} HT. Elle attend la "
            "décision du maître d'ouvrage.",
        )
        return redirect(_quality_url(pk, "#penalites"))
    return form_page(
        request,
        "Calculer une pénalité de retard",
        _q_crumbs(contract),
        form,
        submit="Calculer",
        contract=contract,
        summary=[("Clause du marché", contract.get_penalty_clause_display() or "aucune clause")],
    )


@login_required
@require_http_methods(GET_POST)
def penalty_decide(request: AuthenticatedRequest, pk: int, penalty_pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    penalty = quality.live_penalty(access, penalty_pk)
    access.require(
        access.can_validate, quality.MO_ONLY.format(what="applique ou abandonne une pénalité")
    )
    form = PenaltyDecisionForm(request.POST or None)
    if saved(
        request,
        form,
        lambda: quality.decide_penalty(
            access, request.user, penalty, form.cleaned_data["decision"]
        ),
    ):
        messages.success(request, "Décision sur la pénalité enregistrée.")
        return redirect(_quality_url(pk, "#penalites"))
    return form_page(
        request,
        "Décision sur une pénalité",
        _q_crumbs(access.contract),
        form,
        submit="Enregistrer la décision",
        contract=access.contract,
        summary=[
            ("Manquement", penalty.reason),
            ("Pénalité calculée", f"{euros(penalty.penalty_ht)} HT"),
        ],
        result=domain_result(PenaltyResult.model_validate(penalty.result)),
    )


@login_required
@require_http_methods(GET_POST)
def evaluation_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    access.require_edit()
    form = EvaluationForm(request.POST or None, initial={"evaluated_on": timezone.localdate()})
    if saved(request, form, lambda: quality.evaluate(access, request.user, form.request())):
        messages.success(request, "Évaluation du titulaire enregistrée.")
        return redirect(_quality_url(pk, "#evaluations"))
    return form_page(
        request,
        "Évaluer le titulaire",
        _q_crumbs(access.contract),
        form,
        contract=access.contract,
        intro="L'évaluation reste interne à l'acheteur : elle éclaire ses prochaines "
        "consultations (liste des évaluations par titulaire) et n'est pas montrée au titulaire.",
    )


def _attach(form: forms.BaseForm, exc: OpenAMOError) -> None:
    """The domain's message next to the field it names, else above the form."""
    placed = False
    for detail in exc.details:
        if detail.location in form.fields:
            form.add_error(detail.location, detail.message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)
