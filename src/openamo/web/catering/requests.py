"""What the buyer asks the catering pages to record, typed: the forms produce these
(``form.to_input()``), the services take them, and the mappers turn the stored rows into the
domain's input models."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from openamo.catering.enums import CateringBuyer, Territory
from openamo.web.contracts.models import Contract


@dataclass(frozen=True)
class PurchaseEntry:
    """One purchase as typed on its form (a blank text stays blank, ``None`` is never stored
    for text): the columns of a :class:`~openamo.web.catering.models.Purchase` and its
    labels."""

    date: datetime.date
    family: str
    description: str
    amount_ht: Decimal
    labels: tuple[str, ...] = ()
    is_meat_or_fish: bool | None = None
    supplier: str = ""
    contract: Contract | None = None
    establishment: str = ""
    origin: str = ""
    short_circuit: bool = False
    local: bool = False
    local_definition: str = ""
    local_km: int | None = None


@dataclass(frozen=True)
class Targets:
    """Whose EGAlim targets a buyer's purchases are measured against: who runs its
    restaurants and where (the ``buyer`` and ``territory`` of the domain's inputs)."""

    buyer: CateringBuyer = field(default=CateringBuyer.AUTRE)
    territory: Territory = field(default=Territory.METROPOLE)
