"""Pages of a construction operation: parse the form → one service call → redirect or re-render."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openamo.construction.enums import Phase, ReceptionDecision, WorkKind
from openamo.construction.fees import reduction_cap_share
from openamo.documents.travaux import make_dgd_letter, make_moe_elements, make_programme
from openamo.errors import OpenAMOError
from openamo.web.construction import mappers, presenters, services
from openamo.web.construction.access import ConstructionAccess, construction_access
from openamo.web.construction.forms import (
    EnvelopeForm,
    FinalAccountForm,
    MoeContractForm,
    MoeForm,
    OrganisationForm,
    PhaseDecisionForm,
    PhaseForm,
    ProgrammeForm,
    StartForm,
    programme_initial,
)
from openamo.web.construction.models import FinalAccount, PhaseReview, Project
from openamo.web.construction.requests import (
    FinalAccountDates,
    MoeEstimates,
    PhaseProposal,
    initial_of,
)
from openamo.web.contracts.models import Contract
from openamo.web.downloads import attachment, post_only
from openamo.web.forms import saved, text_above
from openamo.web.operations.access import OperationAccess
from openamo.web.operations.kinds import Module
from openamo.web.pages import page_context
from openamo.web.users import AuthenticatedRequest

GET_POST = ["GET", "POST"]
SECTION = "Suivi des travaux"


def _access(request: AuthenticatedRequest, pk: int) -> ConstructionAccess:
    access = construction_access(request.user, pk)
    access.require_module(Module.TRAVAUX)
    return access


def _project(access: OperationAccess) -> Project:
    project = services.project_of(access)
    if project is None:
        raise Http404("Le suivi des travaux de cette opération n'est pas encore ouvert.")
    return project


def _page(
    request: HttpRequest, template: str, title: str, access: OperationAccess, **extra: object
) -> HttpResponse:
    op = access.operation
    crumbs = [
        ("Opérations", reverse("operations:list")),
        (op.title, reverse("operations:detail", args=[op.pk])),
    ]
    if getattr(access, "is_moe", False):  # the MOE sees the construction pages only
        crumbs = [(op.title, reverse("construction:dashboard", args=[op.pk]))]
    if template != "dashboard.html":
        crumbs.append((SECTION, reverse("construction:dashboard", args=[op.pk])))
    context = page_context(title, *crumbs, access=access, operation=op, **extra)
    return render(request, f"construction/{template}", context)


def _form_page(
    request: HttpRequest,
    access: OperationAccess,
    title: str,
    form: forms.Form,
    submit: str,
    cancel: str | None = None,
    **extra: object,
) -> HttpResponse:
    cancel = cancel or reverse("construction:dashboard", args=[access.operation.pk])
    return _page(
        request, "form_page.html", title, access, form=form, submit=submit, cancel=cancel, **extra
    )


def _done(
    request: HttpRequest, access: OperationAccess, message: str, to: str | None = None
) -> HttpResponse:
    messages.success(request, message)
    return redirect(to or reverse("construction:dashboard", args=[access.operation.pk]))


def _edit(
    request: HttpRequest,
    access: OperationAccess,
    form: forms.Form,
    save: Callable[[], object],
    done: str,
    title: str,
    submit: str,
    *,
    to: str | None = None,
    cancel: str | None = None,
    **page: object,
) -> HttpResponse:
    """The step of every edit page: once ``save()`` went through, say ``done`` and go back
    (to the dashboard unless ``to``); otherwise the form page, the domain's refusal above the
    form."""
    if saved(request, form, save, text_above):
        return _done(request, access, done, to=to)
    return _form_page(request, access, title, form, submit, cancel, **page)


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"


def document(
    request: HttpRequest, stem: str, name: str, make: Callable[[Path], Path]
) -> HttpResponse:
    """The document ``make`` writes at the path it is given, in the format the download button
    asked for (Word unless « pdf »), sent as the attachment ``name`` with the format's suffix."""
    suffix, kind = (
        (".pdf", PDF_TYPE) if request.POST.get("format") == "pdf" else (".docx", DOCX_TYPE)
    )
    with tempfile.TemporaryDirectory() as folder:
        content = make(Path(folder) / f"{stem}{suffix}").read_bytes()
    return attachment(content, kind, f"{name}{suffix}")


