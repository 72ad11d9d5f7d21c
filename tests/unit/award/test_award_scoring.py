"""Scoring, ranking with ties, tie-break, several winners, hidden sub-criteria weights."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from openamo.award import score_offers_from_dict
from openamo.award.models import OfferInput, ScoreInput
from openamo.award.scoring import ScoredOffer, rank, winners
from openamo.errors import OpenAMOError

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def scored(bidder: str, total: str, points: str = "0") -> ScoredOffer:
    offer = OfferInput(bidder=bidder, price_ht=Decimal(1))
    result = ScoredOffer(offer=offer, price=Decimal(1), criteria=[], total=Decimal(total))
    result.points = lambda _name: Decimal(points)  # type: ignore[method-assign,assignment]
    return result


def test_equal_totals_share_a_rank_and_the_next_rank_is_skipped() -> None:
    ordered = rank([scored("A", "80"), scored("B", "90"), scored("C", "80")])
    assert [(o.offer.bidder, o.rank) for o in ordered] == [("B", 1), ("A", 2), ("C", 2)]
    ordered = rank([scored("A", "90"), scored("B", "90"), scored("C", "70")])
    assert [o.rank for o in ordered] == [1, 1, 3]


def test_totals_equal_once_rounded_to_the_hundredth_are_a_tie() -> None:
    ordered = rank([scored("A", "80.004"), scored("B", "80.001")])
    assert [o.rank for o in ordered] == [1, 1]


def test_the_tie_break_criterion_orders_equal_totals() -> None:
    ordered = rank([scored("A", "84", points="24"), scored("B", "84", points="36")], "Technique")
    assert [(o.offer.bidder, o.rank) for o in ordered] == [("B", 1), ("A", 2)]


def test_a_tie_at_the_last_winning_place_keeps_every_tied_offer() -> None:
    ordered = rank([scored("A", "90"), scored("B", "80"), scored("C", "80")])
    assert [o.offer.bidder for o in winners(ordered, 2)] == ["A", "B", "C"]


def base(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "date": "2025-06-01",
        "criteria": [
            {"name": "Prix", "weight": 60, "kind": "prix"},
            {"name": "Technique", "weight": 40, "kind": "technique"},
        ],
        "offers": [
            {"bidder": "A", "price_ht": "100", "scores": {"Technique": 10}},
            {"bidder": "B", "price_ht": "120", "scores": {"Technique": 20}},
        ],
    }
    return data | changes


def test_the_contract_output_has_the_documented_shape() -> None:
    output = score_offers_from_dict(base()).model_dump(mode="json")
    entry = output["ranking"][0]
    assert set(entry) == {"bidder", "rank", "total", "by_criterion"}
    assert entry["total"] == "90.00"
    assert entry["by_criterion"] == {"Prix": "50.00", "Technique": "40.00"}
    assert output["references"] and output["explanation"]


def test_by_criterion_points_add_up_to_the_total() -> None:
    result = score_offers_from_dict(json.loads((EXAMPLES / "offres_score.json").read_text()))
    for entry in result.ranking:
        assert abs(sum(entry.by_criterion.values()) - entry.total) <= Decimal("0.02")


def test_marks_without_justification_are_reported() -> None:
    result = score_offers_from_dict(base())
    assert any("sans justification" in warning for warning in result.warnings)


def test_the_price_mark_cannot_be_typed_in() -> None:
    data = base(offers=[{"bidder": "A", "price_ht": "1", "scores": {"Prix": 20, "Technique": 2}}])
    with pytest.raises(OpenAMOError) as raised:
        score_offers_from_dict(data)
    assert "calculée à partir du prix" in str(raised.value)


def test_an_unknown_criterion_in_the_marks_is_refused() -> None:
    data = base(offers=[{"bidder": "A", "price_ht": "1", "scores": {"Technique": 2, "Délai": 3}}])
    with pytest.raises(OpenAMOError, match="Notes invalides"):
        score_offers_from_dict(data)


def test_a_zero_price_is_refused() -> None:
    with pytest.raises(OpenAMOError):
        score_offers_from_dict(base(offers=[{"bidder": "A", "price_ht": "0"}]))


def test_the_same_bidder_twice_is_refused() -> None:
    offer = {"bidder": "A", "price_ht": "1", "scores": {"Technique": 2}}
    with pytest.raises(OpenAMOError, match="présent deux fois"):
        score_offers_from_dict(base(offers=[offer, offer]))


def test_offers_and_lots_cannot_be_mixed() -> None:
    with pytest.raises(OpenAMOError, match="exclusifs"):
        score_offers_from_dict(base(lots=[{"name": "Lot 1", "offers": []}]))


def test_an_unknown_tie_break_criterion_is_refused() -> None:
    with pytest.raises(OpenAMOError, match="départage"):
        score_offers_from_dict(base(tie_break="Couleur"))


def test_without_a_date_the_rules_of_today_apply_with_a_warning() -> None:
    data = base()
    del data["date"]
    result = score_offers_from_dict(data)
    assert any("Date de lancement" in warning for warning in result.warnings)


def test_hidden_sub_criteria_that_do_not_change_the_winner_only_warn() -> None:
    data = base(
        criteria=[
            {"name": "Prix", "weight": 60, "kind": "prix"},
            {
                "name": "Technique",
                "weight": 40,
                "kind": "technique",
                "sub_criteria": [
                    {"name": "Méthode", "weight": 30, "disclosed": False},
                    {"name": "Planning", "weight": 10, "disclosed": False},
                ],
            },
        ],
        offers=[
            {
                "bidder": "A",
                "price_ht": "100",
                "scores": {"Technique": {"Méthode": 20, "Planning": 20}},
            },
            {
                "bidder": "B",
                "price_ht": "100",
                "scores": {"Technique": {"Méthode": 5, "Planning": 5}},
            },
        ],
    )
    result = score_offers_from_dict(data)
    codes = [check.code for check in result.criteria_checks]
    assert "sous_criteres_non_publies" in codes
    assert "sous_criteres_non_publies_determinants" not in codes
    assert result.compliant


def test_each_lot_is_scored_with_its_own_criteria() -> None:
    data = base(
        offers=None,
        lots=[
            {
                "name": "Lot 1",
                "criteria": [{"name": "Prix", "weight": 100, "kind": "prix"}],
                "offers": [{"bidder": "A", "price_ht": "100"}, {"bidder": "B", "price_ht": "50"}],
            },
            {
                "name": "Lot 2",
                "offers": [{"bidder": "A", "price_ht": "10", "scores": {"Technique": 20}}],
            },
        ],
    )
    del data["offers"]
    result = score_offers_from_dict(data)
    assert result.ranking == []
    assert [lot.awarded for lot in result.lots] == [["B"], ["A"]]
    assert result.lots[1].ranking[0].total == Decimal(100)


def test_a_dumped_input_is_written_in_the_contract_form_and_parses_again() -> None:
    data = {
        "criteria": [
            {"name": "Prix", "weight": "60", "kind": "prix"},
            {"name": "Valeur", "weight": "40", "kind": "technique"},
        ],
        "offers": [
            {"bidder": "A", "price_ht": "100.00", "scores": {"Valeur": {"a": {"mark": "12"}}}},
            {"bidder": "B", "price_ht": "90.00", "scores": {"Valeur": "8"}},
        ],
    }
    parsed = ScoreInput.model_validate(data)
    dumped = parsed.model_dump(mode="json", exclude_none=True)
    assert dumped["offers"][0]["scores"] == {"Valeur": {"a": {"mark": "12"}}}
    assert dumped["offers"][1]["scores"] == {"Valeur": {"mark": "8"}}
    assert ScoreInput.model_validate(dumped) == parsed
