"""R2183-1: the award notice of a signed contract, due 30 days after its signature, only at or
above the EU threshold of the contract's launch."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openamo import law
from openamo.award import award_notice_deadline
from openamo.errors import OpenAMOError
from openamo.procurement.enums import Buyer, Nature

SIGNED = dt.date(2026, 3, 10)
LAUNCHED = dt.date(2025, 11, 3)
THRESHOLD = law.at(LAUNCHED).value(
    "procurement.thresholds.eu_fournitures_services_autres_pouvoirs_adjudicateurs"
)


def due(value: Decimal, launched: dt.date = LAUNCHED) -> tuple[dt.date, str] | None:
    return award_notice_deadline(
        signed_on=SIGNED,
        launched_on=launched,
        buyer=Buyer.COLLECTIVITE,
        nature=Nature.SERVICES,
        estimated_value_ht=value,
    )


def test_at_the_threshold_the_notice_is_due_thirty_days_after_the_signature() -> None:
    assert isinstance(THRESHOLD, Decimal)
    found = due(THRESHOLD)
    assert found is not None
    assert found[0] == dt.date(2026, 4, 9)
    assert "R2183-1" in found[1]


def test_one_cent_below_the_threshold_no_notice_is_due() -> None:
    assert isinstance(THRESHOLD, Decimal)
    assert due(THRESHOLD - Decimal("0.01")) is None


def test_the_threshold_is_the_one_of_the_launch_not_of_the_signature() -> None:
    # 220 000 € HT: below the 2024-2025 threshold (221 000 €), above that of 2026 (216 000 €).
    assert due(Decimal("220000.00"), launched=dt.date(2025, 12, 31)) is None
    assert due(Decimal("220000.00"), launched=dt.date(2026, 1, 1)) is not None


def test_a_launch_the_law_data_does_not_cover_is_a_french_error() -> None:
    with pytest.raises(OpenAMOError, match="Seuil européen inconnu"):
        due(Decimal("1"), launched=dt.date(1990, 1, 1))
