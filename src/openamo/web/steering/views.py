"""Pages of the IT project steering: parse the form → one service call → redirect or re-render."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openamo.errors import OpenAMOError
from openamo.steering import FramingAnswers, FramingResult
from openamo.web import downloads
from openamo.web.forms import acted, saved, submitted
from openamo.web.operations.access import OperationAccess, operation_access
from openamo.web.operations.kinds import Module
from openamo.web.pages import page_context
from openamo.web.steering import exports
from openamo.web.steering.forms.changes import ChangeRequestForm, DecisionForm
from openamo.web.steering.forms.follow_up import MeasurementForm, MilestoneForm, RiskForm
from openamo.web.steering.forms.framing import (
    FORMSETS,
    FramingForm,
    framing_answers,
    framing_initial,
)
from openamo.web.steering.forms.roi import RoiForm, roi_initial
from openamo.web.steering.models import (
    Baseline,
    ChangeRequest,
    Framing,
    KpiMeasurement,
    MilestoneProgress,
    Risk,
    RoiSimulation,
)
from openamo.web.steering.presenters.baseline import (
    baseline_kpis_table,
    baseline_milestones_table,
    baseline_summary,
    features_table,
)
from openamo.web.steering.presenters.changes import (
    ALERT_BADGES,
    DECISION_BADGES,
    changes_table,
    drift_chart,
    drift_view,
    timeline_table,
)
from openamo.web.steering.presenters.errors import attach_domain_errors
from openamo.web.steering.presenters.follow_up import (
    kpi_cards,
    measurements_table,
    risks_table,
    schedule_table,
)
from openamo.web.steering.presenters.framing import (
    FormsetRow,
    QuestionSection,
    framing_summary,
    questions,
)
from openamo.web.steering.presenters.labels import day, euros, number, percent
from openamo.web.steering.presenters.roi import roi_chart, roi_view
from openamo.web.steering.services import changes as change_service
from openamo.web.steering.services import follow_up as follow_up_service
from openamo.web.steering.services import framing as framing_service
from openamo.web.steering.services import report as report_service
from openamo.web.steering.services import roi as roi_service
from openamo.web.steering.services import state as state_service

GET_POST = ["GET", "POST"]
SECTION = "Pilotage du projet informatique"


def _crumbs(access: OperationAccess, *, section: bool = True) -> list[tuple[str, str]]:
    op = access.operation
    crumbs = [
        ("Opérations", reverse("operations:list")),
        (op.title, reverse("operations:detail", args=[op.pk])),
    ]
    if section:
        crumbs.append((SECTION, reverse("steering:dashboard", args=[op.pk])))
    return crumbs


def _page(
    request: HttpRequest,
    template: str,
    title: str,
    access: OperationAccess,
    current: str,
    **extra: Any,
) -> HttpResponse:
    context = page_context(
        title,
        *_crumbs(access, section=current != "dashboard"),
        access=access,
        operation=access.operation,
        current=current,
        **extra,
    )
    return render(request, f"steering/{template}", context)


def _access(request: HttpRequest, pk: int) -> OperationAccess:
    """The operation, if the user sees it and it is an IT project (the only kind steered)."""
    access = operation_access(request.user, pk)
    access.require_module(Module.PILOTAGE)
    return access


def _to(name: str, access: OperationAccess, *args: Any) -> HttpResponse:
    return redirect(reverse(f"steering:{name}", args=[access.operation.pk, *args]))


@login_required
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request, pk)
    state = state_service.load_state(access.operation)
    report = state.report
    simulation = roi_service.last_simulation(access.operation)
    return _page(
        request,
        "dashboard.html",
        SECTION,
        access,
        "dashboard",
        state=state,
        pending=[(c, euros(c.cost_ht)) for c in state.changes if c.is_pending],
        framing=framing_summary(state.framing.to_domain()) if state.framing else None,
        drift=drift_view(report) if report else None,
        overall=report.overall_alert.label if report else None,
        overall_badge=ALERT_BADGES[report.overall_alert] if report else None,
        alerts=report.alerts if report else [],
        explanation=report.explanation.splitlines() if report else [],
        roi=roi_view(simulation.to_domain()) if simulation else None,
    )


@login_required
def framing(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request, pk)
    found = state_service.framing_of(access.operation)
    if found is None:
        return _page(request, "framing.html", "Cadrage du projet", access, "framing", framing=None)
    result = found.to_domain()
    return _page(
        request,
        "framing.html",
        "Cadrage du projet",
        access,
        "framing",
        framing=found,
        summary=framing_summary(result),
        questions=questions(result),
        warnings=result.warnings,
        clauses=result.contract_clauses,
        explanation=result.explanation.splitlines(),
        references=result.references,
        baseline=state_service.baseline_of(access.operation),
    )


@login_required
@require_http_methods(GET_POST)
def framing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request, pk)
    access.require_edit()
    found = state_service.framing_of(access.operation)
    initial, rows = framing_initial(found.to_answers() if found else FramingAnswers())
    data = request.POST if request.method == "POST" else None
    form = FramingForm(
        data, initial=initial, current=Framing.objects.filter(operation=access.operation)
    )
    formsets = {
        prefix: formset(data, initial=rows[prefix], prefix=prefix)
        for prefix, formset in FORMSETS.items()
    }
    if data is not None and form.is_valid() and all(f.is_valid() for f in formsets.values()):
        try:
            framing_service.save_framing(access, request.user, framing_answers(form, formsets))
        except OpenAMOError as exc:
            attach_domain_errors(form, exc)
        else:
            messages.success(request, "Cadrage enregistré : voici son score et ce qui manque.")
            return _to("framing", access)
    result = found.to_domain() if found else framing_service.blank_framing(access.operation)
    sections = _framing_sections(form, formsets, result)
    title = "Questionnaire de cadrage"
    return _page(
        request,
        "framing_form.html",
        title,
        access,
        "framing",
        form=form,
        formsets=formsets,
        sections=sections,
        baseline=state_service.baseline_of(access.operation),
    )


def _framing_sections(
    form: FramingForm, formsets: dict[str, forms.BaseFormSet[Any]], result: FramingResult
) -> list[QuestionSection]:
    """The ten questions (their text and why they matter come from the domain), each with its
    fields and, for three of them, the rows of its list."""
    lists = {
        "objectif_metier": ("kpi", "Indicateurs de succès et leurs cibles"),
        "irritants_utilisateurs": ("irritant", "Irritants"),
        "fonctionnalites_indispensables": ("feature", "Fonctionnalités et priorités"),
    }
    sections = []
    for question in questions(result):
        prefix, legend = lists.get(question.id, ("", ""))
        sections.append(
            QuestionSection(
                number=question.number,
                question=question.question,
                why_it_matters=question.why_it_matters,
                fields=[form[name] for name in FramingForm.QUESTIONS[question.id]],
                formset=formsets.get(prefix),
                rows=[
                    FormsetRow(
                        title=f"{row.noun.capitalize()} {row.number}",
                        fields=[(row[name], width) for name, width in row.widths.items()],
                    )
                    for row in formsets[prefix]
                ]
                if prefix
                else [],
                formset_legend=legend,
            )
        )
    return sections


@login_required
def baseline(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request, pk)
    state = state_service.load_state(access.operation)
    title = "Base de référence"
    if state.baseline is None:
        return _page(request, "baseline.html", title, access, "baseline", state=state)
    data = state.baseline.to_domain()
    return _page(
        request,
        "baseline.html",
        title,
        access,
        "baseline",
        state=state,
        baseline=state.baseline,
        summary=baseline_summary(state.baseline.summary_of()),
        features=features_table(data),
        milestones=baseline_milestones_table(data),
        kpis=baseline_kpis_table(data),
    )


@login_required
@require_http_methods(GET_POST)
def baseline_produce(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request, pk)
    if request.method != "POST":
        return _to("baseline", access)
    acted(
        request,
        lambda: framing_service.produce_baseline(access, request.user),
        "Base de référence produite : elle attend la validation.",
    )
    return _to("baseline", access)


@login_required
@require_http_methods(GET_POST)
def baseline_validate(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request, pk)
    if request.method != "POST":
        return _to("baseline", access)
    acted(
        request,
        lambda: framing_service.validate_baseline(access, request.user),
        "Base de référence validée et figée.",
    )
    return _to("baseline", access)


@login_required
def changes(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request, pk)
    state = state_service.load_state(access.operation)
    report = state.report
    return _page(
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
def change_create(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request, pk)
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
        return _to("change_detail", access, created.pk)
    return _page(
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
def change_edit(request: HttpRequest, pk: int, change_pk: int) -> HttpResponse:
    access = _access(request, pk)
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
        return _to("change_detail", access, found.pk)
    return _page(
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
def change_detail(request: HttpRequest, pk: int, change_pk: int) -> HttpResponse:
    access = _access(request, pk)
    found = _change(access, change_pk)
    return _change_page(request, access, found, DecisionForm())


def _change_page(
    request: HttpRequest, access: OperationAccess, found: ChangeRequest, form: DecisionForm
) -> HttpResponse:
    state = state_service.load_state(access.operation)
    drift = drift_view(state.report) if state.report else None
    return _page(
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
def change_decide(request: HttpRequest, pk: int, change_pk: int) -> HttpResponse:
    access = _access(request, pk)
    found = _change(access, change_pk)
    access.require_validate()
    if request.method != "POST":
        return _to("change_detail", access, found.pk)
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
            return _to("changes", access)
    return _change_page(request, access, found, form)


@login_required
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request, pk)
    state = state_service.load_state(access.operation)
    title = "Jalons et planning"
    if state.report is None:
        return _page(request, "schedule.html", title, access, "schedule", state=state)
    s = state.report.schedule
    return _page(
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
def milestone_edit(request: HttpRequest, pk: int, milestone: str) -> HttpResponse:
    access = _access(request, pk)
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
        return _to("schedule", access)
    return _page(
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
def risks(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request, pk)
    state = state_service.load_state(access.operation)
    register = state_service.risk_register(state)
    clauses = [c for r in register for c in r.contract_clauses]
    return _page(
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
def risk_create(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request, pk)
    access.require_edit()
    form = RiskForm(request.POST or None, initial={"status": "ouvert"})
    return _risk_form(request, access, form, None, "Nouveau risque")


@login_required
@require_http_methods(GET_POST)
def risk_edit(request: HttpRequest, pk: int, risk: str) -> HttpResponse:
    access = _access(request, pk)
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
    request: HttpRequest, access: OperationAccess, form: RiskForm, key: str | None, title: str
) -> HttpResponse:
    if saved(
        request,
        form,
        lambda: follow_up_service.save_risk(access, request.user, key, form.entry()),
        attach_domain_errors,
    ):
        messages.success(request, "Registre des risques mis à jour.")
        return _to("risks", access)
    return _page(
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
def kpis(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request, pk)
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
                return _to("kpis", access)
    cards = kpi_cards(state.report) if state.report else []
    return _page(
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
def measurement_delete(request: HttpRequest, pk: int, measurement_pk: int) -> HttpResponse:
    access = _access(request, pk)
    item = (
        KpiMeasurement.objects.alive().filter(pk=measurement_pk, operation=access.operation).first()
    )
    if item is None:
        raise Http404("Mesure introuvable.")
    access.require_edit()
    if request.method == "POST":
        follow_up_service.delete_measurement(access, request.user, item)
        messages.success(request, f"{item} supprimée.")
        return _to("kpis", access)
    return _page(
        request,
        "confirm.html",
        "Supprimer une mesure",
        access,
        "kpis",
        question=f"Supprimer la {str(item)[0].lower()}{str(item)[1:]} (valeur : {number(item.value, 4)}) ?",
        consequence="Elle ne sera plus prise en compte ; l'historique la conserve.",
        cancel_url=reverse("steering:kpis", args=[pk]),
    )


@login_required
@require_http_methods(GET_POST)
def roi(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request, pk)
    if request.method == "POST":
        access.require_edit()
    state = state_service.load_state(access.operation)
    simulation = roi_service.last_simulation(access.operation)
    initial = roi_initial(
        roi_service.roi_defaults(state),
        simulation.roi_input() if simulation else None,
        simulation.to_domain() if simulation else None,
    )
    form = RoiForm(
        request.POST or None,
        initial=initial,
        current=RoiSimulation.objects.filter(operation=access.operation),
    )
    if saved(
        request,
        form,
        lambda: roi_service.simulate_roi(
            access, request.user, form.roi_input(access.operation.title)
        ),
        attach_domain_errors,
    ):
        messages.success(request, "Simulation enregistrée.")
        return _to("roi", access)
    result = simulation.to_domain() if simulation else None
    return _page(
        request,
        "roi.html",
        "Coût de la dérive avec et sans AMO",
        access,
        "roi",
        form=form,
        simulation=simulation,
        result=roi_view(result) if result else None,
        chart=roi_chart(result) if result else None,
    )


@login_required
def report_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    access = _access(request, pk)
    if refused := downloads.post_only(request):
        return refused
    try:
        name, content = report_service.steering_document(access, request.user, fmt)
    except OpenAMOError as exc:
        messages.error(request, exc.message)
        return _to("dashboard", access)
    return downloads.attachment(content, exports.FORMATS[fmt], name)
