"""Purchases of Saint-Exemple's school catering for the catering tests (the ``cast`` of
``conftest.py`` is the buyer, its AMO firm and the outsiders)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openamo.web.catering import services
from openamo.web.catering.access import BuyerAccess, buyer_access
from openamo.web.catering.models import Purchase
from openamo.web.catering.requests import PurchaseEntry
from openamo.web.users import AuthenticatedUser
from tests.integration.web.conftest import Cast, fresh

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "egalim"
YEAR = 2025

# (month, day, family, product, amount, labels, meat or fish override)
LINES: list[tuple[int, int, str, str, str, list[str], bool | None]] = [
    (1, 8, "viandes_volailles", "Sauté de veau Label Rouge", "1800.00", ["label_rouge"], None),
    (1, 9, "viandes_volailles", "Rôti de porc", "1200.00", [], None),
    (1, 14, "fruits_et_legumes", "Carottes bio", "900.00", ["bio"], None),
    (1, 20, "produits_laitiers", "Yaourts bio", "600.00", ["bio", "fermier"], None),
    (1, 22, "autres", "Pâtes", "3500.00", [], None),
    (2, 5, "produits_de_la_mer", "Lieu noir écolabel", "1000.00", ["peche_durable"], None),
    (2, 11, "charcuterie", "Jambon Label Rouge", "400.00", ["label_rouge"], None),
    (2, 18, "fruits_et_legumes", "Pommes HVE", "700.00", ["hve"], None),
    (3, 3, "produits_laitiers", "Comté AOP", "500.00", ["aocaop", "bio"], None),
    (3, 10, "viandes_volailles", "Poulet standard", "1400.00", [], None),
    (3, 12, "autres", "Œufs liquides", "300.00", [], True),
]


def access_of(user: AuthenticatedUser, cast: Cast) -> BuyerAccess:
    return buyer_access(fresh(user), cast.commune.pk)


def add_purchase(
    cast: Cast,
    *,
    day: datetime.date,
    family: str = "autres",
    description: str = "Épicerie",
    amount: str = "100.00",
    labels: list[str] | None = None,
    meat_or_fish: bool | None = None,
    user: AuthenticatedUser | None = None,
) -> Purchase:
    user = fresh(user or cast.mo)
    return services.create_purchase(
        buyer_access(user, cast.commune.pk),
        user,
        PurchaseEntry(
            date=day,
            family=family,
            description=description,
            supplier="Restauration du Val",
            amount_ht=Decimal(amount),
            labels=tuple(labels or ()),
            is_meat_or_fish=meat_or_fish,
        ),
    )


def add_quarter(cast: Cast, year: int = YEAR) -> list[Purchase]:
    """Eleven purchases from January to March (12 300 € HT): none of the three targets reached."""
    return [
        add_purchase(
            cast,
            day=datetime.date(year, month, day),
            family=family,
            description=product,
            amount=amount,
            labels=labels,
            meat_or_fish=fish,
        )
        for month, day, family, product, amount, labels, fish in LINES
    ]


def quarter_ratios_input(year: int = YEAR) -> dict[str, Any]:
    """The same purchases written directly as the ``amo egalim ratios`` input."""
    purchases = []
    for month, day, family, _, amount, labels, fish in LINES:
        item: dict[str, Any] = {
            "family": family,
            "amount_ht": amount,
            "labels": labels,
            "date": datetime.date(year, month, day).isoformat(),
        }
        if fish is not None:
            item["is_meat_or_fish"] = fish
        purchases.append(item)
    return {"period": {"start": f"{year}-01-01", "end": f"{year}-12-31"}, "purchases": purchases}


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()
