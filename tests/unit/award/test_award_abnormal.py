"""Abnormally low offers: signals of practice methods, a suspicion that opens R2152-3."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from openamo import law
from openamo.award import abnormal
from openamo.award.abnormal import PricedOffer, detect

D = Decimal
DAY = law.at(date(2026, 11, 23))


def offers(*prices: int) -> list[PricedOffer]:
    return [PricedOffer(chr(65 + index), D(price)) for index, price in enumerate(prices)]


def test_an_offer_far_below_the_others_is_signalled_by_several_methods() -> None:
    found = detect(DAY, offers(100000, 105000, 98000, 60000), None)
    assert list(found) == ["D"]
    text = " ".join(found["D"])
    assert "moyenne des autres offres" in text
    assert "médiane des autres offres" in text
    assert "méthode dite FFB" in text
    assert "écart-type" in text


def test_a_gap_just_under_the_alert_threshold_is_not_signalled() -> None:
    # 80 001 is 19.999 % below 100 000: under the 20 % alert threshold of practice.
    assert detect(DAY, offers(100000, 80001), None) == {}
    assert list(detect(DAY, offers(100000, 80000), None)) == ["B"]


def test_the_estimate_alone_can_raise_a_suspicion() -> None:
    found = detect(DAY, offers(79000), D(100000))
    assert "estimation de l'acheteur" in found["A"][0]


def test_a_single_offer_without_estimate_cannot_be_compared() -> None:
    assert detect(DAY, offers(1), None) == {}


def test_the_standard_deviation_test_only_corroborates_another_signal() -> None:
    # 95 000 is below mean − σ of {95 000, 99 000, 104 000} but close to the others.
    assert detect(DAY, offers(95000, 99000, 104000), D(100000)) == {}


def test_the_2011_benchmark_needs_five_offers() -> None:
    four = detect(DAY, offers(40000, 100000, 100000, 100000), None)
    five = detect(DAY, offers(40000, 100000, 100000, 100000, 100000), None)
    assert not any("2011" in s for s in four["A"])
    assert any("2011" in s for s in five["A"])


def test_the_reason_says_it_is_a_suspicion_and_names_the_procedure() -> None:
    text = abnormal.reason(D(60000), ["écart"])
    assert "suspicion, pas d'un rejet" in text
    assert "R2152-3" in text and "R2152-4" in text


def test_thresholds_are_practice_settings_read_from_the_law_tree() -> None:
    parameter = law.parameter("award.offres_anormalement_basses.ecart_moyenne_autres_offres")
    assert "pratique" in parameter.values[0].reference.lower()
    assert abnormal.Settings.at(DAY).mean_gap == D("0.2")
