"""Price scoring methods: the lowest price always gets the best score (CE 29 octobre 2013)."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openamo.award import METHODS, PriceMethod, price_score

D = Decimal
ALL = list(PriceMethod)


@pytest.mark.parametrize("method", ALL)
def test_the_lowest_price_gets_the_full_score(method: PriceMethod) -> None:
    prices = [D(120000), D(100000), D(150000)]
    assert price_score(method, D(100000), prices) == 1


def test_the_proportional_method_divides_the_lowest_price_by_the_price() -> None:
    assert price_score(PriceMethod.PROPORTIONNELLE, D(125000), [D(100000), D(125000)]) == D("0.8")


def test_the_linear_method_gives_nothing_to_the_highest_price() -> None:
    prices = [D(80000), D(100000), D(120000)]
    assert price_score(PriceMethod.LINEAIRE, D(120000), prices) == 0
    assert price_score(PriceMethod.LINEAIRE, D(100000), prices) == D("0.5")


def test_the_linear_method_gives_the_full_score_to_identical_prices() -> None:
    assert price_score(PriceMethod.LINEAIRE, D(5), [D(5), D(5)]) == 1


def test_the_relative_gap_method_removes_the_gap_and_stops_at_zero() -> None:
    prices = [D(100000), D(110000), D(250000)]
    assert price_score(PriceMethod.ECART_RELATIF, D(110000), prices) == D("0.9")
    assert price_score(PriceMethod.ECART_RELATIF, D(250000), prices) == 0


def test_the_average_method_gives_half_the_score_at_the_mean() -> None:
    prices = [D(100), D(120), D(140)]
    assert price_score(PriceMethod.MOYENNE, D(120), prices) == D("0.5")
    assert price_score(PriceMethod.MOYENNE, D(140), prices) == 0


def test_a_price_outside_the_compared_prices_is_refused() -> None:
    with pytest.raises(ValueError, match="doit figurer"):
        price_score(PriceMethod.PROPORTIONNELLE, D(1), [D(2)])


def test_every_method_is_explained_with_its_formula() -> None:
    for method in ALL:
        info = METHODS[method]
        assert "Note" in info.formula
        assert len(info.explanation) > 80


prices_strategy = st.lists(
    st.decimals(min_value=D("0.01"), max_value=D("10000000"), places=2),
    min_size=1,
    max_size=12,
)


@given(prices=prices_strategy, method=st.sampled_from(ALL))
def test_scores_stay_between_zero_and_one_and_never_rise_with_the_price(
    prices: list[Decimal], method: PriceMethod
) -> None:
    ordered = sorted(prices)
    scores = [price_score(method, price, prices) for price in ordered]
    assert scores[0] == 1
    assert all(0 <= score <= 1 for score in scores)
    assert all(later <= earlier for earlier, later in pairwise(scores))
