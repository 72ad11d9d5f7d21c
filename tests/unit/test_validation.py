from __future__ import annotations

from decimal import Decimal

import pytest

from openamo.amendments import ContractInput
from openamo.errors import OpenAMOError
from openamo.procurement import ProcedureInput
from openamo.validation import InputModel, Siret, french_errors, parse_input

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


def test_typed_models_built_within_a_part_are_located_as_in_the_whole_json() -> None:
    with pytest.raises(OpenAMOError) as refused, french_errors("contract"):
        ContractInput.model_validate(
            {
                "nature": "services",
                "buyer": "collectivite",
                "procedure": "mapa",
                "initial_amount_ht": "0",
                "notified_on": "2026-01-05",
            }
        )
    assert [d.location for d in refused.value.details] == ["contract.initial_amount_ht"]
    assert "strictement positif" in refused.value.details[0].message


def test_typed_models_built_at_the_root_keep_their_own_location() -> None:
    with pytest.raises(OpenAMOError) as refused, french_errors():
        ProcedureInput.model_validate({**BASE, "estimated_amount_ht": "12a"})
    assert [d.location for d in refused.value.details] == ["estimated_amount_ht"]


class _Holder(InputModel):
    siret: Siret | None = None


def test_a_siret_is_kept_without_its_spaces_and_a_wrong_key_is_refused_in_french() -> None:
    assert parse_input(_Holder, {"siret": "732 829 320 00074"}).siret == "73282932000074"
    assert parse_input(_Holder, {}).siret is None
    with pytest.raises(OpenAMOError, match="SIRET invalide « 73282932000075 »"):
        parse_input(_Holder, {"siret": "73282932000075"})


def test_a_siret_is_shown_as_on_a_kbis_and_never_wraps() -> None:
    from openamo.validation import siret_display

    assert siret_display("73282932000074") == "732\u00a0829\u00a0320\u00a000074"
    assert siret_display("") == "" and siret_display(None) == ""
    assert siret_display("FR123") == "FR123"  # not a French SIRET: as stored
