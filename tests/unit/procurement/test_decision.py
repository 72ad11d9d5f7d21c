from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from openamo.procurement import ProcedureInput, ProcedureKind, choose_procedure, decide
from openamo.procurement.value import renewal_factor
from openamo.validation import parse_input


def need(**overrides: Any) -> ProcedureInput:
    data = {
        "date": "2026-11-23",
        "buyer": "collectivite",
        "nature": "services",
        "estimated_amount_ht": "100000",
    }
    return parse_input(ProcedureInput, {**data, **overrides})


def test_renewals_are_valued_pro_rata_of_the_firm_period() -> None:
    assert renewal_factor(need(duration_months=12, renewals=3)) == 4
    assert renewal_factor(need(duration_months=24, renewals=2, renewal_duration_months=12)) == 2


def test_a_need_just_below_the_dispense_threshold_with_renewals_is_not_a_dispense() -> None:
    decision = decide(need(estimated_amount_ht="50000", duration_months=12, renewals=1))
    assert decision.value.total == Decimal("100000.00")
    assert decision.kind is ProcedureKind.MAPA


def test_the_justified_result_repeats_the_decision() -> None:
    data = need(estimated_amount_ht="300000", lots=[{"name": "A", "estimated_amount_ht": "300000"}])
    decision, result = decide(data), choose_procedure(data)
    assert result.procedure is decision.kind
    assert result.publicity is decision.publicity
    assert result.min_response_days == decision.deadlines.minimum


@settings(max_examples=200, deadline=None)
@given(
    amount=st.decimals(min_value=0, max_value=10_000_000, places=2),
    day=st.dates(min_value=date(2019, 4, 1), max_value=date(2027, 12, 31)),
    nature=st.sampled_from(["fournitures", "services", "travaux"]),
    buyer=st.sampled_from(["collectivite", "etat", "entite_adjudicatrice"]),
)
def test_a_higher_value_never_gets_a_lighter_procedure(
    amount: Decimal, day: date, nature: str, buyer: str
) -> None:
    order = [ProcedureKind.DISPENSE, ProcedureKind.MAPA, ProcedureKind.FORMALISEE]
    low = decide(
        need(date=day.isoformat(), nature=nature, buyer=buyer, estimated_amount_ht=str(amount))
    )
    high = decide(
        need(
            date=day.isoformat(),
            nature=nature,
            buyer=buyer,
            estimated_amount_ht=str(amount * 2 + 1),
        )
    )
    assert order.index(high.kind) >= order.index(low.kind)


@settings(max_examples=100, deadline=None)
@given(
    amounts=st.lists(
        st.decimals(min_value=1, max_value=2_000_000, places=2), min_size=1, max_size=8
    )
)
def test_exempted_lots_never_exceed_twenty_percent_of_all_lots(amounts: list[Decimal]) -> None:
    lots = [{"name": f"Lot {i}", "estimated_amount_ht": str(a)} for i, a in enumerate(amounts)]
    decision = decide(need(estimated_amount_ht=str(sum(amounts)), lots=lots))
    exempt = sum(
        (
            amount
            for (_, amount), (_, petit) in zip(decision.value.lots, decision.lots, strict=True)
            if petit
        ),
        Decimal(0),
    )
    assert exempt <= decision.value.total * Decimal("0.20")
