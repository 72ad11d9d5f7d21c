from __future__ import annotations

from decimal import Decimal

import pytest

from openamo.errors import OpenAMOError
from openamo.pricing.advance import advance_from_dict, retention_from_dict
from openamo.pricing.enums import PenaltyClause
from openamo.pricing.framework import beyond_maximum, track_orders_from_dict
from openamo.pricing.penalties import ccag_clause, penalty_from_dict


def advance(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "consultation_date": "2026-03-01",
        "buyer": "collectivite",
        "initial_amount_ht": "100000",
        "initial_amount_ttc": "120000",
        "duration_months": 10,
    }
    return {**data, **changes}


def test_the_advance_is_due_above_50_000_euros_and_two_months() -> None:
    result = advance_from_dict(advance())
    assert result.mandatory is True
    assert result.minimum_amount_ttc == Decimal("6000.00")  # 5 % of 120 000 TTC


def test_no_advance_is_due_at_exactly_50_000_euros_or_two_months() -> None:
    assert advance_from_dict(advance(initial_amount_ht="50000")).mandatory is False
    assert advance_from_dict(advance(duration_months=2)).mandatory is False


def test_a_long_contract_computes_the_advance_on_twelve_months() -> None:
    result = advance_from_dict(advance(duration_months=36))
    assert result.base_ttc == Decimal("40000")  # 12 × 120 000 / 36
    assert result.minimum_amount_ttc == Decimal("2000.00")


@pytest.mark.parametrize(
    ("date", "buyer", "large", "rate"),
    [
        ("2022-06-01", "etat", False, "20"),
        ("2023-01-01", "etat", False, "30"),
        ("2019-06-01", "collectivite", True, "5"),
        ("2020-01-01", "collectivite", True, "10"),
        ("2026-03-01", "collectivite", False, "5"),
    ],
)
def test_sme_minimum_advance_rates_follow_the_dated_decrees(
    date: str, buyer: str, large: bool, rate: str
) -> None:
    result = advance_from_dict(
        advance(consultation_date=date, buyer=buyer, large_buyer=large, sme=True)
    )
    assert result.minimum_rate_percent == Decimal(rate)


def test_a_contractual_advance_below_the_minimum_is_flagged() -> None:
    result = advance_from_dict(advance(buyer="etat", sme=True, contractual_rate_percent="10"))
    assert result.contractual_amount_ttc == Decimal("12000.00")
    assert any("inférieur au minimum" in w for w in result.warnings)


def retention(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "consultation_date": "2026-03-01",
        "buyer": "collectivite",
        "initial_amount_ht": "200000",
        "rate_percent": "5",
    }
    return {**data, **changes}


def test_retention_of_five_percent_is_the_general_cap() -> None:
    result = retention_from_dict(retention(modifications_amount_ht="20000"))
    assert result.allowed is True
    assert result.cap_amount_ht == Decimal("11000.00")


def test_a_large_local_authority_may_only_retain_three_percent_from_an_sme_since_2025() -> None:
    before = retention_from_dict(
        retention(consultation_date="2024-12-31", large_buyer=True, sme=True)
    )
    after = retention_from_dict(retention(large_buyer=True, sme=True))
    assert before.allowed is True and before.cap_percent == Decimal(5)
    assert after.allowed is False and after.cap_percent == Decimal(3)
    assert after.retention_ht == Decimal("6000.00")


def test_a_small_commune_may_still_retain_five_percent_from_an_sme() -> None:
    assert retention_from_dict(retention(sme=True)).allowed is True


def test_framework_orders_are_tracked_against_the_maximum() -> None:
    result = track_orders_from_dict(
        {
            "minimum_ht": "20000",
            "maximum_ht": "100000",
            "orders": [
                {"reference": "BC-2", "date": "2026-03-10", "amount_ht": "30000"},
                {"reference": "BC-1", "date": "2026-01-10", "amount_ht": "55000"},
            ],
        }
    )
    assert result.ordered_ht == Decimal("85000.00")
    assert result.consumption_percent == "85.00"
    assert result.alert is True and result.maximum_exceeded is False
    assert [o.reference for o in result.orders] == ["BC-1", "BC-2"]
    assert result.remaining_to_minimum_ht == Decimal(0)


def test_the_order_that_exceeds_the_maximum_is_named() -> None:
    result = track_orders_from_dict(
        {
            "maximum_ht": "100000",
            "orders": [
                {"reference": "BC-1", "date": "2026-01-10", "amount_ht": "60000"},
                {"reference": "BC-2", "date": "2026-03-10", "amount_ht": "45000"},
            ],
        }
    )
    assert result.maximum_exceeded is True
    assert [o.exceeds_maximum for o in result.orders] == [False, True]
    assert "BC-2" in result.warnings[0]


