"""Pages of school catering (EGAlim): parse the form → one service call → redirect or re-render."""

from __future__ import annotations

from typing import Unpack

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from openamo.catering import declaration_csv, purchases_csv
from openamo.catering.models import LineError
from openamo.dates import MONTH_NAMES
from openamo.errors import ErrorDetail, OpenAMOError
from openamo.money import format_euros
from openamo.web import downloads
from openamo.web.catering import dqe, presenters, queries, services
from openamo.web.catering.access import (
    BuyerAccess,
    buyer_access,
    buyer_import,
    live_forecast,
    live_purchase,
    visible_buyers,
)
from openamo.web.catering.forms import (
    CateringProfileForm,
    ForecastForm,
    ImportConfirmForm,
    ImportUploadForm,
    PeriodForm,
    PurchaseForm,
)
from openamo.web.catering.history import history_entries, history_events
from openamo.web.catering.mappers import entry_of, exported
from openamo.web.catering.models import FAMILY_CHOICES, PurchaseImport
from openamo.web.forms import FormOptions, acted
from openamo.web.pages import page_context
from openamo.web.users import AuthenticatedRequest
from openamo.wording import count

PAGE_SIZE = 50
GET_POST = ["GET", "POST"]


def _crumbs(access: BuyerAccess | None = None) -> list[tuple[str, str]]:
    crumbs = [("Restauration (EGAlim)", reverse("catering:index"))]
    if access is not None:
        org = access.organisation
        crumbs.append((org.name, reverse("catering:dashboard", args=[org.pk])))
    return crumbs


