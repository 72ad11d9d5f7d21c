"""Pages « Données essentielles » and « Audit du portefeuille » of a buyer."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from openamo.opendata.decp_xml import to_xml
from openamo.web.downloads import attachment
from openamo.web.opendata import imports, presenters, services
from openamo.web.opendata.access import buyer_access, visible_buyers
from openamo.web.opendata.forms import DecpUploadForm, EssentialDataForm
from openamo.web.opendata.jobs import start_import
from openamo.web.opendata.models import DecpImport, ImportStatus, Publication
from openamo.web.opendata.portfolio import portfolio_audit
from openamo.web.pages import page_context
from openamo.web.users import AuthenticatedRequest

GET_POST = ["GET", "POST"]


def _crumbs(access: object | None = None) -> list[tuple[str, str]]:
    found = [("Données essentielles", reverse("opendata:index"))]
    if access is not None:
        organisation = access.organisation  # type: ignore[attr-defined]
        found.append((organisation.name, reverse("opendata:portfolio", args=[organisation.pk])))
    return found


@login_required
def index(request: AuthenticatedRequest) -> HttpResponse:
    context = page_context("Données essentielles", buyers=visible_buyers(request.user))
    return render(request, "opendata/index.html", context)


@login_required
def portfolio(request: AuthenticatedRequest, org: int) -> HttpResponse:
    access = buyer_access(request.user, org)
    today = timezone.localdate()
    entries = services.contracts_of(access)
    result, statuses = services.publication(access, entries, today)
    context = page_context(
        f"Données essentielles — {access.organisation.name}",
        *_crumbs(),
        access=access,
        organisation=access.organisation,
        rows=presenters.status_rows(access, statuses),
        result=result,
        ready=len(result.published),
        missing_siret=not access.organisation.siret,
        publications=services.publications_of(access),
    )
    return render(request, "opendata/portfolio.html", context)


@login_required
@require_http_methods(GET_POST)
def essential(request: AuthenticatedRequest, org: int, pk: int) -> HttpResponse:
    access = buyer_access(request.user, org)
    contract = services.live_contract(access, pk)
    current = getattr(contract, "essential_data", None)
    if request.method == "POST":
        access.require_edit()
    initial = (
        {name: getattr(current, name) for name in services.ESSENTIAL_AUDITED} if current else {}
    )
    form = EssentialDataForm(request.POST or None, initial=initial, current=current)
    if request.method == "POST" and form.is_valid():
        services.save_essential(access, request.user, contract, form.to_input())
        messages.success(request, f"Données essentielles de « {contract} » enregistrées.")
        return redirect(reverse("opendata:portfolio", args=[org]) + f"#marche-{contract.pk}")
    context = page_context(
        f"Données essentielles du marché « {contract} »",
        *_crumbs(access),
        form=form,
        submit="Enregistrer",
        contract=contract,
        access=access,
        readonly=not access.can_edit,
        cancel=_crumbs(access)[-1][1],
    )
    return render(request, "opendata/form_page.html", context)


@login_required
@require_POST
def publish(request: AuthenticatedRequest, org: int) -> HttpResponse:
    access = buyer_access(request.user, org)
    access.require_publish()
    today = timezone.localdate()
    portfolio_url = reverse("opendata:portfolio", args=[org])
    if not access.organisation.siret:
        messages.error(
            request,
            "Le SIRET de votre organisation n'est pas renseigné : il identifie l'acheteur dans "
            "les données essentielles. Renseignez-le sur la page « Identité de l'organisation » "
            "(Mon compte).",
        )
        return redirect(portfolio_url)
    result, _ = services.publication(access, services.contracts_of(access), today)
    if not result.published:
        messages.error(request, "Aucun marché n'est complet : complétez ceux listés ci-dessous.")
        return redirect(portfolio_url)
    if not result.valid:
        messages.error(
            request,
            "Le fichier ne serait pas conforme au schéma officiel : "
            + result.schema_errors[0].message,
        )
        return redirect(portfolio_url)
    item = services.publish(access, request.user, result, today)
    return attachment(bytes(item.content), "application/json", item.filename)


@login_required
@require_POST
def publication_download(request: AuthenticatedRequest, org: int, pk: int) -> HttpResponse:
    access = buyer_access(request.user, org)
    access.require_own()
    item = Publication.objects.filter(organisation=access.organisation, pk=pk).first()
    if item is None:
        raise Http404("Publication introuvable.")
    if request.POST.get("forme") == "xml":
        # The XML form of the very file kept (the portal takes either syntax of the schema).
        content = to_xml(json.loads(bytes(item.content)))
        return attachment(content, "application/xml", item.filename.removesuffix(".json") + ".xml")
    return attachment(bytes(item.content), "application/json", item.filename)


@login_required
def audit(request: AuthenticatedRequest, org: int) -> HttpResponse:
    access = buyer_access(request.user, org)
    report, own, imported = portfolio_audit(access, timezone.localdate())
    context = page_context(
        f"Audit du portefeuille — {access.organisation.name}",
        *_crumbs(access),
        access=access,
        organisation=access.organisation,
        own=own,
        imported=imported,
        flags=presenters.flags(report),
        figure_tables=presenters.figure_tables(report),
        year_chart=presenters.year_chart(report),
        supplier_chart=presenters.supplier_chart(report),
        ambiguities=report.as_dict()["ambiguites"],
        contracts=report.contracts,
    )
    return render(request, "opendata/audit.html", context)


@login_required
@require_http_methods(GET_POST)
def import_upload(request: AuthenticatedRequest, org: int) -> HttpResponse:
    access = buyer_access(request.user, org)
    access.require_own()
    if request.method == "POST":
        access.require_edit()
    form = DecpUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        filename, upload = form.cleaned_data["file"]
        item = imports.create_import(access, request.user, filename, upload)
        start_import(item)
        return redirect("opendata:import_detail", org=org, pk=item.pk)
    context = page_context(
        f"Importer vos données essentielles publiées — {access.organisation.name}",
        *_crumbs(access),
        access=access,
        organisation=access.organisation,
        form=form,
        imports=imports.imports_of(access),
    )
    return render(request, "opendata/import.html", context)


@login_required
def import_detail(request: AuthenticatedRequest, org: int, pk: int) -> HttpResponse:
    access = buyer_access(request.user, org)
    access.require_own()
    item = DecpImport.objects.filter(organisation=access.organisation, pk=pk).first()
    if item is None:
        raise Http404("Import introuvable.")
    context = page_context(
        f"Import « {item.filename} »",
        *_crumbs(access),
        ("Importer", reverse("opendata:import", args=[org])),
        access=access,
        organisation=access.organisation,
        item=item,
        running=item.status in {ImportStatus.EN_ATTENTE, ImportStatus.EN_COURS},
    )
    return render(request, "opendata/import_detail.html", context)
