"""Pages of the price clause: the formula, index values (entered or imported), revisions."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from openamo.errors import OpenAMOError
from openamo.pricing.indices import BadLine, bad_lines
from openamo.pricing.models import RevisionResult
from openamo.pricing.periods import month_of
from openamo.web.contracts import prices
from openamo.web.contracts.access import contract_access
from openamo.web.contracts.forms.prices import (
    FormulaForm,
    IndexImportForm,
    IndexValueForm,
    RevisionForm,
    TermForm,
)
from openamo.web.contracts.models import Contract, PriceForm
from openamo.web.contracts.presenters.labels import day, number
from openamo.web.contracts.presenters.outcomes import attach_domain_errors, domain_result
from openamo.web.contracts.presenters.prices import (
    revision_figures,
    revisions_table,
    series_tables,
    terms_table,
)
from openamo.web.contracts.services import renewals as renewal_service
from openamo.web.contracts.views._common import GET_POST, crumbs, form_page
from openamo.web.forms import submitted
from openamo.web.pages import page_context
from openamo.web.users import AuthenticatedRequest
from openamo.wording import count

REVISION_FIELDS = {
    "base_price_ht": "base_price_ht",
    "invoiced_price_ht": "invoiced_price_ht",
    "current_period": "current_period",
    "terms": "current_period",
    "price_decimals": "price_decimals",
}


def _prices_url(pk: int, anchor: str = "") -> str:
    return reverse("contracts:prices", args=[pk]) + anchor


def _price_crumbs(contract: Contract) -> list[tuple[str, str]]:
    return crumbs(contract, ("Prix et révision", _prices_url(contract.pk)))


@login_required
def prices_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    contract = access.contract
    terms = prices.live_terms(contract)
    warnings, error = prices.formula_check(contract, terms)
    context = page_context(
        "Prix et révision",
        *crumbs(contract),
        access=access,
        contract=contract,
        is_firm=contract.price_form == PriceForm.FERME,
        terms_table=terms_table(terms, access),
        formula_warnings=warnings,
        formula_error=error,
        series=series_tables(prices.live_values(contract)),
        revisions_table=revisions_table(prices.revisions_of(contract)),
        schedule=prices.schedule(contract, renewal_service.live_renewals(contract)),
        today=timezone.localdate(),
    )
    return render(request, "contracts/prices.html", context)


@login_required
@require_http_methods(GET_POST)
def formula(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    access.require_edit()
    contract = access.contract
    initial = {name: getattr(contract, name) for name in prices.FORMULA_FIELDS}
    supplies = contract.standard_supplies
    initial["standard_supplies"] = "" if supplies is None else ("oui" if supplies else "non")
    form = FormulaForm(
        request.POST or None, initial=initial, current=[contract, contract.revision_terms.all()]
    )
    if request.method == "POST" and form.is_valid():
        prices.save_formula(access, request.user, form.request())
        messages.success(request, "Clause de variation des prix enregistrée.")
        return redirect(_prices_url(pk))
    return form_page(
        request, "Clause de variation des prix", _price_crumbs(contract), form, contract=contract
    )


@login_required
@require_http_methods(GET_POST)
def term_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    access.require_edit()
    contract = access.contract
    initial = {"base_period": month_of(contract.price_date)} if contract.price_date else None
    form = TermForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        prices.add_term(access, request.user, form.request())
        messages.success(request, "Terme ajouté à la formule.")
        return redirect(_prices_url(pk, "#formule"))
    return form_page(
        request,
        "Ajouter un terme à la formule",
        _price_crumbs(contract),
        form,
        submit="Ajouter",
        contract=contract,
    )


@login_required
@require_http_methods(GET_POST)
def term_delete(request: AuthenticatedRequest, pk: int, term_pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    term = prices.live_term(access, term_pk)
    access.require_edit()
    if request.method == "POST":
        prices.remove_term(access, request.user, term)
        messages.success(request, f"Terme « {term.index_name} » retiré de la formule.")
        return redirect(_prices_url(pk, "#formule"))
    context = page_context(
        "Retirer un terme",
        *_price_crumbs(access.contract),
        question=f"Retirer le terme « {term.index_name} » (poids {number(term.weight)}) ?",
        consequence="Les révisions déjà calculées restent inchangées ; l'historique le conserve.",
        cancel_url=_prices_url(pk),
    )
    return render(request, "confirm.html", context)


@login_required
@require_http_methods(GET_POST)
def index_value(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    access.require_edit()
    terms = prices.live_terms(access.contract)
    initial = {"series": terms[0].index_name} if terms else None
    form = IndexValueForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        value = prices.save_index_value(access, request.user, form.request())
        messages.success(request, f"Valeur enregistrée : {value}.")
        return redirect(_prices_url(pk, "#indices"))
    return form_page(
        request,
        "Saisir une valeur d'indice",
        _price_crumbs(access.contract),
        form,
        contract=access.contract,
        intro="Valeur publiée au Journal officiel ou sur insee.fr pour la période ; une valeur "
        "déjà saisie pour la même période est remplacée (l'historique garde l'ancienne).",
    )


@login_required
@require_http_methods(GET_POST)
def index_import(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    access.require_edit()
    terms = prices.live_terms(access.contract)
    initial = {"series": terms[0].index_name} if terms else None
    form = IndexImportForm(request.POST or None, request.FILES or None, initial=initial)
    rejected: list[BadLine] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = prices.import_index_series(
                access, request.user, data["series"], data["file"], partial=data["partial"]
            )
        except OpenAMOError as exc:
            form.add_error("file", exc.message)
            rejected = bad_lines(exc)
        else:
            _import_messages(request, outcome)
            return redirect(_prices_url(pk, "#indices"))
    return form_page(
        request,
        "Importer une série d'indices",
        _price_crumbs(access.contract),
        form,
        submit="Importer",
        contract=access.contract,
        multipart=True,
        intro="Téléchargez la série sur insee.fr (« Télécharger » → CSV) ou exportez-la d'un "
        "tableur. Chaque ligne est contrôlée : un fichier qui contient une ligne invalide n'est "
        "pas importé, sauf si vous choisissez d'en importer les lignes valides.",
        errors_table={
            "header": ["Ligne", "Colonne", "Problème"],
            "rows": [
                [{"text": str(b.line)}, {"text": b.column}, {"text": b.message}] for b in rejected
            ],
        }
        if rejected
        else None,
    )


def _import_messages(request: HttpRequest, outcome: prices.ImportOutcome) -> None:
    series = outcome.series
    text = (
        f"Série « {series.name} » importée : {count(series.count, 'valeur')} de "
        f"{series.first_period} à {series.last_period} ({count(outcome.created, 'nouvelle')}, "
        f"{count(outcome.updated, 'modifiée')})."
    )
    if outcome.rejected_lines:
        lines = ", ".join(str(b.line) for b in outcome.rejected_lines)
        text += f" Lignes écartées à votre demande : {lines}."
    messages.success(request, text)
    for warning in series.warnings:
        messages.warning(request, warning)


@login_required
@require_http_methods(GET_POST)
def revision_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    access.require_edit()
    contract = access.contract
    form = RevisionForm(
        request.POST or None, initial={"revised_on": timezone.localdate(), "price_decimals": 2}
    )
    revision = submitted(
        request,
        form,
        lambda: prices.compute_revision(access, request.user, form.request()),
        partial(attach_domain_errors, fields=REVISION_FIELDS),
    )
    if revision is not None:
        if revision.drift_alert:
            messages.warning(request, "Alerte : le prix facturé dépasse ce que permet la formule.")
        messages.success(request, "Révision calculée et enregistrée.")
        return redirect("contracts:revision_detail", pk, revision.pk)
    return form_page(
        request,
        "Calculer une révision de prix",
        _price_crumbs(contract),
        form,
        submit="Calculer",
        contract=contract,
        intro="OpenAMO applique la formule du marché aux valeurs d'indice enregistrées : "
        "P = P0 × (a + Σ bᵢ × Iᵢ/I₀ᵢ), avec l'arrondi prévu par le CCAP.",
    )


@login_required
def revision_detail(request: AuthenticatedRequest, pk: int, revision_pk: int) -> HttpResponse:
    access = contract_access(request.user, pk)
    revision = prices.live_revision(access, revision_pk)
    result = RevisionResult.model_validate(revision.result)
    context = page_context(
        f"Révision de prix du {day(revision.revised_on)}",
        *_price_crumbs(access.contract),
        contract=access.contract,
        revision=revision,
        outcome=domain_result(result),
        figures=revision_figures(result),
    )
    return render(request, "contracts/revision_detail.html", context)
