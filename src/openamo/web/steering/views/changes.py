"""Change requests: typed, edited, then decided by the maître d'ouvrage."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openamo.errors import OpenAMOError
from openamo.web.forms import saved, submitted
from openamo.web.operations.access import OperationAccess
from openamo.web.steering.forms.changes import ChangeRequestForm, DecisionForm
from openamo.web.steering.models import (
    Baseline,
    ChangeRequest,
)
from openamo.web.steering.presenters.changes import (
    DECISION_BADGES,
    changes_table,
    drift_chart,
    drift_view,
    timeline_table,
)
from openamo.web.steering.presenters.errors import attach_domain_errors
from openamo.web.steering.services import changes as change_service
from openamo.web.steering.services import state as state_service
from openamo.web.steering.views._common import (
    GET_POST,
    page,
    redirect_to,
    steering_access,
)
from openamo.web.users import AuthenticatedRequest


@login_required
def changes(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = steering_access(request, pk)
    state = state_service.load_state(access.operation)
    report = state.report
    return page(
        request,
        "changes.html",
        "Demandes d'évolution",
        access,
        "changes",
        state=state,
        table=changes_table(state.changes),
        drift=drift_view(report) if report else None,
        chart=drift_chart(report) if report else None,
        timeline=timeline_table(report) if report else None,
    )


def _budget(access: OperationAccess) -> Decimal | None:
    """The reference budget a saving cannot exceed, once the baseline is produced."""
    baseline = Baseline.objects.filter(operation=access.operation).only("budget_ht").first()
    return baseline.budget_ht if baseline is not None else None


def _change(access: OperationAccess, change_pk: int) -> ChangeRequest:
    found = ChangeRequest.objects.filter(pk=change_pk, operation=access.operation).first()
    if found is None:
        raise Http404("Demande d'évolution introuvable.")
    return found


@login_required
@require_http_methods(GET_POST)
def change_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = steering_access(request, pk)
    access.require_edit()
    form = ChangeRequestForm(request.POST or None, budget_ht=_budget(access))
    created = submitted(
        request,
        form,
        lambda: change_service.create_change_request(access, request.user, form.entry()),
        attach_domain_errors,
    )
    if created is not None:
        messages.success(
            request,
            f"Demande {created.code} enregistrée : elle attend la décision du maître d'ouvrage.",
        )
        return redirect_to("change_detail", access, created.pk)
    return page(
        request,
        "form_page.html",
        "Nouvelle demande d'évolution",
        access,
        "changes",
        form=form,
        submit="Enregistrer la demande",
        cancel=reverse("steering:changes", args=[pk]),
    )


@login_required
@require_http_methods(GET_POST)
def change_edit(request: AuthenticatedRequest, pk: int, change_pk: int) -> HttpResponse:
    access = steering_access(request, pk)
    found = _change(access, change_pk)
    access.require_edit()
    form = ChangeRequestForm(
        request.POST or None,
        initial=ChangeRequestForm.of(found),
        budget_ht=_budget(access),
        current=found,
    )
    if saved(
        request,
        form,
        lambda: change_service.update_change_request(access, request.user, found, form.entry()),
        attach_domain_errors,
    ):
        messages.success(request, f"Demande {found.code} enregistrée.")
        return redirect_to("change_detail", access, found.pk)
    return page(
        request,
        "form_page.html",
        f"Modifier la demande {found.code}",
        access,
        "changes",
        form=form,
        submit="Enregistrer",
        cancel=reverse("steering:change_detail", args=[pk, found.pk]),
    )


@login_required
def change_detail(request: AuthenticatedRequest, pk: int, change_pk: int) -> HttpResponse:
    access = steering_access(request, pk)
    found = _change(access, change_pk)
    return _change_page(request, access, found, DecisionForm())


def _change_page(
    request: HttpRequest, access: OperationAccess, found: ChangeRequest, form: DecisionForm
) -> HttpResponse:
    state = state_service.load_state(access.operation)
    drift = drift_view(state.report) if state.report else None
    return page(
        request,
        "change_detail.html",
        f"Demande d'évolution {found.code}",
        access,
        "changes",
        change=found,
        form=form,
        drift=drift,
        badge=DECISION_BADGES[found.decision],
    )


@login_required
@require_http_methods(GET_POST)
def change_decide(request: AuthenticatedRequest, pk: int, change_pk: int) -> HttpResponse:
    access = steering_access(request, pk)
    found = _change(access, change_pk)
    access.require_validate()
    if request.method != "POST":
        return redirect_to("change_detail", access, found.pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            change_service.decide_change_request(access, request.user, found, form.entry())
        except OpenAMOError as exc:
            attach_domain_errors(form, exc)
        else:
            found.refresh_from_db()
            messages.success(
                request,
                f"Décision enregistrée : demande {found.code} {found.get_decision_display()}.",
            )
            return redirect_to("changes", access)
    return _change_page(request, access, found, form)
