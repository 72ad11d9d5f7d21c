"""Pages of the operations: parse the form → one service call → redirect or re-render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from openamo.errors import OpenAMOError
from openamo.web import search as search_text
from openamo.web.decisions import pending_decisions
from openamo.web.forms import acted
from openamo.web.obligations import obligations
from openamo.web.operations import presenters, queries, services
from openamo.web.operations.access import OperationAccess, live_lot, operation_access
from openamo.web.operations.forms import (
    LotForm,
    NeedForm,
    OperationForm,
    ShareForm,
    WizardForm,
)
from openamo.web.operations.mappers import stored_procedure_result
from openamo.web.operations.models import Consultation, Need, Share, Stage
from openamo.web.organisations.models import Organisation
from openamo.web.page_cache import cached_for_user
from openamo.web.pages import holder_only, page_context
from openamo.web.users import AuthenticatedRequest

PAGE_SIZE = 25
GET_POST = ["GET", "POST"]


def _crumbs(access: OperationAccess | None = None) -> list[tuple[str, str]]:
    crumbs = [("Opérations", reverse("operations:list"))]
    if access is not None:
        op = access.operation
        crumbs.append((op.title, reverse("operations:detail", args=[op.pk])))
    return crumbs


def _to_detail(access: OperationAccess, anchor: str = "") -> HttpResponse:
    return redirect(reverse("operations:detail", args=[access.operation.pk]) + anchor)


@login_required
@cached_for_user
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    decisions = pending_decisions(request.user)
    context = page_context(
        "Tableau de bord",
        dashboard=queries.dashboard(request.user),
        # A dated decision (a renewal, an avenant step) is listed with the obligations.
        other_decisions=[d for d in decisions if d.kind is None],
        dated_decisions=any(d.kind is not None for d in decisions),
        obligations=obligations(request.user, timezone.localdate(), decisions),
        holder_only=holder_only(request.user),
    )
    context["stages"] = Stage.choices
    return render(request, "operations/dashboard.html", context)


@login_required
@cached_for_user
def operation_list(request: AuthenticatedRequest) -> HttpResponse:
    search = search_text.clean(request.GET.get("q", ""))
    stage = request.GET.get("etape", "")
    operations = queries.operation_list(request.user, search, stage)
    page, rows = queries.paginate(operations, request.GET.get("page"), PAGE_SIZE)
    context = page_context(
        "Opérations",
        page_obj=page,
        search=search,
        stage=stage,
        stages=Stage.choices,
        can_create=bool(services.creatable_organisations(request.user)),
        table=presenters.operations_table(rows),
    )
    return render(request, "operations/operation_list.html", context)


@login_required
@require_http_methods(GET_POST)
def operation_create(request: AuthenticatedRequest) -> HttpResponse:
    organisations = services.creatable_organisations(request.user)
    form = OperationForm(request.POST or None, organisations=organisations)
    if not organisations:
        messages.error(request, "Votre rôle ne permet pas de créer une opération.")
        return redirect("operations:list")
    if request.method == "POST" and form.is_valid():
        by_pk = {o.pk: o for o in organisations}
        organisation: Organisation = by_pk[form.cleaned_data["organisation"]]
        operation = services.create_operation(request.user, organisation, form.to_input())
        messages.success(request, "Opération créée. Décrivez maintenant le besoin.")
        return redirect("operations:need", operation.pk)
    context = page_context("Nouvelle opération", *_crumbs(), form=form, submit="Créer")
    return render(request, "form_page.html", context)


@login_required
def operation_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    operation = access.operation
    context = page_context(
        operation.title,
        *_crumbs(),
        access=access,
        operation=operation,
        need=services.need_of(operation),
        lots_table=presenters.lots_table(services.live_lots(operation), access),
        consultation=services.consultation_of(operation),
        shares=services.active_shares(operation),
    )
    return render(request, "operations/operation_detail.html", context)


@login_required
@require_http_methods(GET_POST)
def operation_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    access.require_edit()
    op = access.operation
    initial = {
        "title": op.title,
        "description": op.description,
        "kind": op.kind,
        "stage": op.stage,
    }
    form = OperationForm(
        request.POST or None,
        initial=initial,
        can_change_stage=access.can_manage,
        current=access.operation,
    )
    if request.method == "POST" and form.is_valid():
        services.update_operation(access, request.user, form.changes())
        messages.success(request, "Opération enregistrée.")
        return _to_detail(access)
    context = page_context(
        "Modifier l'opération", *_crumbs(access), form=form, submit="Enregistrer"
    )
    return render(request, "form_page.html", context)


@login_required
@require_http_methods(GET_POST)
def operation_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    access.require(access.can_manage, "Seul le maître d'ouvrage de l'acheteur peut supprimer.")
    if request.method == "POST":
        services.delete_operation(access, request.user)
        messages.success(request, f"Opération « {access.operation.title} » supprimée.")
        return redirect("operations:list")
    context = page_context(
        "Supprimer l'opération",
        *_crumbs(access),
        question=f"Supprimer l'opération « {access.operation.title} » ?",
        consequence="Elle n'apparaîtra plus dans les listes ; son historique est conservé.",
        cancel_url=reverse("operations:detail", args=[pk]),
    )
    return render(request, "confirm.html", context)


@login_required
@require_http_methods(GET_POST)
def need_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    access.require_edit()
    need = services.need_of(access.operation)
    initial = presenters.need_initial(need)
    form = NeedForm(request.POST or None, initial=initial, current=need)
    if request.method == "POST" and form.is_valid():
        services.save_need(access, request.user, form.to_input())
        messages.success(request, "Besoin enregistré.")
        return _to_detail(access, "#besoin")
    context = page_context("Définir le besoin", *_crumbs(access), form=form, submit="Enregistrer")
    return render(request, "form_page.html", context)


@login_required
@require_http_methods(GET_POST)
def lot_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    access.require_edit()
    form = LotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        lot = services.add_lot(access, request.user, form.to_input())
        messages.success(request, f"{lot} ajouté.")
        return _to_detail(access, "#lots")
    context = page_context("Ajouter un lot", *_crumbs(access), form=form, submit="Ajouter")
    return render(request, "form_page.html", context)


@login_required
@require_http_methods(GET_POST)
def lot_edit(request: AuthenticatedRequest, pk: int, lot_pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    lot = live_lot(access, lot_pk)
    access.require_edit()
    initial = {
        "number": lot.number,
        "name": lot.name,
        "description": lot.description,
        "estimated_amount_ht": lot.estimated_amount_ht,
    }
    form = LotForm(request.POST or None, initial=initial, current=lot)
    if request.method == "POST" and form.is_valid():
        services.update_lot(access, request.user, lot, form.changes())
        messages.success(request, f"{lot} enregistré.")
        return _to_detail(access, "#lots")
    context = page_context(f"Modifier le {lot}", *_crumbs(access), form=form, submit="Enregistrer")
    return render(request, "form_page.html", context)


@login_required
@require_http_methods(GET_POST)
def lot_delete(request: AuthenticatedRequest, pk: int, lot_pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    lot = live_lot(access, lot_pk)
    access.require_edit()
    if request.method == "POST":
        acted(request, lambda: services.delete_lot(access, request.user, lot), f"{lot} supprimé.")
        return _to_detail(access, "#lots")
    context = page_context(
        f"Supprimer le {lot}",
        *_crumbs(access),
        question=f"Supprimer le {lot} ?",
        consequence="Le lot ne sera plus pris en compte ; l'historique le conserve.",
        cancel_url=reverse("operations:detail", args=[pk]),
    )
    return render(request, "confirm.html", context)


@login_required
@require_http_methods(GET_POST)
def wizard(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Assistant de choix de la procédure: the questions, then the domain's verdict."""
    access = operation_access(request.user, pk)
    access.require_edit()
    operation = access.operation
    consultation = services.consultation_of(operation)
    initial = {**presenters.need_initial(services.need_of(operation))}
    if consultation is not None:
        initial.update(consultation.answers)
    watched = [
        Need.objects.filter(operation=operation),
        Consultation.objects.filter(operation=operation),
    ]
    form = WizardForm(request.POST or None, initial=initial, current=watched)
    if request.method == "POST" and form.is_valid():
        try:
            # Saving the need and analysing go together: an input the domain refuses saves nothing.
            with transaction.atomic():
                services.save_need(access, request.user, form.to_input())
                services.analyse_procedure(access, request.user, form.circumstances())
        except OpenAMOError as exc:
            presenters.attach_domain_errors(form, exc)
        else:
            messages.success(request, "Analyse enregistrée : elle attend la validation.")
            return redirect("operations:consultation", operation.pk)
    lots = services.live_lots(operation)
    context = page_context(
        "Assistant de choix de la procédure",
        *_crumbs(access),
        form=form,
        lots_table=presenters.lots_table(lots, access, with_actions=False),
        operation=operation,
    )
    return render(request, "operations/wizard.html", context)


