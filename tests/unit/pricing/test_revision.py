from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openamo.errors import OpenAMOError
from openamo.pricing import revise_from_dict
from openamo.pricing.revision import check_weights


def test_weights_adding_up_to_one_pass_without_warning() -> None:
    assert check_weights(Decimal(0), [Decimal("0.6"), Decimal("0.4")]) == []


def test_a_fixed_part_is_lawful_but_flagged() -> None:
    warnings = check_weights(Decimal("0.125"), [Decimal("0.875")])
    assert len(warnings) == 1 and "12.5 %" in warnings[0]


@pytest.mark.parametrize("weights", [["0.5", "0.4"], ["0.7", "0.4"]])
def test_weights_far_from_one_are_refused(weights: list[str]) -> None:
    with pytest.raises(OpenAMOError, match="incohérente"):
        check_weights(Decimal(0), [Decimal(w) for w in weights])


def test_the_text_output_states_the_formula_with_french_decimals() -> None:
    result = revise_from_dict(
        {
            "base_price_ht": "1000",
            "terms": [{"weight": "1", "index_base": "100", "index_current": "102.5"}],
        }
    )
    assert "1 × 102,5/100" in result.explanation
    assert result.revised_price_ht == "1025.00"


def test_a_term_needs_values_or_a_series() -> None:
    with pytest.raises(OpenAMOError) as raised:
        revise_from_dict({"base_price_ht": "1000", "terms": [{"weight": "1", "index_base": "100"}]})
    assert "valeur actuelle de son indice" in str(raised.value)


def test_a_zero_weight_is_refused() -> None:
    with pytest.raises(OpenAMOError, match="strictement positif"):
        revise_from_dict(
            {
                "base_price_ht": "1000",
                "terms": [{"weight": "0", "index_base": "1", "index_current": "1"}],
            }
        )


index = st.decimals(min_value=Decimal("1"), max_value=Decimal("1000"), places=1)
fixed_part = st.decimals(min_value=Decimal(0), max_value=Decimal("0.5"), places=2)


@given(base=index, current=index, fixed=fixed_part)
def test_unchanged_indices_keep_the_price_and_the_price_moves_with_the_index(
    base: Decimal, current: Decimal, fixed: Decimal
) -> None:
    data = {
        "base_price_ht": "1000.00",
        "fixed_part": str(fixed),
        "terms": [
            {"weight": str(1 - fixed), "index_base": str(base), "index_current": str(current)}
        ],
    }
    result = revise_from_dict(data)
    price = Decimal(result.revised_price_ht)
    if current == base:
        assert price == Decimal("1000.00")
    elif current > base:
        assert price >= Decimal("1000.00")
    else:
        assert price <= Decimal("1000.00")
    # The fixed part dampens the variation: never more than the index ratio itself.
    assert abs(price - 1000) <= abs(1000 * current / base - 1000) + Decimal("0.01")


@given(current=index)
def test_rounding_up_never_gives_less_than_rounding_down(current: Decimal) -> None:
    def price(mode: str) -> Decimal:
        data = {
            "base_price_ht": "5000",
            "terms": [{"weight": "1", "index_base": "100", "index_current": str(current)}],
            "coefficient_decimals": 3,
            "coefficient_rounding": mode,
        }
        return Decimal(revise_from_dict(data).revised_price_ht)

    assert price("inferieur") <= price("au_plus_proche") <= price("superieur")


def test_an_absurd_index_ratio_is_an_error_not_a_crash() -> None:
    with pytest.raises(OpenAMOError, match="hors limites"):
        revise_from_dict(
            {
                "base_price_ht": "900000000000000",
                "terms": [{"weight": "1", "index_base": "0.0000001", "index_current": "999999999"}],
            }
        )