def _year(request: HttpRequest, years: list[int]) -> int:
    raw = request.GET.get("annee", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else queries.default_year(years)


@login_required
def index(request: AuthenticatedRequest) -> HttpResponse:
    buyers = visible_buyers(request.user)
    if len(buyers) == 1:
        return redirect("catering:dashboard", buyers[0].organisation.pk)
    context = page_context(
        "Restauration collective (EGAlim)",
        buyers=buyers,
        targets=presenters.targets_on(timezone.localdate()),
    )
    return render(request, "catering/index.html", context)


@login_required
def dashboard(request: AuthenticatedRequest, org: int) -> HttpResponse:
    access = buyer_access(request.user, org)
    years = queries.purchase_years(access)
    year = _year(request, years)
    data = queries.year_ratios(access, year)
    result = data.result
    period_form = PeriodForm(request.GET if "du" in request.GET else None)
    period = None
    if period_form.is_valid():
        period = queries.period_ratios(
            access, period_form.cleaned_data["du"], period_form.cleaned_data["au"]
        )
    context = page_context(
        f"Tableau de bord EGAlim {year}",
        *_crumbs(),
        access=access,
        organisation=access.organisation,
        year=year,
        years=sorted({*years, year}, reverse=True),
        result=result,
        indicators=presenters.indicators(result),
        compliance=presenters.compliance(result, f"Les achats de {year}"),
        ratio_charts=presenters.ratio_charts(data),
        family_chart=presenters.family_chart(result),
        families_table=presenters.families_table(result),
        categories_table=presenters.categories_table(result),
        period_form=period_form,
        period=period,
        period_indicators=presenters.indicators(period) if period else [],
        scope=presenters.targets_scope(result),
    )
    return render(request, "catering/dashboard.html", context)


@login_required
def purchase_list(request: AuthenticatedRequest, org: int) -> HttpResponse:
    access = buyer_access(request.user, org)
    filters = queries.PurchaseFilters.from_query(request.GET)
    found = queries.purchase_page(access, filters, request.GET.get("page"), PAGE_SIZE)
    context = page_context(
        "Achats de denrées",
        *_crumbs(access),
        access=access,
        organisation=access.organisation,
        filters=filters,
        years=queries.purchase_years(access),
        months=list(enumerate(MONTH_NAMES, start=1)),
        families=FAMILY_CHOICES,
        labels=presenters.label_choices(),
        found=found,
        page_obj=found.page,
        total=format_euros(found.total_ht),
        table=presenters.purchases_table(found.rows, access),
    )
    return render(request, "catering/purchase_list.html", context)


def _purchase_form(
    request: HttpRequest, access: BuyerAccess, **options: Unpack[FormOptions]
) -> PurchaseForm:
    return PurchaseForm(request.POST or None, contracts=services.buyer_contracts(access), **options)


@login_required
@require_http_methods(GET_POST)
def purchase_create(request: AuthenticatedRequest, org: int) -> HttpResponse:
    access = buyer_access(request.user, org)
    access.require_edit()
    form = _purchase_form(request, access, initial={"establishment": access.organisation.siret})
    if request.method == "POST" and form.is_valid():
        purchase = services.create_purchase(access, request.user, form.to_input())
        messages.success(request, f"{purchase} enregistré.")
        return redirect(_list_url(access, purchase.date.year))
    context = page_context(
        "Saisir un achat", *_crumbs(access), form=form, submit="Enregistrer l'achat"
    )
    return render(request, "form_page.html", context)


def _list_url(access: BuyerAccess, year: int) -> str:
    return reverse("catering:purchases", args=[access.organisation.pk]) + f"?annee={year}"


@login_required
@require_http_methods(GET_POST)
def purchase_edit(request: AuthenticatedRequest, org: int, pk: int) -> HttpResponse:
    access = buyer_access(request.user, org)
    purchase = live_purchase(access, pk)
    access.require_edit()
    initial = PurchaseForm.initial_of(entry_of(purchase))
    form = _purchase_form(request, access, initial=initial, current=purchase)
    if request.method == "POST" and form.is_valid():
        services.update_purchase(access, request.user, purchase, form.to_input())
        messages.success(request, f"{purchase} modifié.")
        return redirect(_list_url(access, purchase.date.year))
    context = page_context("Modifier un achat", *_crumbs(access), form=form, submit="Enregistrer")
    return render(request, "form_page.html", context)


@login_required
@require_http_methods(GET_POST)
def purchase_delete(request: AuthenticatedRequest, org: int, pk: int) -> HttpResponse:
    access = buyer_access(request.user, org)
    purchase = live_purchase(access, pk)
    access.require_edit()
    if request.method == "POST":
        services.delete_purchase(access, request.user, purchase)
        messages.success(request, f"{purchase} supprimé.")
        return redirect(_list_url(access, purchase.date.year))
    context = page_context(
        "Supprimer un achat",
        *_crumbs(access),
        question=f"Supprimer l'{str(purchase)[0].lower()}{str(purchase)[1:]} "
        f"({format_euros(purchase.amount_ht)} HT) ?",
        consequence="Il ne comptera plus dans les ratios EGAlim ; l'historique le conserve.",
        cancel_url=_list_url(access, purchase.date.year),
    )
    return render(request, "confirm.html", context)


@login_required
@require_http_methods(GET_POST)
def import_upload(request: AuthenticatedRequest, org: int) -> HttpResponse:
    access = buyer_access(request.user, org)
    access.require_edit()
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    lines: list[LineError] = []
    if request.method == "POST" and form.is_valid():
        name, content = form.cleaned_data["file"]
        try:
            found = services.upload_purchases(access, request.user, name, content)
        except OpenAMOError as exc:
            form.add_error("file", exc.message)
            lines = [LineError.model_validate(e) for e in exc.extra.get("lines", [])]
        else:
            return redirect("catering:import_preview", org, found.pk)
    context = page_context(
        "Importer des achats",
        *_crumbs(access),
        access=access,
        form=form,
        errors_table=presenters.errors_table(lines) if lines else None,
        imports=queries.recent_imports(access),
    )
    return render(request, "catering/import_upload.html", context)


@login_required
@require_http_methods(GET_POST)
def import_preview(request: AuthenticatedRequest, org: int, pk: int) -> HttpResponse:
    access = buyer_access(request.user, org)
    found = buyer_import(access, pk)
    earlier = services.previous_import(found)
    is_preview = found.status == PurchaseImport.Status.PREVIEW
    file_ratios = found.ratios()
    form = ImportConfirmForm(
        request.POST or None,
        has_errors=bool(found.error_count),
        already_imported=earlier is not None,
    )
    if request.method == "POST":
        access.require_edit()
        if "abandon" in request.POST:
            _abandon(request, access, found)
            return redirect("catering:import_upload", org)
        if form.is_valid():
            done = _confirm(request, access, found, form)
            if done is not None:
                year = str(done.result["period"]["end"])[:4]
                return redirect(reverse("catering:dashboard", args=[org]) + f"?annee={year}")
    context = page_context(
        f"Import « {found.file_name} »",
        *_crumbs(access),
        access=access,
        purchase_import=found,
        earlier=earlier,
        is_preview=is_preview,
        form=form,
        errors_table=presenters.errors_table(found.line_errors()),
        format_label=presenters.FORMAT_LABELS.get(found.format, found.format),
        file_ratios=file_ratios,
        indicators=presenters.indicators(file_ratios) if file_ratios else [],
        more_errors=found.error_count - len(found.errors),
    )
    return render(request, "catering/import_preview.html", context)


def _abandon(request: AuthenticatedRequest, access: BuyerAccess, found: PurchaseImport) -> None:
    acted(
        request,
        lambda: services.abandon_import(access, request.user, found),
        f"Import « {found.file_name} » abandonné : rien n'a été importé.",
        messages.info,
    )


def _confirm(
    request: AuthenticatedRequest,
    access: BuyerAccess,
    found: PurchaseImport,
    form: ImportConfirmForm,
) -> PurchaseImport | None:
    try:
        done = services.confirm_import(
            access,
            request.user,
            found,
            partial=bool(form.cleaned_data.get("partial")),
            again=bool(form.cleaned_data.get("again")),
        )
    except OpenAMOError as exc:
        if exc.code == "invalid_file":
            form.add_error(
                None,
                f"Le fichier contient {count(found.invalid_lines, 'ligne invalide')} : rien n'a été "
                "importé. Corrigez le fichier et déposez-le à nouveau, ou cochez « Importer les "
                "lignes valides seulement ».",
            )
        else:
            form.add_error("again" if "again" in form.fields else None, exc.message)
        return None
    rejected = f", {count(done.invalid_lines, 'ligne invalide écartée')}" if done.partial else ""
    messages.success(
        request,
        f"{count(done.imported_count, 'achat importé')} depuis « {done.file_name} »{rejected}.",
    )
    return done


@login_required
def export(request: AuthenticatedRequest, org: int) -> HttpResponse:
    access = buyer_access(request.user, org)
    years = queries.purchase_years(access)
    year = _year(request, years)
    kind = request.GET.get("format", "")
    if kind in {"achats", "bilan"}:
        try:
            return _download(access, year, kind)
        except OpenAMOError as exc:
            messages.error(request, exc.message)
    context = page_context(
        "Exporter pour ma cantine",
        *_crumbs(access),
        access=access,
        organisation=access.organisation,
        years=years,
        year=year,
    )
    return render(request, "catering/export.html", context)


def _download(access: BuyerAccess, year: int, kind: str) -> HttpResponse:
    purchases = queries.year_purchases(access, year)
    if not purchases:
        raise OpenAMOError(f"Aucun achat enregistré en {year} : rien à exporter.")
    siret = access.organisation.siret
    items = [exported(p, i, siret) for i, p in enumerate(purchases, start=2)]
    if kind == "bilan":
        text, stem = declaration_csv(items), "bilan-simplifie-egalim"
    else:
        by_id = all(len(i.establishment) != 14 and i.establishment for i in items)
        text, stem = purchases_csv(items, by_id=by_id), "achats-ma-cantine"
    name = f"{stem}-{slugify(access.organisation.name)}-{year}.csv"
    return downloads.attachment(text.encode("utf-8"), "text/csv; charset=utf-8", name)


@login_required
@require_http_methods(GET_POST)
def forecasts(request: AuthenticatedRequest, org: int) -> HttpResponse:
    access = buyer_access(request.user, org)
    operations = services.buyer_operations(access, request.user)
    form = ForecastForm(request.POST or None, request.FILES or None, operations=operations)
    lines: list[ErrorDetail] = []
    if request.method == "POST":
        access.require_edit()
        if form.is_valid():
            name, content = form.cleaned_data["file"]
            try:
                forecast = services.create_forecast(
                    access,
                    request.user,
                    title=form.cleaned_data["title"],
                    year=form.cleaned_data["year"],
                    operation=form.chosen_operation(),
                    file_name=name,
                    content=content,
                )
            except OpenAMOError as exc:
                form.add_error("file", exc.message)
                lines = dqe.located(exc)
            else:
                messages.success(request, "Prévision calculée et enregistrée.")
                return redirect("catering:forecast_detail", org, forecast.pk)
    context = page_context(
        "Prévision EGAlim d'un DQE",
        *_crumbs(access),
        access=access,
        form=form,
        dqe_errors=lines,
        forecasts=queries.buyer_forecasts(access),
    )
    return render(request, "catering/forecasts.html", context)


@login_required
def forecast_detail(request: AuthenticatedRequest, org: int, pk: int) -> HttpResponse:
    access = buyer_access(request.user, org)
    forecast = live_forecast(access, pk)
    result = forecast.outcome()
    context = page_context(
        forecast.title,
        *_crumbs(access),
        ("Prévisions", reverse("catering:forecasts", args=[org])),
        access=access,
        forecast=forecast,
        result=result,
        indicators=presenters.indicators(result.ratios),
        compliance=presenters.compliance(result.ratios, "Les achats prévus au DQE"),
        families_table=presenters.families_table(result.ratios),
        lines_table=presenters.dqe_table(forecast.dqe().lines),
        dqe_total=format_euros(result.dqe_total_ht),
    )
    return render(request, "catering/forecast_detail.html", context)


@login_required
@require_http_methods(GET_POST)
def forecast_delete(request: AuthenticatedRequest, org: int, pk: int) -> HttpResponse:
    access = buyer_access(request.user, org)
    forecast = live_forecast(access, pk)
    access.require_edit()
    if request.method == "POST":
        services.delete_forecast(access, request.user, forecast)
        messages.success(request, f"Prévision « {forecast.title} » supprimée.")
        return redirect("catering:forecasts", org)
    context = page_context(
        "Supprimer une prévision",
        *_crumbs(access),
        question=f"Supprimer la prévision « {forecast.title} » ?",
        consequence="Elle n'apparaîtra plus dans la liste ; l'historique la conserve.",
        cancel_url=reverse("catering:forecast_detail", args=[org, pk]),
    )
    return render(request, "confirm.html", context)


@login_required
def dqe_template(request: AuthenticatedRequest) -> HttpResponse:
    return downloads.attachment(
        dqe.template_csv().encode("utf-8-sig"),
        "text/csv; charset=utf-8",
        "modele-dqe-restauration.csv",
    )


@login_required
def history(request: AuthenticatedRequest, org: int) -> HttpResponse:
    access = buyer_access(request.user, org)
    page = Paginator(history_events(access), 50).get_page(request.GET.get("page"))
    context = page_context(
        "Historique des achats et imports",
        *_crumbs(access),
        organisation=access.organisation,
        subject=access.organisation.name,
        intro="Chaque saisie, modification, suppression d'achat, chaque import de fichier et "
        "chaque prévision est conservé, avec son auteur et l'état avant et après.",
        caption="Historique des achats de restauration",
        page_obj=page,
        entries=history_entries(page.object_list),
    )
    return render(request, "history.html", context)


@login_required
@require_http_methods(GET_POST)
def profile_edit(request: AuthenticatedRequest, org: int) -> HttpResponse:
    access = buyer_access(request.user, org)
    access.require_edit()
    profile = queries.profile(access)
    initial = CateringProfileForm.initial_of(queries.targets(access))
    form = CateringProfileForm(request.POST or None, initial=initial, current=profile)
    if request.method == "POST" and form.is_valid():
        services.save_profile(access, request.user, form.to_input())
        messages.success(request, "Profil enregistré : les objectifs EGAlim en tiennent compte.")
        return redirect("catering:dashboard", access.organisation.pk)
    context = page_context(
        "Gestionnaire et territoire de la restauration",
        *_crumbs(access),
        form=form,
        submit="Enregistrer",
        intro="Ils décident des objectifs EGAlim auxquels les achats, les imports et les "
        "prévisions sont comparés.",
    )
    return render(request, "form_page.html", context)
