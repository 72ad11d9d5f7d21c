"""Pages of the contract itself: list, creation (from the award or directly), the contract
page, its frame, renewals, sub-contractors and history. Parse the form → one service call →
redirect or re-render (prices, payments and quality have their own view modules)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from openamo.errors import OpenAMOError
from openamo.money import format_amount, with_vat
from openamo.pricing import advance as advances
from openamo.pricing.enums import PaymentBuyer, PenaltyClause
from openamo.pricing.execution_models import AdvanceResult, RetentionResult
from openamo.pricing.penalties import ccag_clause
from openamo.pricing.periods import first_day
from openamo.validation import french_errors
from openamo.web import search as search_text
from openamo.web.audit.services import audited_fields
from openamo.web.contracts import prices, queries, services
from openamo.web.contracts.access import ContractAccess, contract_access
from openamo.web.contracts.forms.contract import (
    ContractForm,
    RenewalDecisionForm,
    SubcontractorForm,
)
from openamo.web.contracts.mappers import advance_input, initial_end, retention_input
from openamo.web.contracts.models import Contract, Subcontractor
from openamo.web.contracts.presenters.contract import (
    contracts_table,
    renewals_table,
    subcontractors_table,
)
from openamo.web.contracts.presenters.history import history_entries, history_events
from openamo.web.contracts.presenters.labels import day, euros
from openamo.web.contracts.presenters.outcomes import attach_domain_errors
from openamo.web.contracts.presenters.quality import evaluations_table, holders_table
from openamo.web.contracts.requests import Formula, TermEntry
from openamo.web.forms import saved
from openamo.web.operations.access import operation_access
from openamo.web.operations.models import Need, Operation
from openamo.web.organisations.models import Organisation
from openamo.web.page_cache import cached_for_user
from openamo.web.pages import contracts_label, page_context

PAGE_SIZE = 25
GET_POST = ["GET", "POST"]
CONTRACT_FORM_FIELDS = {
    "initial_amount_ht": "initial_amount_ht",
    "duration_months": "duration_months",
    "lot": "lot",
}


BUYER_PAYMENT_CATEGORIES = {
    "collectivite": PaymentBuyer.COLLECTIVITE.value,
    "etat": PaymentBuyer.ETAT.value,
}
"""The organisation's buyer category (thresholds) as the payment period's one (R2192-10)."""


def buyer_category(organisation: Organisation) -> str:
    """The payment category of the buyer: a commune is a collectivité, never the first
    choice of the list (« État ») by default."""
    return BUYER_PAYMENT_CATEGORIES.get(organisation.buyer, PaymentBuyer.COLLECTIVITE.value)


def crumbs(contract: Contract | None = None, *more: tuple[str, str]) -> list[tuple[str, str]]:
    found = [("Marchés", reverse("contracts:list"))]
    if contract is not None:
        found.append((str(contract), reverse("contracts:detail", args=[contract.pk])))
    return [*found, *more]


def form_page(
    request: HttpRequest, title: str, trail: list[tuple[str, str]], form: Any, **extra: Any
) -> HttpResponse:
    context = page_context(title, *trail, form=form, submit=extra.pop("submit", "Enregistrer"))
    context.update(extra)
    return render(request, "contracts/form_page.html", context)


@login_required
@cached_for_user
def contract_list(request: HttpRequest) -> HttpResponse:
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
        can_create=bool(services.creatable_organisations(request.user)),
    )
    return render(request, "contracts/list.html", context)


def _holders_and_form(
    request: HttpRequest,
    holders: list[Organisation],
    can_decide: bool,
    **kwargs: Any,
) -> ContractForm:
    return ContractForm(request.POST or None, holders=holders, can_decide=can_decide, **kwargs)


@login_required
@require_http_methods(GET_POST)
def create(request: HttpRequest) -> HttpResponse:
    """A contract entered directly (signed before OpenAMO was used, or outside an operation)."""
    organisations = services.creatable_organisations(request.user)
    if not organisations:
        messages.error(request, "Votre rôle ne permet pas d'enregistrer un marché.")
        return redirect("contracts:list")
    # The account field needs the buyer: it is offered when the user decides for all the
    # buyers he may choose (one, in practice), limited to their former holders.
    deciding = [o for o in organisations if services.may_decide(request.user, o, None)]
    can_decide = len(deciding) == len(organisations)
    holders = [h for o in deciding for h in services.holder_organisations(o)] if can_decide else []
    initial = {"vat_rate": "20", "renewals": 0, "payment_buyer": buyer_category(organisations[0])}
    form = _holders_and_form(request, holders, can_decide, initial=initial)
    _add_buyer_field(form, organisations)
    if request.method == "POST" and form.is_valid():
        buyer = {o.pk: o for o in organisations}[form.cleaned_data["organisation"]]
        try:
            contract = services.create_contract(request.user, form.request(), organisation=buyer)
        except OpenAMOError as exc:
            attach_domain_errors(form, exc, CONTRACT_FORM_FIELDS)
        else:
            messages.success(request, "Marché enregistré.")
            return redirect("contracts:detail", contract.pk)
    return form_page(
        request,
        "Enregistrer un marché",
        crumbs(),
        form,
        submit="Enregistrer le marché",
        intro="Pour un marché signé avant l'utilisation d'OpenAMO ou hors d'une opération "
        "suivie ici. Un marché issu d'une consultation se crée depuis la page de l'opération, "
        "prérempli avec l'offre retenue.",
    )


def _add_buyer_field(form: ContractForm, organisations: list[Organisation]) -> None:
    form.fields["organisation"] = forms.TypedChoiceField(
        label="Acheteur", choices=[(o.pk, o.name) for o in organisations], coerce=int
    )
    form.sections = [("L'acheteur", ["organisation"]), *form.sections]


def dce_initial(terms: services.Terms | None, offer: services.Awarded) -> dict[str, object]:
    """The contract's clauses as the DCE fixed them: price form and revision, framework and its
    maximum, advance, retention, penalties, reference (lot number added)."""
    if terms is None:
        return {}
    found: dict[str, object] = {
        "price_form": terms.price_form,
        "is_framework": terms.is_framework,
    }
    if terms.reference:
        found["reference"] = (
            f"{terms.reference}-L{offer.lot_number}" if offer.lot_number else terms.reference
        )[:60]
    if terms.maximum_amount_ht is not None:
        found["maximum_amount_ht"] = format_amount(terms.maximum_amount_ht).replace(".", ",")
    for name, value in (
        ("advance_rate_percent", terms.advance_percent),
        ("retention_rate_percent", terms.retention_percent),
    ):
        if value is not None:
            found[name] = str(value).replace(".", ",")
    clause = ccag_clause(terms.ccag)
    if terms.daily_penalty_ht is not None:
        found["penalty_clause"] = PenaltyClause.FORFAIT_JOURNALIER.value
        found["penalty_daily_amount_ht"] = format_amount(terms.daily_penalty_ht).replace(".", ",")
    elif clause is not None:
        found["penalty_clause"] = clause.value
    return found


def awarded_initial(offer: services.Awarded, operation: Operation) -> dict[str, object]:
    """The form's initial values from the validated winner, the DCE and the need."""
    need = getattr(operation, "need", None)
    initial: dict[str, object] = {
        "payment_buyer": buyer_category(operation.organisation),
        "lot": offer.lot_id,
        "title": offer.lot_name if offer.lot_id else operation.title,
        "holder_name": offer.bidder,
        "holder_siret": offer.siret,
        "holder_address": offer.postal_address,
        "initial_amount_ht": format_amount(offer.price_ht).replace(".", ","),
        "vat_rate": "20",
        "renewals": 0,
    }
    account = services.holder_account(offer.siret)
    if account is not None:
        initial["holder_organisation"] = account.pk
    initial.update(dce_initial(services.contract_terms(operation.pk, offer.lot_id), offer))
    consultation = getattr(operation, "consultation", None)
    if consultation is not None and consultation.procedure:
        initial["procedure"] = consultation.procedure
        initial["consultation_on"] = consultation.launch_date
    if need is not None:
        initial.update(
            nature=need.nature,
            duration_months=need.duration_months,
            renewals=need.renewals,
            renewal_duration_months=need.renewal_duration_months,
        )
        initial.update(need_framework_initial(need, offer, initial))
    return initial


