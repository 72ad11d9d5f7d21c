"""The creation of a contract: from the award of an operation (its DCE, the offer retained, the
need's frame) or typed directly."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Unpack

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openamo.errors import OpenAMOError
from openamo.money import format_amount
from openamo.pricing.enums import PaymentBuyer, PenaltyClause
from openamo.pricing.penalties import ccag_clause
from openamo.pricing.periods import first_day
from openamo.web.award.queries import ContractTerms
from openamo.web.contracts import prices
from openamo.web.contracts.access import contract_access
from openamo.web.contracts.forms.contract import (
    ContractForm,
)
from openamo.web.contracts.models import Contract
from openamo.web.contracts.presenters.labels import euros
from openamo.web.contracts.presenters.outcomes import attach_domain_errors
from openamo.web.contracts.requests import Formula, TermEntry
from openamo.web.contracts.services import contract as contract_service
from openamo.web.contracts.views._common import GET_POST, crumbs, form_page
from openamo.web.forms import FormOptions
from openamo.web.operations.access import operation_access
from openamo.web.operations.models import Lot, Need, Operation
from openamo.web.organisations.models import Organisation
from openamo.web.users import AuthenticatedRequest, AuthenticatedUser

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


def holders_and_form(
    request: HttpRequest,
    holders: list[Organisation],
    can_decide: bool,
    *,
    lots: list[Lot] | None = None,
    editing: bool = False,
    **options: Unpack[FormOptions],
) -> ContractForm:
    return ContractForm(
        request.POST or None,
        holders=holders,
        lots=lots,
        editing=editing,
        can_decide=can_decide,
        **options,
    )


@login_required
@require_http_methods(GET_POST)
def create(request: AuthenticatedRequest) -> HttpResponse:
    """A contract entered directly (signed before OpenAMO was used, or outside an operation)."""
    organisations = contract_service.creatable_organisations(request.user)
    if not organisations:
        messages.error(request, "Votre rôle ne permet pas d'enregistrer un marché.")
        return redirect("contracts:list")
    # The account field needs the buyer: it is offered when the user decides for all the
    # buyers he may choose (one, in practice), limited to their former holders.
    deciding = [o for o in organisations if contract_service.may_decide(request.user, o, None)]
    can_decide = len(deciding) == len(organisations)
    holders = (
        [h for o in deciding for h in contract_service.holder_organisations(o)]
        if can_decide
        else []
    )
    initial = {"vat_rate": "20", "renewals": 0, "payment_buyer": buyer_category(organisations[0])}
    form = holders_and_form(request, holders, can_decide, initial=initial)
    _add_buyer_field(form, organisations)
    if request.method == "POST" and form.is_valid():
        buyer = {o.pk: o for o in organisations}[form.cleaned_data["organisation"]]
        try:
            contract = contract_service.create_contract(
                request.user, form.request(), organisation=buyer
            )
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


def dce_initial(terms: ContractTerms | None, offer: contract_service.Awarded) -> dict[str, object]:
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


def awarded_initial(offer: contract_service.Awarded, operation: Operation) -> dict[str, object]:
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
    account = contract_service.holder_account(offer.siret)
    if account is not None:
        initial["holder_organisation"] = account.pk
    initial.update(dce_initial(contract_service.contract_terms(operation.pk, offer.lot_id), offer))
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
    need: Need, offer: contract_service.Awarded, initial: Mapping[str, object]
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
def create_from_operation(request: AuthenticatedRequest, operation_pk: int) -> HttpResponse:
    """A contract from the operation's consultation, pre-filled with a validated winner."""
    op_access = operation_access(request.user, operation_pk)
    op_access.require_edit()
    operation = op_access.operation
    offers = contract_service.awarded_offers(operation.pk)
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
    form = holders_and_form(
        request,
        contract_service.holder_organisations(operation.organisation, operation.pk),
        op_access.can_validate,
        initial=initial,
        lots=contract_service.lots_of(op_access),
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                contract = contract_service.create_contract(
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
    user: AuthenticatedUser,
    contract: Contract,
    chosen: contract_service.Awarded | None,
    operation_id: int,
) -> bool:
    """The revision clause of the DCE on the new contract (mois zéro, partie fixe,
    périodicité, indices) when its prices are revisable, as the DCE said; audited."""
    if chosen is None or contract.price_form != "revisable":
        return False
    terms = contract_service.contract_terms(operation_id, chosen.lot_id)
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


def _chosen(
    request: HttpRequest, offers: list[contract_service.Awarded]
) -> contract_service.Awarded | None:
    raw = request.GET.get("offre", "")
    if not offers:
        return None
    if raw.isdigit() and int(raw) < len(offers):
        return offers[int(raw)]
    return offers[0]
