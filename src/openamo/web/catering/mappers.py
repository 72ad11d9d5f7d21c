"""Explicit mapping between stored purchases and the catering domain's typed models (inputs,
imported lines, exports): ``to_domain`` reads a row as the domain does, ``from_domain`` builds
the row of what the domain validated."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from openamo.catering import ImportedPurchase, PurchaseInput, RatiosInput
from openamo.catering.enums import CateringBuyer, Family, Label, LocalDefinition, Origin, Territory
from openamo.catering.models import Period
from openamo.procurement.enums import Buyer
from openamo.validation import french_errors
from openamo.web.catering.models import CateringProfile, Purchase
from openamo.web.catering.requests import PurchaseEntry, Targets
from openamo.web.organisations.models import Organisation


def purchase_to_domain(purchase: Purchase) -> PurchaseInput:
    """One purchase as ``amo egalim ratios`` counts it (family, amount, labels, flag, date)."""
    with french_errors():
        return PurchaseInput(
            family=Family(purchase.family),
            amount_ht=purchase.amount_ht,
            labels=[Label(code) for code in purchase.label_codes],
            is_meat_or_fish=purchase.is_meat_or_fish,
            date=purchase.date,
        )


def ratios_input(
    start: datetime.date,
    end: datetime.date,
    purchases: Iterable[PurchaseInput],
    targets: Targets,
) -> RatiosInput:
    """The ``amo egalim ratios`` input of the purchases dated in [start, end], measured
    against the buyer's targets (:func:`targets_of`)."""
    with french_errors():
        return RatiosInput(
            period=Period(start=start, end=end),
            purchases=[p for p in purchases if p.date is not None and start <= p.date <= end],
            buyer=targets.buyer,
            territory=targets.territory,
        )


def targets_of(organisation: Organisation, profile: CateringProfile | None) -> Targets:
    """Who runs the restaurants and where, as the buyer's EGAlim profile says; without one,
    the State's restaurants for a State buyer, any other buyer's in metropolitan France."""
    if profile is not None:
        return profile_to_domain(profile)
    buyer = CateringBuyer.ETAT if organisation.buyer == Buyer.ETAT.value else CateringBuyer.AUTRE
    return Targets(buyer=buyer, territory=Territory.METROPOLE)


def profile_to_domain(profile: CateringProfile) -> Targets:
    return Targets(buyer=CateringBuyer(profile.buyer), territory=Territory(profile.territory))


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


def purchase_from_domain(item: ImportedPurchase) -> Purchase:
    """The (unsaved) :class:`Purchase` of one validated line of an imported file; the caller
    sets who owns it."""
    return Purchase(
        source_line=item.line,
        establishment=item.establishment,
        date=item.date,
        family=item.family.value,
        description=item.description[:500],
        supplier=item.supplier[:200],
        amount_ht=item.amount_ht,
        origin=item.origin.value if item.origin else "",
        short_circuit=item.short_circuit,
        local=item.local,
        local_definition=item.local_definition.value if item.local_definition else "",
        local_km=item.local_km,
    )


def entry_of(purchase: Purchase) -> PurchaseEntry:
    """What the purchase's form shows to be edited (the reverse of :func:`assign`)."""
    return PurchaseEntry(
        date=purchase.date,
        family=purchase.family,
        description=purchase.description,
        amount_ht=purchase.amount_ht,
        labels=tuple(purchase.label_codes),
        is_meat_or_fish=purchase.is_meat_or_fish,
        supplier=purchase.supplier,
        contract=purchase.contract,
        establishment=purchase.establishment,
        origin=purchase.origin,
        short_circuit=purchase.short_circuit,
        local=purchase.local,
        local_definition=purchase.local_definition,
        local_km=purchase.local_km,
    )


def columns(entry: PurchaseEntry) -> dict[str, object]:
    """The purchase's columns from what was typed (the labels are rows of their own)."""
    return {
        "date": entry.date,
        "family": entry.family,
        "description": entry.description,
        "amount_ht": entry.amount_ht,
        "is_meat_or_fish": entry.is_meat_or_fish,
        "supplier": entry.supplier,
        "contract": entry.contract,
        "establishment": entry.establishment,
        "origin": entry.origin,
        "short_circuit": entry.short_circuit,
        "local": entry.local,
        "local_definition": entry.local_definition,
        "local_km": entry.local_km,
    }
