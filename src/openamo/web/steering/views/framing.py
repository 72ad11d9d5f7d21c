"""The framing questionnaire and the baseline produced from it, then validated."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_http_methods

from openamo.errors import OpenAMOError
from openamo.steering import FramingAnswers, FramingResult
from openamo.web.forms import acted
from openamo.web.steering.forms.framing import (
    FORMSETS,
    FramingForm,
    RowForm,
    framing_answers,
    framing_initial,
)
from openamo.web.steering.models import (
    Framing,
)
from openamo.web.steering.presenters.baseline import (
    baseline_kpis_table,
    baseline_milestones_table,
    baseline_summary,
    features_table,
)
from openamo.web.steering.presenters.errors import attach_domain_errors
from openamo.web.steering.presenters.framing import (
    FormsetRow,
    QuestionSection,
    framing_summary,
    questions,
)
from openamo.web.steering.services import framing as framing_service
from openamo.web.steering.services import state as state_service
from openamo.web.steering.views._common import (
    GET_POST,
    page,
    redirect_to,
    steering_access,
)
from openamo.web.users import AuthenticatedRequest


@login_required
def framing(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = steering_access(request, pk)
    found = state_service.framing_of(access.operation)
    if found is None:
        return page(request, "framing.html", "Cadrage du projet", access, "framing", framing=None)
    result = found.to_domain()
    return page(
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
def framing_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = steering_access(request, pk)
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
            return redirect_to("framing", access)
    result = found.to_domain() if found else framing_service.blank_framing(access.operation)
    sections = _framing_sections(form, formsets, result)
    title = "Questionnaire de cadrage"
    return page(
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
    form: FramingForm, formsets: dict[str, forms.BaseFormSet[RowForm]], result: FramingResult
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
def baseline(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = steering_access(request, pk)
    state = state_service.load_state(access.operation)
    title = "Base de référence"
    if state.baseline is None:
        return page(request, "baseline.html", title, access, "baseline", state=state)
    data = state.baseline.to_domain()
    return page(
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
def baseline_produce(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = steering_access(request, pk)
    if request.method != "POST":
        return redirect_to("baseline", access)
    acted(
        request,
        lambda: framing_service.produce_baseline(access, request.user),
        "Base de référence produite : elle attend la validation.",
    )
    return redirect_to("baseline", access)


@login_required
@require_http_methods(GET_POST)
def baseline_validate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = steering_access(request, pk)
    if request.method != "POST":
        return redirect_to("baseline", access)
    acted(
        request,
        lambda: framing_service.validate_baseline(access, request.user),
        "Base de référence validée et figée.",
    )
    return redirect_to("baseline", access)
