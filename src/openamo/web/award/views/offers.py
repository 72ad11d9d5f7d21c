"""Offers of a lot and their marks (each mark saved only with its written justification)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openamo.errors import OpenAMOError
from openamo.web.award import marking
from openamo.web.award.access import Scope, live_offer, scope_of
from openamo.web.award.forms.marks import MarksForm
from openamo.web.award.forms.offers import OFFER_ROUTES, OfferForm, offer_initial
from openamo.web.award.models import AnalysisStatus
from openamo.web.award.presenters.labels import euros
from openamo.web.award.presenters.offers import grid_help, offers_table
from openamo.web.award.requests import OfferEntry
from openamo.web.award.services import offers as offer_service
from openamo.web.award.services import reading
from openamo.web.award.views._common import GET_POST, attach, crumbs, lot_crumbs, not_a_read
from openamo.web.operations.access import operation_access
from openamo.web.pages import page_context
from openamo.web.users import AuthenticatedRequest


def _to_offers(scope: Scope) -> HttpResponse:
    return redirect("award:offers", scope.access.operation.pk, scope.key)


def _closed(request: HttpRequest, scope: Scope) -> HttpResponse | None:
    """Back to the offers when the lot's ranking is validated (its offers no longer change)."""
    try:
        offer_service.refuse_if_validated(scope)
    except OpenAMOError as exc:
        messages.error(request, exc.message)
        return _to_offers(scope)
    return None


@login_required
def offers(request: AuthenticatedRequest, pk: int, lot_pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    if refused := not_a_read(request):
        return refused
    scope = scope_of(access, lot_pk)
    context = reading.context_of(access.operation)
    slots = marking.slots(context.criteria)
    analysis = reading.analysis_of(scope)
    decided = analysis is not None and analysis.status == AnalysisStatus.VALIDEE
    found = reading.live_offers(scope)
    page = page_context(
        f"Offres — {scope.label}",
        *crumbs(access),
        access=access,
        scope=scope,
        operation=access.operation,
        decided=decided,
        has_criteria=bool(context.criteria),
        table=offers_table(found, scope, slots, access.can_edit and not decided),
        estimate=euros(scope.lot.estimated_amount_ht if scope.lot else None),
    )
    return render(request, "award/offers.html", page)


def _offer_page(request: HttpRequest, scope: Scope, title: str, form: OfferForm) -> HttpResponse:
    page = page_context(
        title,
        *lot_crumbs(scope),
        form=form,
        submit="Enregistrer",
        intro="Le prix est celui du DQE de l'offre ; le statut et l'examen d'une offre "
        "anormalement basse restent à tout moment modifiables jusqu'à la validation du classement.",
    )
    return render(request, "form_page.html", page)


@login_required
@require_http_methods(GET_POST)
def offer_create(request: AuthenticatedRequest, pk: int, lot_pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    scope = scope_of(access, lot_pk)
    access.require_edit()
    if closed := _closed(request, scope):
        return closed
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            offer = offer_service.add_offer(scope, request.user, form.request())
        except OpenAMOError as exc:
            attach(form, exc, OFFER_ROUTES)
        else:
            messages.success(request, f"Offre de « {offer.bidder} » enregistrée : notez-la.")
            return redirect("award:offer_marks", pk, scope.key, offer.pk)
    return _offer_page(request, scope, f"Nouvelle offre — {scope.label}", form)


@login_required
@require_http_methods(GET_POST)
def offer_edit(request: AuthenticatedRequest, pk: int, lot_pk: int, offer_pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    scope = scope_of(access, lot_pk)
    offer = live_offer(scope, offer_pk)
    access.require_edit()
    if closed := _closed(request, scope):
        return closed
    initial = offer_initial(OfferEntry.of(offer))
    form = OfferForm(request.POST or None, initial=initial, current=offer)
    if request.method == "POST" and form.is_valid():
        try:
            offer_service.update_offer(scope, request.user, offer, form.request())
        except OpenAMOError as exc:
            attach(form, exc, OFFER_ROUTES)
        else:
            messages.success(request, f"Offre de « {offer.bidder} » enregistrée.")
            return _to_offers(scope)
    return _offer_page(request, scope, f"Offre de {offer.bidder} — {scope.label}", form)


@login_required
@require_http_methods(GET_POST)
def offer_delete(
    request: AuthenticatedRequest, pk: int, lot_pk: int, offer_pk: int
) -> HttpResponse:
    access = operation_access(request.user, pk)
    scope = scope_of(access, lot_pk)
    offer = live_offer(scope, offer_pk)
    access.require_edit()
    if closed := _closed(request, scope):
        return closed
    if request.method == "POST":
        try:
            offer_service.delete_offer(scope, request.user, offer)
        except OpenAMOError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Offre de « {offer.bidder} » supprimée.")
        return _to_offers(scope)
    page = page_context(
        f"Supprimer l'offre de {offer.bidder}",
        *lot_crumbs(scope),
        question=f"Supprimer l'offre de « {offer.bidder} » ({scope.label}) ?",
        consequence="Elle ne sera plus analysée ; ses données et ses notes restent dans "
        "l'historique.",
        cancel_url=reverse("award:offers", args=[pk, scope.key]),
    )
    return render(request, "confirm.html", page)


@login_required
@require_http_methods(GET_POST)
def offer_marks(request: AuthenticatedRequest, pk: int, lot_pk: int, offer_pk: int) -> HttpResponse:
    access = operation_access(request.user, pk)
    scope = scope_of(access, lot_pk)
    offer = live_offer(scope, offer_pk)
    access.require_edit()
    if closed := _closed(request, scope):
        return closed
    slots = marking.slots(reading.context_of(access.operation).criteria)
    form = MarksForm(
        request.POST or None,
        slots=slots,
        initial=marking.initial(offer.score_entries(), slots),
        current=offer,
    )
    if request.method == "POST" and slots and form.is_valid():
        try:
            offer_service.save_marks(scope, request.user, offer, form.request())
        except OpenAMOError as exc:
            _attach_marks(form, exc, slots)
        else:
            messages.success(request, f"Notes de « {offer.bidder} » enregistrées.")
            return _to_offers(scope)
    page = page_context(
        f"Notes de l'offre de {offer.bidder}",
        *lot_crumbs(scope),
        form=form,
        offer=offer,
        scope=scope,
        operation=access.operation,
        grids=grid_help(slots),
        slots=slots,
    )
    return render(request, "award/marks.html", page)


def _attach_marks(form: MarksForm, exc: OpenAMOError, slots: list[marking.MarkSlot]) -> None:
    by_where = {slot.where: slot for slot in slots}
    for detail in exc.details:
        slot = by_where.get(detail.location)
        if slot is None:
            form.add_error(None, f"{detail.location} : {detail.message}")
            continue
        kind = "justification" if "justification" in detail.message else "note"
        form.add_error(f"{kind}_{slot.key}", detail.message)
    if not exc.details:
        form.add_error(None, exc.message)
