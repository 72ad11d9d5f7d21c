"""Schedule, risks and KPI measurements followed against the baseline."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openamo.errors import OpenAMOError
from openamo.web.forms import saved
from openamo.web.operations.access import OperationAccess
from openamo.web.steering.forms.follow_up import MeasurementForm, MilestoneForm, RiskForm
from openamo.web.steering.models import (
    KpiMeasurement,
    MilestoneProgress,
    Risk,
)
from openamo.web.steering.presenters.changes import (
    ALERT_BADGES,
)
from openamo.web.steering.presenters.errors import attach_domain_errors
from openamo.web.steering.presenters.follow_up import (
    kpi_cards,
    measurements_table,
    risks_table,
    schedule_table,
)
from openamo.web.steering.presenters.labels import day, number, percent
from openamo.web.steering.services import follow_up as follow_up_service
from openamo.web.steering.services import state as state_service
from openamo.web.steering.views._common import (
    GET_POST,
    page,
    redirect_to,
    steering_access,
)
from openamo.web.users import AuthenticatedRequest


@login_required
def schedule(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = steering_access(request, pk)
    state = state_service.load_state(access.operation)
    title = "Jalons et planning"
    if state.report is None:
        return page(request, "schedule.html", title, access, "schedule", state=state)
    s = state.report.schedule
    return page(
        request,
        "schedule.html",
        title,
        access,
        "schedule",
        state=state,
        table=schedule_table(state.report, access),
        summary={
            "planned": day(s.go_live_planned_on),
            "forecast": day(s.go_live_forecast_on),
            "slip": s.go_live_slip_days,
            "slip_percent": percent(s.slip_percent),
            "tolerance": percent(s.tolerance_percent, 0),
            "alert": s.alert.label,
            "badge": ALERT_BADGES[s.alert],
            "alerts": s.alerts,
        },
    )


@login_required
@require_http_methods(GET_POST)
def milestone_edit(request: AuthenticatedRequest, pk: int, milestone: str) -> HttpResponse:
    access = steering_access(request, pk)
    state = state_service.load_state(access.operation)
    names = (
        follow_up_service.baseline_milestones(state.baseline)
        if state.validated and state.baseline
        else {}
    )
    if milestone not in names:
        raise Http404("Jalon introuvable.")
    access.require_edit()
    current = next((p for p in state.progress if p.milestone == milestone), None)
    form = MilestoneForm(
        request.POST or None,
        initial=MilestoneForm.of(current),
        current=MilestoneProgress.objects.filter(operation=access.operation, milestone=milestone),
    )
    if saved(
        request,
        form,
        lambda: follow_up_service.update_milestone(access, request.user, milestone, form.entry()),
        attach_domain_errors,
    ):
        messages.success(request, f"Jalon « {names[milestone]} » mis à jour.")
        return redirect_to("schedule", access)
    return page(
        request,
        "form_page.html",
        f"Jalon « {names[milestone]} »",
        access,
        "schedule",
        form=form,
        submit="Enregistrer",
        cancel=reverse("steering:schedule", args=[pk]),
    )


@login_required
def risks(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = steering_access(request, pk)
    state = state_service.load_state(access.operation)
    register = state_service.risk_register(state)
    clauses = [c for r in register for c in r.contract_clauses]
    return page(
        request,
        "risks.html",
        "Registre des risques",
        access,
        "risks",
        table=risks_table(register, access),
        register=register,
        clauses=clauses,
    )


@login_required
@require_http_methods(GET_POST)
def risk_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = steering_access(request, pk)
    access.require_edit()
    form = RiskForm(request.POST or None, initial={"status": "ouvert"})
    return _risk_form(request, access, form, None, "Nouveau risque")


@login_required
@require_http_methods(GET_POST)
def risk_edit(request: AuthenticatedRequest, pk: int, risk: str) -> HttpResponse:
    access = steering_access(request, pk)
    register = state_service.risk_register(state_service.load_state(access.operation))
    item = next((r for r in register if r.id == risk), None)
    if item is None:
        raise Http404("Risque introuvable.")
    access.require_edit()
    form = RiskForm(
        request.POST or None,
        initial=RiskForm.of(item),
        current=Risk.objects.filter(operation=access.operation, key=risk),
    )
    return _risk_form(request, access, form, item.id, f"Risque « {item.title} »")


def _risk_form(
    request: AuthenticatedRequest,
    access: OperationAccess,
    form: RiskForm,
    key: str | None,
    title: str,
) -> HttpResponse:
    if saved(
        request,
        form,
        lambda: follow_up_service.save_risk(access, request.user, key, form.entry()),
        attach_domain_errors,
    ):
        messages.success(request, "Registre des risques mis à jour.")
        return redirect_to("risks", access)
    return page(
        request,
        "form_page.html",
        title,
        access,
        "risks",
        form=form,
        submit="Enregistrer",
        cancel=reverse("steering:risks", args=[access.operation.pk]),
    )


@login_required
@require_http_methods(GET_POST)
def kpis(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = steering_access(request, pk)
    state = state_service.load_state(access.operation)
    choices = (
        list(follow_up_service.baseline_kpis(state.baseline).items())
        if state.validated and state.baseline
        else []
    )
    form = MeasurementForm(request.POST or None, kpis=choices)
    if request.method == "POST":
        access.require_edit()
        if form.is_valid():
            try:
                follow_up_service.add_measurement(access, request.user, form.entry())
            except OpenAMOError as exc:
                attach_domain_errors(form, exc)
            else:
                messages.success(request, "Mesure enregistrée.")
                return redirect_to("kpis", access)
    cards = kpi_cards(state.report) if state.report else []
    return page(
        request,
        "kpis.html",
        "Indicateurs de succès",
        access,
        "kpis",
        state=state,
        form=form,
        cards=cards,
        measurements=measurements_table(state.measurements, access),
    )


@login_required
@require_http_methods(GET_POST)
def measurement_delete(request: AuthenticatedRequest, pk: int, measurement_pk: int) -> HttpResponse:
    access = steering_access(request, pk)
    item = (
        KpiMeasurement.objects.alive().filter(pk=measurement_pk, operation=access.operation).first()
    )
    if item is None:
        raise Http404("Mesure introuvable.")
    access.require_edit()
    if request.method == "POST":
        follow_up_service.delete_measurement(access, request.user, item)
        messages.success(request, f"{item} supprimée.")
        return redirect_to("kpis", access)
    return page(
        request,
        "confirm.html",
        "Supprimer une mesure",
        access,
        "kpis",
        question=f"Supprimer la {str(item)[0].lower()}{str(item)[1:]} (valeur : {number(item.value, 4)}) ?",
        consequence="Elle ne sera plus prise en compte ; l'historique la conserve.",
        cancel_url=reverse("steering:kpis", args=[pk]),
    )
