"""What every contract page does the same way: breadcrumbs and the form page."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from openamo.web.contracts.models import Contract
from openamo.web.pages import page_context

GET_POST = ["GET", "POST"]


def crumbs(contract: Contract | None = None, *more: tuple[str, str]) -> list[tuple[str, str]]:
    found = [("Marchés", reverse("contracts:list"))]
    if contract is not None:
        found.append((str(contract), reverse("contracts:detail", args=[contract.pk])))
    return [*found, *more]


def form_page(
    request: HttpRequest,
    title: str,
    trail: list[tuple[str, str]],
    form: forms.BaseForm,
    **extra: object,
) -> HttpResponse:
    context = page_context(title, *trail, form=form, submit=extra.pop("submit", "Enregistrer"))
    context.update(extra)
    return render(request, "contracts/form_page.html", context)
