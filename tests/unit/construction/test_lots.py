from __future__ import annotations

from openamo.construction.lots import review_allotment


def test_three_lots_each_with_a_contract_raise_nothing() -> None:
    review = review_allotment({"Gros œuvre": 1, "Clos couvert": 1, "Lots techniques": 1})
    assert review.warnings == []
    assert review.contracts == 3
    assert "L2113-10" in review.references[0]


def test_a_single_lot_asks_for_the_reason_of_l2113_11() -> None:
    review = review_allotment({"Tous corps d'état": 1})
    assert any("L2113-11" in warning for warning in review.warnings)
    assert any("L2113-11" in reference for reference in review.references)


def test_a_lot_without_contract_is_named() -> None:
    review = review_allotment({"Gros œuvre": 1, "Peinture": 0})
    assert review.unassigned_lots == ["Peinture"]
    assert any("« Peinture »" in warning for warning in review.warnings)
