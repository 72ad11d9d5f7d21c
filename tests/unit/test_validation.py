from __future__ import annotations

from decimal import Decimal

import pytest

from openamo.errors import OpenAMOError
from openamo.procurement import ProcedureInput
from openamo.validation import parse_input

BASE = {"date": "2026-11-23", "buyer": "collectivite", "nature": "services"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("120000.00", Decimal("120000.00")),
        ("120 000,50", Decimal("120000.50")),
        ("120\u202f000,50 €", Decimal("120000.50")),
        (120000, Decimal(120000)),
        (Decimal("0.1"), Decimal("0.1")),
    ],
)
def test_amounts_are_read_as_exact_decimals(raw: object, expected: Decimal) -> None:
    data = parse_input(ProcedureInput, {**BASE, "estimated_amount_ht": raw})
    assert data.estimated_amount_ht == expected


@pytest.mark.parametrize("raw", ["12a", "1.234,56", True, None, [], "NaN", "1e400"])
def test_malformed_amounts_are_refused_in_french(raw: object) -> None:
    with pytest.raises(OpenAMOError) as raised:
        parse_input(ProcedureInput, {**BASE, "estimated_amount_ht": raw})
    assert raised.value.details[0].location == "estimated_amount_ht"


def test_a_non_object_input_is_refused() -> None:
    with pytest.raises(OpenAMOError, match="objet JSON"):
        parse_input(ProcedureInput, ["not", "an", "object"])


def test_strict_booleans() -> None:
    with pytest.raises(OpenAMOError, match="booléen"):
        parse_input(
            ProcedureInput,
            {**BASE, "estimated_amount_ht": "1", "social_and_specific_services": "oui"},
        )