def need_framework_initial(
    need: Need, offer: services.Awarded, initial: Mapping[str, object]
) -> dict[str, object]:
    """The framework agreement as the need described it, where the DCE said nothing: its
    holders and maximum in quantity always, its minimum and maximum in value for a contract
    without lots (a lot's maximum is the DCE's)."""
    if not need.is_framework:
        return {}
    found: dict[str, object] = {
        "is_framework": True,
        "framework_holders": need.framework_holders,
        "framework_maximum_quantity": need.framework_maximum_quantity,
    }
    if offer.lot_id is None:
        for name, value in (
            ("minimum_amount_ht", need.framework_minimum_ht),
            ("maximum_amount_ht", need.framework_maximum_ht),
        ):
            if value is not None and not initial.get(name):
                found[name] = format_amount(value).replace(".", ",")
    return {key: value for key, value in found.items() if value not in (None, "")}


@login_required
@require_http_methods(GET_POST)
def create_from_operation(request: HttpRequest, operation_pk: int) -> HttpResponse:
    """A contract from the operation's consultation, pre-filled with a validated winner."""
    op_access = operation_access(request.user, operation_pk)
    op_access.require_edit()
    operation = op_access.operation
    offers = services.awarded_offers(operation.pk)
    chosen = _chosen(request, offers)
    initial = (
        awarded_initial(chosen, operation)
        if chosen
        else {
            "vat_rate": "20",
            "renewals": 0,
            "payment_buyer": buyer_category(operation.organisation),
        }
    )
    form = _holders_and_form(
        request,
        services.holder_organisations(operation.organisation, operation.pk),
        op_access.can_validate,
        initial=initial,
        lots=services.lots_of(op_access),
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                contract = services.create_contract(
                    request.user, form.request(), operation_access=op_access
                )
                carried = _take_over_revision(request.user, contract, chosen, operation.pk)
        except OpenAMOError as exc:
            attach_domain_errors(form, exc, CONTRACT_FORM_FIELDS)
        else:
            messages.success(
                request,
                "Marché enregistré à partir de la consultation"
                + (" ; la formule de révision du DCE est reprise." if carried else "."),
            )
            return redirect("contracts:detail", contract.pk)
    trail = [
        ("Opérations", reverse("operations:list")),
        (operation.title, reverse("operations:detail", args=[operation.pk])),
    ]
    return form_page(
        request,
        "Créer un marché",
        trail,
        form,
        submit="Enregistrer le marché",
        offers=[
            {
                "offer": offer,
                "amount": euros(offer.price_ht),
                "url": f"{request.path}?offre={index}",
                "chosen": offer == chosen,
            }
            for index, offer in enumerate(offers)
        ],
        operation=operation,
    )


def _take_over_revision(
    user: Any, contract: Contract, chosen: services.Awarded | None, operation_id: int
) -> bool:
    """The revision clause of the DCE on the new contract (mois zéro, partie fixe,
    périodicité, indices) when its prices are revisable, as the DCE said; audited."""
    if chosen is None or contract.price_form != "revisable":
        return False
    terms = services.contract_terms(operation_id, chosen.lot_id)
    if terms is None or not terms.revision_terms:
        return False
    access = contract_access(user, contract.pk)
    base_month = terms.revision_base_month
    formula = Formula(
        price_date=first_day(base_month) if base_month else None,
        fixed_part=terms.fixed_part or Decimal(0),
        revision_periodicity_months=terms.revision_periodicity_months or None,
    )
    prices.save_formula(access, user, formula)
    for term in terms.revision_terms:
        prices.add_term(
            access,
            user,
            TermEntry(
                index_name=term["index_name"],
                label=term["label"][:200],
                weight=Decimal(term["weight"]),
                base_period=base_month,
            ),
        )
    return True


def _chosen(request: HttpRequest, offers: list[services.Awarded]) -> services.Awarded | None:
    raw = request.GET.get("offre", "")
    if not offers:
        return None
    if raw.isdigit() and int(raw) < len(offers):
        return offers[int(raw)]
    return offers[0]


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
            modifications = services.signed_amendments_ht(contract)
            with french_errors():
                retention_data = retention_input(contract, modifications)
            retention = advances.retention(retention_data)
    except OpenAMOError as exc:
        return Clauses(advance, retention, exc.message)
    if advance is None and retention is None:
        return None
    return Clauses(advance, retention)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    contract = access.contract
    today = timezone.localdate()
    renewals = services.live_renewals(contract)
    context = page_context(
        str(contract),
        *crumbs(),
        access=access,
        contract=contract,
        initial_end=initial_end(contract),
        renewals_table=renewals_table(renewals, access, today),
        subcontractors_table=subcontractors_table(services.live_subcontractors(contract), access),
        clauses=_advance(contract),
        amount_ttc=with_vat(contract.initial_amount_ht, contract.vat_rate),
    )
    return render(request, "contracts/detail.html", context)


@login_required
@require_http_methods(GET_POST)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    access.require_edit()
    contract = access.contract
    lots = []
    if contract.operation_id is not None:
        lots = services.lots_of(operation_access(request.user, contract.operation_id))
    initial = {name: getattr(contract, name) for name in services.FRAME_FIELDS}
    initial["holder_organisation"] = contract.holder_organisation_id
    initial["lot"] = contract.lot_id
    holders = services.holder_organisations(
        contract.organisation, contract.operation_id, contract.holder_organisation
    )
    form = _holders_and_form(
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
        lambda: services.update_contract(access, request.user, form.request()),
        partial(attach_domain_errors, fields=CONTRACT_FORM_FIELDS),
    ):
        messages.success(request, "Marché enregistré.")
        return redirect("contracts:detail", pk)
    return form_page(request, "Modifier le marché", crumbs(contract), form, contract=contract)


@login_required
@require_http_methods(GET_POST)
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    access.require_validate()
    if request.method == "POST":
        services.delete_contract(access, request.user)
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
def renewal_decide(request: HttpRequest, pk: int, renewal_pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    renewal = services.live_renewal(access, renewal_pk)
    access.require(
        access.can_validate,
        "Seul un maître d'ouvrage de l'acheteur décide de reconduire ou non le marché.",
    )
    form = RenewalDecisionForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    if saved(
        request,
        form,
        lambda: services.decide_renewal(
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


def _subcontractor_page(
    request: HttpRequest, access: ContractAccess, found: Any = None
) -> HttpResponse:
    access.require_edit()
    initial = None
    if found is not None:
        initial = {name: getattr(found, name) for name in audited_fields(Subcontractor)}
    form = SubcontractorForm(request.POST or None, initial=initial, current=found)
    if request.method == "POST" and form.is_valid():
        services.save_subcontractor(access, request.user, form.request(), found)
        messages.success(request, "Sous-traitant enregistré.")
        return redirect(reverse("contracts:detail", args=[access.contract.pk]) + "#sous-traitance")
    title = "Modifier le sous-traitant" if found else "Déclarer un sous-traitant"
    return form_page(request, title, crumbs(access.contract), form, contract=access.contract)


@login_required
@require_http_methods(GET_POST)
def subcontractor_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _subcontractor_page(request, contract_access(request.user, pk))


@login_required
@require_http_methods(GET_POST)
def subcontractor_edit(request: HttpRequest, pk: int, sub_pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    return _subcontractor_page(request, access, services.live_subcontractor(access, sub_pk))


@login_required
@require_http_methods(GET_POST)
def subcontractor_delete(request: HttpRequest, pk: int, sub_pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    found = services.live_subcontractor(access, sub_pk)
    access.require_edit()
    if request.method == "POST":
        services.remove_subcontractor(access, request.user, found)
        messages.success(request, f"{found} retiré.")
        return redirect(reverse("contracts:detail", args=[pk]) + "#sous-traitance")
    context = page_context(
        "Retirer le sous-traitant",
        *crumbs(access.contract),
        question=f"Retirer « {found.name} » de la sous-traitance déclarée ?",
        consequence="Il n'apparaîtra plus sur la fiche du marché ; l'historique le conserve.",
        cancel_url=reverse("contracts:detail", args=[pk]),
    )
    return render(request, "confirm.html", context)


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
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
def evaluations(request: HttpRequest) -> HttpResponse:
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
