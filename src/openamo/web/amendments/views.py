"""Pages of the amendments: parse the form → one service call → redirect or re-render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from openamo.amendments import Action as Step
from openamo.amendments import AmendmentCheckResult, Stage, allowed_actions
from openamo.errors import OpenAMOError
from openamo.web import downloads
from openamo.web.amendments import presenters, queries, services
from openamo.web.amendments.access import (
    READER_REFUSAL,
    amendment_access,
    lifecycle_role,
    may_take,
    require_action,
    require_prepare,
)
from openamo.web.amendments.forms import (
    AbandonForm,
    CaoForm,
    ExchangeForm,
    HolderResponseForm,
    NotifyForm,
    ProposalForm,
    PublishForm,
    ReportForm,
    ReviseForm,
    SignForm,
    StepForm,
    proposal_initial,
)
from openamo.web.amendments.mappers import Proposal, stored_check_result
from openamo.web.amendments.models import Amendment, Attachment
from openamo.web.contracts.access import ContractAccess, contract_access
from openamo.web.contracts.models import Contract
from openamo.web.forms import saved
from openamo.web.operations.access import PermissionRefused
from openamo.web.pages import page_context
from openamo.web.users import AuthenticatedRequest

STEPS: dict[Step, tuple[type[StepForm], str, str]] = {
    Step.REDIGER_RAPPORT: (
        ReportForm,
        "Rapport de présentation de l'avenant",
        "Enregistrer le rapport",
    ),
    Step.RECUEILLIR_AVIS_CAO: (
        CaoForm,
        "Avis de la commission d'appel d'offres",
        "Enregistrer l'avis de la CAO",
    ),
    Step.SIGNER: (SignForm, "Signature de l'avenant par l'acheteur", "Signer l'avenant"),
    Step.NOTIFIER: (NotifyForm, "Notification de l'avenant au titulaire", "Notifier l'avenant"),
    Step.PUBLIER: (PublishForm, "Publications de la modification", "Enregistrer les publications"),
    Step.REVISER_PROJET: (ReviseForm, "Révision du projet d'avenant", "Réviser le projet"),
    Step.ABANDONNER: (AbandonForm, "Abandon du projet d'avenant", "Abandonner le projet"),
}


def _contract_crumbs(contract: Contract) -> list[tuple[str, str]]:
    return [
        ("Marchés", reverse("contracts:list")),
        (str(contract), reverse("contracts:detail", args=[contract.pk])),
    ]


def _crumbs(contract: Contract, amendment: Amendment | None = None) -> list[tuple[str, str]]:
    crumbs = [
        *_contract_crumbs(contract),
        ("Avenants", reverse("amendments:list", args=[contract.pk])),
    ]
    if amendment is not None:
        crumbs.append((f"Avenant n° {amendment.number}", presenters.amendment_url(amendment)))
    return crumbs


@login_required
def overview(request: AuthenticatedRequest) -> HttpResponse:
    """Every amendment of the contracts the user sees; a holder's list of what awaits it."""
    page = Paginator(queries.visible_amendments(request.user), 25).get_page(request.GET.get("page"))
    context = page_context(
        "Avenants", page_obj=page, table=queries.overview_table(request.user, page.object_list)
    )
    return render(request, "amendments/overview.html", context)