@login_required
def consultation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    found = services.consultation_of(access.operation)
    if found is None or not found.result:
        raise Http404("Aucune analyse de procédure pour cette opération.")
    context = page_context(
        "Procédure de la consultation",
        *_crumbs(access),
        access=access,
        operation=access.operation,
        consultation=found,
        verdict=presenters.verdict(stored_procedure_result(found)),
    )
    return render(request, "operations/consultation.html", context)


@login_required
@require_http_methods(GET_POST)
def validate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    if request.method != "POST":
        return redirect("operations:consultation", pk)
    acted(
        request,
        lambda: services.validate_procedure(access, request.user),
        "Choix de la procédure validé et enregistré dans l'historique.",
    )
    return redirect("operations:consultation", pk)


@login_required
@require_http_methods(GET_POST)
def sharing(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    access.require(access.can_manage, "Seul le maître d'ouvrage de l'acheteur peut partager.")
    candidates = services.share_candidates(access)
    form = ShareForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and "revoke" in request.POST:
        share = Share.objects.filter(
            pk=_int(request.POST["revoke"]), operation=access.operation, revoked_at__isnull=True
        ).first()
        if share is None:
            raise Http404("Partage introuvable.")
        services.revoke_share(access, request.user, share)
        messages.success(request, f"Partage avec {share.organisation} retiré.")
        return redirect("operations:sharing", pk)
    if request.method == "POST" and form.is_valid():
        by_pk = {o.pk: o for o in candidates}
        share = services.share_operation(
            access, request.user, by_pk[form.cleaned_data["organisation"]]
        )
        messages.success(request, f"Opération partagée avec {share.organisation}.")
        return redirect("operations:sharing", pk)
    context = page_context(
        "Partage avec un cabinet d'AMO",
        *_crumbs(access),
        form=form,
        shares=services.active_shares(access.operation),
        operation=access.operation,
    )
    return render(request, "operations/sharing.html", context)


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise Http404("Partage introuvable.") from None


@login_required
def history(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    page = Paginator(presenters.history_events(access.operation), 50).get_page(
        request.GET.get("page")
    )
    context = page_context(
        "Historique des modifications",
        *_crumbs(access),
        operation=access.operation,
        subject=access.operation.title,
        intro="Chaque création, modification, suppression, analyse et validation est conservée, "
        "avec son auteur et l'état avant et après.",
        caption="Historique de l'opération",
        page_obj=page,
        entries=presenters.history_entries(page.object_list),
    )
    return render(request, "history.html", context)
