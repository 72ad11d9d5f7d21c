"""What every contract page writes the same way: amounts, dates, numbers, prices, badges, links."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse

from openamo.money import format_euros
from openamo.web.contracts import models as m
from openamo.web.tables import Cell


def euros(amount: Decimal | None) -> str:
    return "—" if amount is None else format_euros(amount)


def day(value: datetime.date | None) -> str:
    return "—" if value is None else value.strftime("%d/%m/%Y")


def number(value: Decimal | str | None, places: int | None = None) -> str:
    """French display of a decimal: « 1,0423 ». A string is the domain's own rendering (its
    decimals are meaningful, « 2.20 »): only the separator changes. ``places`` fixes the
    decimals of a Decimal, else its shortest form."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value.replace(".", ",")
    text = f"{value:.{places}f}" if places is not None else f"{value.normalize():f}"
    return text.replace(".", ",")


def price(value: Decimal | None) -> str:
    """A unit price: its significant decimals, at least two (« 2,15 », « 3,8520 » → « 3,852 »)."""
    if value is None:
        return "—"
    places = max(2, -int(value.normalize().as_tuple().exponent))
    return number(value, places)


def badge(kind: str, label: str) -> Cell:
    return {"badge": {"type": kind, "label": label}}


def contract_url(contract: m.Contract, name: str = "detail", *args: int | str) -> str:
    return reverse(f"contracts:{name}", args=[contract.pk, *args])
