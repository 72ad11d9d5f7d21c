"""Explicit mapping between stored purchases and the catering domain (inputs and exports)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from openamo.catering import ImportedPurchase
from openamo.catering.enums import CateringBuyer, Family, Label, LocalDefinition, Origin, Territory
from openamo.money import format_amount
from openamo.procurement.enums import Buyer
from openamo.web.catering.models import CateringProfile, Purchase
from openamo.web.organisations.models import Organisation


def purchase_input(purchase: Purchase) -> dict[str, Any]:
    """One ``amo egalim ratios`` purchase (JSON contract form)."""
    data: dict[str, Any] = {
        "family": purchase.family,
        "amount_ht": format_amount(purchase.amount_ht),
        "labels": purchase.label_codes,
        "date": purchase.date.isoformat(),
    }
    if purchase.is_meat_or_fish is not None:
        data["is_meat_or_fish"] = purchase.is_meat_or_fish
    return data


def ratios_input(
    start: datetime.date,
    end: datetime.date,
    purchases: Iterable[dict[str, Any]],
    targets: dict[str, str],
) -> dict[str, Any]:
    """The ``amo egalim ratios`` input of the purchases (:func:`purchase_input`) dated in
    [start, end] (ISO dates compare as text), measured against the buyer's targets
    (:func:`targets_input`)."""
    first, last = start.isoformat(), end.isoformat()
    return {
        "period": {"start": first, "end": last},
        "purchases": [p for p in purchases if first <= p["date"] <= last],
        **targets,
    }


def targets_input(organisation: Organisation, profile: CateringProfile | None) -> dict[str, str]:
    """The ``buyer`` and ``territory`` of the domain's inputs (ratios, import, forecast): who
    runs the restaurants and where, as the buyer's EGAlim profile says; without one, the State's
    restaurants for a State buyer, any other buyer's in metropolitan France."""
    if profile is not None:
        return {"buyer": profile.buyer, "territory": profile.territory}
    buyer = CateringBuyer.ETAT if organisation.buyer == Buyer.ETAT.value else CateringBuyer.AUTRE
    return {"buyer": buyer.value, "territory": Territory.METROPOLE.value}


def exported(purchase: Purchase, line: int, default_establishment: str) -> ImportedPurchase:
    """A stored purchase as the domain's export expects it (which guards every cell against
    spreadsheet formula injection, as the command line's export does)."""
    return ImportedPurchase(
        line=line,
        establishment=purchase.establishment or default_establishment,
        description=purchase.description,
        supplier=purchase.supplier,
        date=purchase.date,
        amount_ht=purchase.amount_ht,
        family=Family(purchase.family),
        labels=tuple(Label(code) for code in purchase.label_codes),
        origin=Origin(purchase.origin) if purchase.origin else None,
        short_circuit=purchase.short_circuit,
        local=purchase.local,
        local_definition=(
            LocalDefinition(purchase.local_definition) if purchase.local_definition else None
        ),
        local_km=purchase.local_km,
    )


def stored_fields(item: ImportedPurchase) -> dict[str, Any]:
    """The columns of a :class:`Purchase` for one validated line of an imported file."""
    return {
        "source_line": item.line,
        "establishment": item.establishment,
        "date": item.date,
        "family": item.family.value,
        "description": item.description[:500],
        "supplier": item.supplier[:200],
        "amount_ht": item.amount_ht,
        "origin": item.origin.value if item.origin else "",
        "short_circuit": item.short_circuit,
        "local": item.local,
        "local_definition": item.local_definition.value if item.local_definition else "",
        "local_km": item.local_km,
    }
