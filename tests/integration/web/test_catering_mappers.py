"""The catering mappers: a stored purchase read as the domain's typed input, an imported line
stored as a purchase, the buyer's targets, and what a purchase's form edits."""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal

from openamo.catering import ImportedPurchase, PurchaseInput
from openamo.catering.enums import CateringBuyer, Family, Label, LocalDefinition, Origin, Territory
from openamo.web.catering.mappers import (
    columns,
    entry_of,
    purchase_from_domain,
    purchase_to_domain,
    ratios_input,
    targets_of,
)
from openamo.web.catering.models import CateringProfile, Purchase
from openamo.web.catering.requests import PurchaseEntry, Targets
from openamo.web.organisations.models import Organisation, OrganisationKind
from tests.integration.web.catering_factories import YEAR, add_purchase
from tests.integration.web.conftest import Cast


def test_a_stored_purchase_is_read_as_the_domains_purchase_input(cast: Cast) -> None:
    purchase = add_purchase(
        cast,
        day=datetime.date(YEAR, 3, 4),
        family="charcuterie",
        amount="250.40",
        labels=["label_rouge", "bio"],
        meat_or_fish=True,
    )
    assert purchase_to_domain(Purchase.objects.get(pk=purchase.pk)) == PurchaseInput(
        family=Family.CHARCUTERIE,
        amount_ht=Decimal("250.40"),
        labels=[Label.BIO, Label.LABEL_ROUGE],
        is_meat_or_fish=True,
        date=datetime.date(YEAR, 3, 4),
    )


def test_the_ratios_input_keeps_the_purchases_of_its_period_and_the_targets(cast: Cast) -> None:
    purchases = [
        purchase_to_domain(add_purchase(cast, day=datetime.date(YEAR, month, 10)))
        for month in (1, 2, 3)
    ]
    targets = Targets(CateringBuyer.ETAT, Territory.MAYOTTE)
    found = ratios_input(datetime.date(YEAR, 2, 1), datetime.date(YEAR, 2, 28), purchases, targets)
    assert found.purchases == [purchases[1]]
    assert (found.period.start, found.period.end) == (
        datetime.date(YEAR, 2, 1),
        datetime.date(YEAR, 2, 28),
    )
    assert (found.buyer, found.territory) == (CateringBuyer.ETAT, Territory.MAYOTTE)


def test_the_targets_are_the_profiles_else_the_buyers_kind_in_metropolitan_france(
    cast: Cast,
) -> None:
    state = Organisation.objects.create(
        name="Préfecture", kind=OrganisationKind.COLLECTIVITE, buyer="etat"
    )
    assert targets_of(state, None) == Targets(CateringBuyer.ETAT, Territory.METROPOLE)
    assert targets_of(cast.commune, None) == Targets(CateringBuyer.AUTRE, Territory.METROPOLE)
    profile = CateringProfile.objects.create(
        organisation=cast.commune, buyer="etat", territory="guyane"
    )
    assert targets_of(cast.commune, profile) == Targets(CateringBuyer.ETAT, Territory.GUYANE)


def test_an_imported_line_is_stored_with_every_column_and_cut_to_the_columns_sizes() -> None:
    item = ImportedPurchase(
        line=7,
        establishment="21870001200019",
        description="Yaourt " * 100,
        supplier="Laiterie",
        date=datetime.date(YEAR, 5, 6),
        amount_ht=Decimal("12.30"),
        family=Family.PRODUITS_LAITIERS,
        labels=(Label.BIO,),
        origin=Origin.FRANCE,
        short_circuit=True,
        local=True,
        local_definition=LocalDefinition.KM,
        local_km=40,
    )
    row = purchase_from_domain(item)
    assert (row.source_line, row.establishment, row.date) == (7, "21870001200019", item.date)
    assert (row.family, row.amount_ht, row.supplier) == (
        "produits_laitiers",
        item.amount_ht,
        "Laiterie",
    )
    assert len(row.description) == 500
    assert (row.origin, row.local_definition, row.local_km) == ("france", "km", 40)
    assert row.short_circuit and row.local
    blank = purchase_from_domain(
        ImportedPurchase(**{**item.__dict__, "origin": None, "local_definition": None})
    )
    assert (blank.origin, blank.local_definition) == ("", "")


def test_what_a_form_edits_is_read_from_the_purchase_and_set_back_unchanged(cast: Cast) -> None:
    purchase = add_purchase(cast, day=datetime.date(YEAR, 6, 1), labels=["igp"], meat_or_fish=False)
    entry = entry_of(purchase)
    assert entry == PurchaseEntry(
        date=datetime.date(YEAR, 6, 1),
        family="autres",
        description="Épicerie",
        amount_ht=Decimal("100.00"),
        labels=("igp",),
        is_meat_or_fish=False,
        supplier="Restauration du Val",
    )
    copy = Purchase(organisation=cast.commune, created_by=purchase.created_by, **columns(entry))
    copy.save()
    # The labels are rows of their own, which the services set.
    assert entry_of(copy) == replace(entry, labels=())