def test_an_order_beyond_the_maximum_gives_the_total_it_reaches() -> None:
    amounts = [Decimal("60000.00"), Decimal("40000.00")]
    assert beyond_maximum(Decimal("100000"), amounts) is None
    assert beyond_maximum(Decimal("100000"), [*amounts, Decimal("0.01")]) == Decimal("100000.01")
    assert beyond_maximum(None, [Decimal("1e9")]) is None


def test_a_framework_ended_below_its_minimum_is_flagged() -> None:
    result = track_orders_from_dict(
        {
            "minimum_ht": "50000",
            "maximum_ht": "100000",
            "orders": [{"date": "2026-01-10", "amount_ht": "10000"}],
            "end_date": "2026-06-30",
            "as_of": "2026-07-01",
        }
    )
    assert result.remaining_to_minimum_ht == Decimal("40000.00")
    assert any("minimum" in w for w in result.warnings)


def test_a_minimum_above_the_maximum_is_refused() -> None:
    with pytest.raises(OpenAMOError, match="minimum"):
        track_orders_from_dict({"minimum_ht": "5", "maximum_ht": "4", "orders": []})


def penalty(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "clause": "ccag_travaux",
        "contract_amount_ht": "600000",
        "due_on": "2026-05-01",
        "delivered_on": "2026-05-16",
    }
    return {**data, **changes}


def test_the_ccag_a_consultation_names_gives_its_penalty_clause() -> None:
    assert ccag_clause("CCAG-FCS (arrêté du 30 mars 2021)") is PenaltyClause.CCAG_FCS
    assert ccag_clause("CCAG-Travaux") is PenaltyClause.CCAG_TRAVAUX
    assert ccag_clause("CCAG-MOE 2021") is PenaltyClause.CCAG_MOE
    assert ccag_clause("") is None
    assert ccag_clause("Cahier des clauses propres") is None


def test_works_penalty_is_one_three_thousandth_of_the_contract_per_day() -> None:
    result = penalty_from_dict(penalty())
    assert result.days_late == 15
    assert result.penalty_ht == Decimal("3000.00")  # 600 000 × 15 / 3000


def test_works_penalty_cites_article_19_2_3_and_its_base_before_tax() -> None:
    result = penalty_from_dict(penalty())
    assert any("art. 19.2.3" in ref and "hors taxes" in ref for ref in result.references)
    assert any("19.2.1" in ref for ref in result.references)  # the 1 000 € exemption
    assert any("19.2.2" in ref for ref in result.references)  # the 10 % cap


def test_ccag_penalties_of_1200_euros_the_day_after_the_exemption_are_due() -> None:
    result = penalty_from_dict(penalty(delivered_on="2026-05-07"))  # 6 days: 1 200 €
    assert result.exempted is False and result.penalty_ht == Decimal("1200.00")


def test_ccag_penalties_up_to_1000_euros_are_waived() -> None:
    result = penalty_from_dict(penalty(delivered_on="2026-05-06"))
    assert result.computed_ht == Decimal("1000.00")
    assert result.exempted is True and result.penalty_ht == Decimal(0)


def test_ccag_penalties_are_capped_at_ten_percent_of_the_contract() -> None:
    result = penalty_from_dict(penalty(delivered_on="2027-05-01"))  # 365 days: 73 000 €
    assert result.capped is True
    assert result.penalty_ht == Decimal("60000.00")


def test_fcs_penalty_uses_the_value_of_the_late_supplies() -> None:
    result = penalty_from_dict(
        penalty(clause="ccag_fcs", contract_amount_ht="200000", late_value_ht="80000")
    )
    assert result.penalty_ht == Decimal("1200.00")  # 80 000 × 15 / 1000


def test_a_contractual_daily_amount_without_ccag_defaults() -> None:
    result = penalty_from_dict(
        penalty(clause="forfait_journalier", daily_amount_ht="50", contract_amount_ht="10000")
    )
    assert result.penalty_ht == Decimal("750.00")
    assert result.exempted is False


def test_a_daily_amount_clause_without_its_amount_is_refused() -> None:
    with pytest.raises(OpenAMOError, match="daily_amount_ht"):
        penalty_from_dict(penalty(clause="forfait_journalier"))


def test_no_penalty_when_delivered_on_time() -> None:
    result = penalty_from_dict(penalty(delivered_on="2026-04-30"))
    assert result.days_late == 0 and result.penalty_ht == Decimal(0)


def test_the_1000_euro_exemption_and_the_cap_apply_to_the_contract_total() -> None:
    waived = penalty_from_dict(penalty(delivered_on="2026-05-03"))  # 400 €
    assert waived.exempted is True
    counted = penalty_from_dict(penalty(delivered_on="2026-05-03", previous_penalties_ht="800"))
    assert counted.exempted is False and counted.penalty_ht == Decimal("400.00")
    capped = penalty_from_dict(penalty(previous_penalties_ht="58000"))  # room left: 2 000 €
    assert capped.capped is True and capped.penalty_ht == Decimal("2000.00")