def contract_label(contract: Contract) -> str:
    """How a document names the contract: « Marché <référence> — <objet> », or its object alone."""
    return (
        f"Marché {contract.reference} — {contract.title}" if contract.reference else contract.title
    )


@login_required
def dashboard(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = _access(request, pk)
    project = services.project_of(access)
    context: dict[str, object] = {"project": project}
    if project is not None:
        state = services.load_state(project)
        context.update(
            state=state,
            review=state.review,
            phases=presenters.phase_rows(state.review, state.phases),
            envelope=presenters.euros(project.envelope_works_ht),
            envelope_total=presenters.euros(project.envelope_total_ht),
            changes=[(c, presenters.euros(c.works_ht)) for c in state.changes],
            contracts=_contracts(access),
        )
        if state.review is not None:
            context["chart"] = presenters.phases_chart(state.review)
            context["alert_badge"] = presenters.ALERT_BADGES[state.review.alert]
        context["moe"] = presenters.safe(lambda: services.moe_verdict(project))
        context["organisation"] = presenters.safe(lambda: services.organisation_verdict(project))
    return _page(request, "dashboard.html", SECTION, access, **context)


@dataclass(frozen=True)
class ContractLine:
    """A works contract on the dashboard, with where its final account stands."""

    contract: Contract
    amount: str
    dgd: presenters.DgdSummary | presenters.Refused | None


def _dgd_summary(contract: Contract, dates: FinalAccountDates) -> presenters.DgdSummary:
    return presenters.dgd_summary(services.dgd_result(contract, dates))


def _contracts(access: OperationAccess) -> list[ContractLine]:
    rows = []
    for contract in services.works_contracts(access):
        account = getattr(contract, "final_account", None)
        state = None
        if account is not None:
            dates = FinalAccountDates.from_row(account)
            state = presenters.safe(partial(_dgd_summary, contract, dates))
        rows.append(ContractLine(contract, presenters.euros(contract.initial_amount_ht), state))
    return rows


@login_required
@require_http_methods(GET_POST)
def start(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = _access(request, pk)
    access.require_edit()
    if services.project_of(access) is not None:
        return redirect(reverse("construction:dashboard", args=[pk]))
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.start_project(access, request.user, form.request())
        return _done(
            request,
            access,
            "Suivi des travaux ouvert : les phases de la mission de base sont créées.",
        )
    return _form_page(request, access, "Ouvrir le suivi des travaux", form, "Ouvrir le suivi")


@login_required
@require_http_methods(GET_POST)
def programme(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = _access(request, pk)
    project = _project(access)
    if request.method == "POST":
        access.require_edit()
    form = ProgrammeForm(request.POST or None, initial=programme_initial(project), current=project)
    return _edit(
        request, access, form,
        lambda: services.save_programme(access, request.user, project, form.request()),
        "Programme enregistré.", "Programme de l'opération", "Enregistrer le programme",
        readonly=not access.can_edit,
    )  # fmt: skip


@login_required
@require_http_methods(GET_POST)
def envelope(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = _access(request, pk)
    project = _project(access)
    access.require_validate()
    first = project.envelope_works_ht is None
    form = EnvelopeForm(request.POST or None, first=first)
    return _edit(
        request, access, form,
        lambda: services.set_envelope(access, request.user, project, form.request()),
        "Enveloppe financière enregistrée.",
        "Fixer l'enveloppe financière" if first else "Faire évoluer l'enveloppe financière",
        "Enregistrer la décision",
    )  # fmt: skip


@login_required
@require_http_methods(GET_POST)
def organisation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = _access(request, pk)
    project = _project(access)
    access.require_validate()
    form = OrganisationForm(
        request.POST or None, initial=project.organisation_answers, current=project
    )
    return _edit(
        request, access, form,
        lambda: services.decide_organisation(access, request.user, project, form.request()),
        "Organisation de la maîtrise d'ouvrage décidée.",
        "Qui fait quoi : l'organisation de la maîtrise d'ouvrage", "Décider",
    )  # fmt: skip


@login_required
@require_http_methods(GET_POST)
def moe(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = _access(request, pk)
    project = _project(access)
    access.require_edit()
    initial = initial_of(project, MoeEstimates)
    form = MoeForm(request.POST or None, initial=initial, current=project)
    return _edit(
        request, access, form,
        lambda: services.save_moe_inputs(access, request.user, project, form.request()),
        "Consultation de maîtrise d'œuvre analysée.", "Consultation de maîtrise d'œuvre",
        "Analyser",
    )  # fmt: skip


def _phase(project: Project, slug: str) -> PhaseReview:
    if slug not in Phase._value2member_map_:
        raise Http404("Phase introuvable.")
    return services.phase_row(project, slug)


@login_required
@require_http_methods(GET_POST)
def phase(request: AuthenticatedRequest, pk: int, phase: str) -> HttpResponse:
    access = _access(request, pk)
    project = _project(access)
    row = _phase(project, phase)
    access.require_propose()
    initial = initial_of(row, PhaseProposal)
    form = PhaseForm(request.POST or None, initial=initial, current=row)
    label = Phase(row.phase).label
    return _edit(
        request, access, form,
        lambda: services.propose_phase(access, request.user, project, row, form.request()),
        f"{label} : proposition enregistrée.", label, "Enregistrer la proposition",
    )  # fmt: skip


@login_required
@require_http_methods(GET_POST)
def phase_decide(request: AuthenticatedRequest, pk: int, phase: str) -> HttpResponse:
    access = _access(request, pk)
    project = _project(access)
    row = _phase(project, phase)
    access.require_validate()
    # Approving again a stale approval: the form starts from the decision to confirm.
    initial = {"decision": row.decision, "note": row.note} if row.stale_changes else None
    form = PhaseDecisionForm(request.POST or None, initial=initial)
    label = Phase(row.phase).label
    return _edit(
        request, access, form,
        lambda: services.decide_phase(access, request.user, project, row, form.request()),
        f"{label} : décision enregistrée.", f"Décider : {label}", "Décider",
        summary=f"Estimation proposée : {presenters.euros(row.estimate_ht)} HT.",
        stale=row.stale_changes, stale_decision=f"Approbation de la phase « {label} »",
        stale_blocked="les décisions sur les phases suivantes et la notification des décomptes "
        "généraux des marchés de travaux sont bloquées",
    )  # fmt: skip


@login_required
@require_http_methods(GET_POST)
def final_account(request: AuthenticatedRequest, pk: int, contract_pk: int) -> HttpResponse:
    access = _access(request, pk)
    contract = services.works_contract(access, contract_pk)
    account = services.final_account_of(contract)
    if request.method == "POST":
        access.require_edit()
    initial = initial_of(account, FinalAccountDates)
    form = FinalAccountForm(
        request.POST or None,
        initial=initial,
        current=FinalAccount.objects.filter(contract=contract),
    )
    result = error = None
    if saved(
        request,
        form,
        lambda: services.save_final_account(access, request.user, contract, form.request()),
        text_above,
    ):
        messages.success(request, "Dates du décompte enregistrées.")
        return redirect(request.path)
    if account is not None:
        try:
            result = services.dgd_result(contract, FinalAccountDates.from_row(account))
        except OpenAMOError as exc:
            error = exc.message
    return _page(
        request, "final_account.html", f"Décompte général — {contract.title}", access,
        contract=contract, form=form, result=result, error=error,
        summary=presenters.dgd_summary(result) if result else None,
    )  # fmt: skip


@login_required
def programme_document(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The programme and envelope synthesis (Word or PDF, by POST); a reader may download it too.
    Access is checked before the method: another organisation gets a 404 either way."""
    access = _access(request, pk)
    project = _project(access)
    refused = post_only(request)
    if refused is not None:
        return refused
    if project.envelope_works_ht is None:
        messages.error(request, "Fixez d'abord l'enveloppe financière : la synthèse la reprend.")
        return redirect(reverse("construction:dashboard", args=[pk]))
    state = services.load_state(project)
    data = mappers.phases_input(project, state.phases, state.changes, services.today())
    return document(
        request,
        "programme",
        f"Programme et enveloppe — {access.operation.title}",
        lambda path: make_programme(
            data, path, title=access.operation.title, buyer=access.operation.organisation.name
        ),
    )


@login_required
def final_account_letter(request: AuthenticatedRequest, pk: int, contract_pk: int) -> HttpResponse:
    """The letter to the holder on its final account's calendar (Word or PDF, by POST)."""
    access = _access(request, pk)
    contract = services.works_contract(access, contract_pk)
    refused = post_only(request)
    if refused is not None:
        return refused
    back = reverse("construction:final_account", args=[pk, contract_pk])
    account = services.final_account_of(contract)
    if account is None:
        messages.error(request, "Renseignez d'abord la notification de la décision de réception.")
        return redirect(back)
    try:
        result = services.dgd_result(contract, FinalAccountDates.from_row(account))
    except OpenAMOError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    return document(
        request,
        "decompte",
        f"Décompte général — {contract.reference or contract.title}",
        lambda path: make_dgd_letter(
            result,
            path,
            buyer=access.operation.organisation.name,
            holder=contract.holder_name,
            contract=contract_label(contract),
            reception=ReceptionDecision(account.reception_decision),
            as_of=services.today(),
        ),
    )


@login_required
@require_http_methods(GET_POST)
def moe_contract(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = _access(request, pk)
    project = _project(access)
    access.require_validate()
    candidates = services.moe_candidates(access)
    form = MoeContractForm(
        request.POST or None,
        candidates=candidates,
        initial={"contract": project.moe_contract_id},
        current=project,
    )
    if request.method == "POST" and form.is_valid():
        chosen = next((c for c in candidates if c.pk == form.cleaned_data["contract"]), None)
        try:
            services.set_moe_contract(access, request.user, project, chosen)
        except OpenAMOError as exc:
            form.add_error(None, str(exc))
        else:
            return _done(request, access, "Marché de maîtrise d'œuvre enregistré.")
    return _form_page(request, access, "Le maître d'œuvre sur OpenAMO", form, "Enregistrer",
                      summary="Désignez le marché de maîtrise d'œuvre de l'opération : son "
                      "titulaire, s'il a un compte, propose ses études et les acomptes des "
                      "entreprises ; vous décidez.")  # fmt: skip


@login_required
def moe_document(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The RC and CCAP elements of the MOE contract (Word or PDF, by POST; a reader may too)."""
    access = _access(request, pk)
    project = _project(access)
    refused = post_only(request)
    if refused is not None:
        return refused
    try:
        verdict = services.moe_verdict(project)
    except OpenAMOError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("construction:dashboard", args=[pk]))
    if verdict is None:
        messages.error(request, "Indiquez d'abord les honoraires estimés du maître d'œuvre.")
        return redirect(reverse("construction:dashboard", args=[pk]))
    state = services.load_state(project)
    mission = [Phase(row.phase).label for row in state.phases]
    works_share = state.review.envelope_works_ht if state.review else project.envelope_works_ht
    return document(
        request, "moe", f"Maîtrise d'œuvre — éléments du RC et du CCAP — {access.operation.title}",
        lambda path: make_moe_elements(
            verdict, path, title=access.operation.title,
            buyer=access.operation.organisation.name, work_kind=WorkKind(project.work_kind),
            mission=mission, envelope_works_ht=works_share,
            reduction_cap=reduction_cap_share(services.today()),
        ),
    )  # fmt: skip
