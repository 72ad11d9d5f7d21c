"""What every steering page does the same way: access, breadcrumbs, rendering, redirects."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from openamo.web.operations.access import OperationAccess, operation_access
from openamo.web.operations.kinds import Module
from openamo.web.pages import page_context
from openamo.web.users import AuthenticatedRequest

GET_POST = ["GET", "POST"]
SECTION = "Pilotage du projet informatique"


def crumbs_of(access: OperationAccess, *, section: bool = True) -> list[tuple[str, str]]:
    op = access.operation
    crumbs = [
        ("Opérations", reverse("operations:list")),
        (op.title, reverse("operations:detail", args=[op.pk])),
    ]
    if section:
        crumbs.append((SECTION, reverse("steering:dashboard", args=[op.pk])))
    return crumbs


def page(
    request: HttpRequest,
    template: str,
    title: str,
    access: OperationAccess,
    current: str,
    **extra: object,
) -> HttpResponse:
    context = page_context(
        title,
        *crumbs_of(access, section=current != "dashboard"),
        access=access,
        operation=access.operation,
        current=current,
        **extra,
    )
    return render(request, f"steering/{template}", context)


def steering_access(request: AuthenticatedRequest, pk: int) -> OperationAccess:
    """The operation, if the user sees it and it is an IT project (the only kind steered)."""
    access = operation_access(request.user, pk)
    access.require_module(Module.PILOTAGE)
    return access


def redirect_to(name: str, access: OperationAccess, *args: int | str) -> HttpResponse:
    return redirect(reverse(f"steering:{name}", args=[access.operation.pk, *args]))
