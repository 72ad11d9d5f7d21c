"""What every passation page shares: breadcrumbs, downloads, the domain's errors on forms."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import reverse

from openamo.errors import OpenAMOError
from openamo.web.award.access import Scope
from openamo.web.award.forms.errors import Routes, attach_error
from openamo.web.operations.access import OperationAccess

GET_POST = ["GET", "POST"]
SAFE = ["GET", "HEAD"]


def not_a_read(request: HttpRequest) -> HttpResponse | None:
    """A 405 for a POST to a read-only page, once the access check has answered 404 or not."""
    return None if request.method in SAFE else HttpResponseNotAllowed(SAFE)


_LOCATION = re.compile(r"^(?P<list>\w+)\[(?P<index>\d+)\](?:\.(?P<field>\w+))?")


def crumbs(access: OperationAccess, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    operation = access.operation
    return [
        ("Opérations", reverse("operations:list")),
        (operation.title, reverse("operations:detail", args=[operation.pk])),
        ("Passation", reverse("award:index", args=[operation.pk])),
        *extra,
    ]


def lot_crumbs(scope: Scope) -> list[tuple[str, str]]:
    args = [scope.access.operation.pk, scope.key]
    return crumbs(scope.access, (f"Offres — {scope.label}", reverse("award:offers", args=args)))


def attach(form: forms.BaseForm, exc: OpenAMOError, routes: Routes = ()) -> None:
    """The domain's messages next to the fields named by their location, else routed."""
    if not exc.details:
        attach_error(form, exc.message, routes)
        return
    for detail in exc.details:
        field = detail.location.split(".")[-1].split("[")[0]
        if field in form.fields:
            form.add_error(field, detail.message)
        else:
            attach_error(form, detail.message, routes)


def attach_to_rows(
    rows: Sequence[forms.BaseForm], exc: OpenAMOError, list_name: str, routes: Routes
) -> list[str]:
    """Errors located ``<list_name>[i].field`` go to row ``i``; set-level errors to every row.

    Returns the messages that concern no row (shown above the form).
    """
    left: list[str] = []
    for detail in exc.details or []:
        match = _LOCATION.match(detail.location)
        if match and match["list"] == list_name and int(match["index"]) < len(rows):
            row = rows[int(match["index"])]
            field = match["field"]
            if field and field in row.fields:
                row.add_error(field, detail.message)
            else:
                attach_error(row, detail.message, routes)
        elif detail.location == list_name and rows:
            for row in rows:
                attach_error(row, detail.message, routes)
        else:
            left.append(detail.message)
    if not exc.details:
        left.append(exc.message)
    return left