@login_required
def amendment_list(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    contract = access.contract
    amendments = services.amendments_of(contract)
    chart, chart_error = presenters.history_chart(contract, amendments)
    context = page_context(
        "Avenants du marché",
        *_contract_crumbs(contract),
        access=access,
        contract=contract,
        summary=presenters.summary(contract, amendments),
        table=presenters.amendments_table(amendments),
        chart=chart,
        chart_error=chart_error,
        can_propose=access.can_edit,
    )
    return render(request, "amendments/list.html", context)


@login_required
def create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    require_prepare(access)
    return _proposal(request, access, None)


@login_required
def edit(request: AuthenticatedRequest, pk: int, amendment_pk: int) -> HttpResponse:
    access, amendment = amendment_access(request.user, pk, amendment_pk)
    require_prepare(access)
    return _proposal(request, access, amendment)


def _proposal(
    request: AuthenticatedRequest, access: ContractAccess, amendment: Amendment | None
) -> HttpResponse:
    """Propose or edit a draft: « Vérifier » shows the verdict, « Enregistrer » saves it."""
    initial = proposal_initial(Proposal.from_stored(amendment.answers)) if amendment else None
    form = ProposalForm(request.POST or None, initial=initial, current=amendment)
    result: AmendmentCheckResult | None = None
    if request.method == "POST" and form.is_valid():
        try:
            proposal = form.proposal()
            if request.POST.get("action") != "enregistrer":
                result = services.verify(access, proposal, amendment).result
            elif amendment is None:
                saved = services.propose(access, request.user, proposal)
                messages.success(request, f"Projet d'avenant n° {saved.number} enregistré.")
                return redirect(presenters.amendment_url(saved))
            else:
                services.update_draft(access, request.user, amendment, proposal)
                messages.success(request, "Projet d'avenant modifié et vérifié à nouveau.")
                return redirect(presenters.amendment_url(amendment))
        except OpenAMOError as exc:
            check = exc.extra.get("check")
            if check is None:
                presenters.attach_domain_errors(form, exc)
            else:
                result = AmendmentCheckResult.model_validate(check)
                form.add_error(None, exc.message)
    contract = access.contract
    previous = services.previous_of(contract, amendment)
    title = (
        f"Modifier le projet d'avenant n° {amendment.number}"
        if amendment
        else "Proposer un avenant"
    )
    context = page_context(
        title,
        *_crumbs(contract, amendment),
        contract=contract,
        form=form,
        verdict=presenters.verdict(result) if result else None,
        previous_table=presenters.amendments_table(previous),
        summary=presenters.summary(contract, services.amendments_of(contract)),
    )
    return render(request, "amendments/proposal.html", context)


@login_required
def detail(request: AuthenticatedRequest, pk: int, amendment_pk: int) -> HttpResponse:
    access, amendment = amendment_access(request.user, pk, amendment_pk)
    events = services.events_of(amendment)
    lifecycle = services.lifecycle_of(amendment, events)
    role = lifecycle_role(access)
    context = page_context(
        f"Avenant n° {amendment.number}",
        *_crumbs(access.contract),
        access=access,
        contract=access.contract,
        amendment=amendment,
        badge=presenters.stage_badge(amendment),
        amount=f"{presenters.euros(amendment.amount_ht)} HT, soit "
        f"{presenters.percent_text(amendment.modification_percent)} du montant initial",
        stepper=presenters.stepper(amendment),
        verdict=presenters.verdict(stored_check_result(amendment)),
        actions=presenters.lifecycle_actions(access, amendment, lifecycle),
        can_edit_draft=amendment.stage == Stage.BROUILLON.value and access.can_edit,
        can_exchange=role is not None
        and may_take(access, Step.AJOUTER_ECHANGE)
        and not lifecycle.closed,
        journal=presenters.journal(events),
        signed_by=[presenters.signer_label(signer) for signer in amendment.signed_by],
        stale=amendment.stale_changes,
    )
    return render(request, "amendments/detail.html", context)


@login_required
def step(request: AuthenticatedRequest, pk: int, amendment_pk: int, action: str) -> HttpResponse:
    access, amendment = amendment_access(request.user, pk, amendment_pk)
    try:
        chosen = Step(action)
    except ValueError:
        raise Http404("Étape inconnue.") from None
    if chosen not in STEPS:
        raise Http404("Étape inconnue.")
    require_action(access, chosen)
    form_class, title, submit = STEPS[chosen]
    if chosen is Step.SIGNER and access.is_holder:
        return redirect(presenters.amendment_url(amendment, "respond"))
    form = (
        PublishForm(request.POST or None, notice_required=amendment.modification_notice_required)
        if form_class is PublishForm
        else form_class(request.POST or None)
    )
    if request.method != "POST" and not _allowed_now(access, amendment, chosen):
        messages.warning(
            request,
            f"« {submit} » n'est pas possible à l'étape « {amendment.stage_enum.label} ».",
        )
        return redirect(presenters.amendment_url(amendment))
    if saved(
        request,
        form,
        lambda: services.act(
            access, request.user, amendment, chosen, form.cleaned_data["note"], form.details()
        ),
    ):
        messages.success(request, f"{title} : enregistré.")
        return redirect(presenters.amendment_url(amendment))
    return _step_page(request, access, amendment, form, title, submit)


def _allowed_now(access: ContractAccess, amendment: Amendment, chosen: Step) -> bool:
    role = lifecycle_role(access)
    lifecycle = services.lifecycle_of(amendment, [])
    return role is not None and chosen in allowed_actions(lifecycle, role)


def _step_page(
    request: HttpRequest,
    access: ContractAccess,
    amendment: Amendment,
    form: forms.BaseForm,
    title: str,
    submit: str,
    *,
    multipart: bool = False,
    intro: str = "",
) -> HttpResponse:
    context = page_context(
        title,
        *_crumbs(access.contract, amendment),
        contract=access.contract,
        amendment=amendment,
        form=form,
        submit=submit,
        multipart=multipart,
        intro=intro,
        cancel_url=presenters.amendment_url(amendment),
    )
    return render(request, "amendments/step.html", context)


@login_required
def exchange(request: AuthenticatedRequest, pk: int, amendment_pk: int) -> HttpResponse:
    access, amendment = amendment_access(request.user, pk, amendment_pk)
    require_action(access, Step.AJOUTER_ECHANGE)
    form = ExchangeForm(request.POST or None, request.FILES or None)
    if saved(
        request,
        form,
        lambda: services.act(
            access,
            request.user,
            amendment,
            Step.AJOUTER_ECHANGE,
            form.cleaned_data["note"],
            upload=form.upload(),
        ),
    ):
        messages.success(request, "Échange enregistré dans le journal de l'avenant.")
        return redirect(presenters.amendment_url(amendment) + "#journal")
    intro = (
        "Le message et la pièce jointe sont conservés dans le journal de l'avenant, visibles de "
        "l'acheteur, de son AMO et du titulaire."
    )
    return _step_page(
        request,
        access,
        amendment,
        form,
        "Ajouter un échange",
        "Enregistrer l'échange",
        multipart=True,
        intro=intro,
    )


@login_required
def respond(request: AuthenticatedRequest, pk: int, amendment_pk: int) -> HttpResponse:
    """The holder's answer: acceptance (its signature) or refusal with its reasons."""
    access, amendment = amendment_access(request.user, pk, amendment_pk)
    if not access.is_holder:
        raise PermissionRefused("Cette page est réservée aux représentants du titulaire.")
    if not access.holder_can_sign:
        raise PermissionRefused(READER_REFUSAL)
    form = HolderResponseForm(request.POST or None)
    if request.method != "POST" and not _allowed_now(access, amendment, Step.SIGNER):
        messages.warning(
            request,
            f"L'avenant n'attend pas votre réponse à l'étape « {amendment.stage_enum.label} ».",
        )
        return redirect(presenters.amendment_url(amendment))
    if saved(
        request,
        form,
        lambda: services.respond_as_holder(
            access,
            request.user,
            amendment,
            form.accepted,
            form.cleaned_data["comment"],
            observations=form.position == "observer",
            capacity=form.capacity,
        ),
    ):
        done = {
            "accepter": "Avenant accepté et signé.",
            "observer": "Observations transmises à l'acheteur ; elles restent au dossier.",
            "refuser": "Refus transmis à l'acheteur.",
        }[form.position]
        messages.success(request, done)
        return redirect(presenters.amendment_url(amendment))
    intro = (
        "En acceptant, vous signez l'avenant au nom du titulaire ; l'acheteur le signe et le "
        "notifie ensuite. Vos observations motivées, ou les motifs d'un refus, sont transmis à "
        "l'acheteur et restent au dossier de l'avenant ; il peut réviser le projet, et vous "
        "répondez à nouveau."
    )
    return _step_page(
        request,
        access,
        amendment,
        form,
        "Réponse du titulaire au projet d'avenant",
        "Envoyer la réponse",
        intro=intro,
    )


@login_required
def attachment(
    request: AuthenticatedRequest, pk: int, amendment_pk: int, attachment_pk: int
) -> HttpResponse:
    _, amendment = amendment_access(request.user, pk, amendment_pk)
    piece = Attachment.objects.filter(pk=attachment_pk, event__amendment=amendment).first()
    if piece is None:
        raise Http404("Pièce introuvable.")
    return downloads.attachment(bytes(piece.data), piece.content_type, piece.filename)


@login_required
def document(request: AuthenticatedRequest, pk: int, amendment_pk: int, kind: str) -> HttpResponse:
    access, amendment = amendment_access(request.user, pk, amendment_pk)
    if kind not in services.DOCUMENT_TYPES:
        raise Http404("Format de document inconnu.")
    if refused := downloads.post_only(request):
        return refused
    try:
        content, filename = services.avenant_document(access, request.user, amendment, kind)
    except OpenAMOError as exc:
        messages.error(request, f"L'avenant n'a pas pu être produit : {exc}")
        return redirect(presenters.amendment_url(amendment))
    return downloads.attachment(content, services.DOCUMENT_TYPES[kind], filename)
