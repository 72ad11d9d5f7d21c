from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openamo import law
from openamo.pricing import late_payment_from_dict
from openamo.pricing.enums import PaymentBuyer
from openamo.pricing.payment import semester_start


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 1), date(2026, 1, 1)),
        (date(2026, 6, 30), date(2026, 1, 1)),
        (date(2026, 7, 1), date(2026, 7, 1)),
        (date(2026, 12, 31), date(2026, 7, 1)),
    ],
)
def test_semester_start(day: date, expected: date) -> None:
    assert semester_start(day) == expected


@pytest.mark.parametrize(
    ("buyer", "days"),
    [
        (PaymentBuyer.ETAT, 30),
        (PaymentBuyer.COLLECTIVITE, 30),
        (PaymentBuyer.ETABLISSEMENT_PUBLIC, 30),
        (PaymentBuyer.ETABLISSEMENT_PUBLIC_SANTE, 50),
        (PaymentBuyer.SERVICE_SANTE_ARMEES, 50),
        (PaymentBuyer.ENTREPRISE_PUBLIQUE, 60),
    ],
)
def test_every_buyer_type_has_its_legal_period_in_the_law_data(
    buyer: PaymentBuyer, days: int
) -> None:
    assert law.at(date(2026, 11, 23)).value(buyer.deadline_parameter) == days


def test_the_ecb_table_holds_one_known_rate_per_half_year_from_2013_to_mid_2026() -> None:
    table = law.parameter("payment.late_interest.taux_bce_refinancement")
    for year in range(2013, 2027):
        for month in (1, 7):
            day = date(year, month, 1)
            if day > date(2026, 1, 1):
                continue
            rate = Decimal(str(table.at(day).value))
            assert Decimal(0) <= rate < Decimal("0.05"), day
    assert table.values[-1].until == date(2026, 6, 30)


def test_interest_grows_linearly_with_the_days_of_delay() -> None:
    def interest(paid_on: str) -> Decimal:
        result = late_payment_from_dict(
            {
                "buyer": "collectivite",
                "invoice_received_on": "2025-01-02",
                "paid_on": paid_on,
                "amount_ttc": "36500",
            }
        )
        return Decimal(str(result.interest))

    # 36 500 € × 11,15 % / 365 = 11,15 € per day.
    assert interest("2025-02-02") == Decimal("11.15")
    assert interest("2025-02-11") == Decimal("111.50")


def test_the_indemnity_is_due_once_whatever_the_delay() -> None:
    for paid_on in ("2025-02-02", "2025-06-30"):
        result = late_payment_from_dict(
            {
                "buyer": "etat",
                "invoice_received_on": "2025-01-02",
                "paid_on": paid_on,
                "amount_ttc": "100",
            }
        )
        assert result.indemnity == Decimal("40.00")


def test_the_explanation_shows_the_computation_in_french() -> None:
    result = late_payment_from_dict(
        {
            "buyer": "collectivite",
            "invoice_received_on": "2024-05-21",
            "paid_on": "2024-07-20",
            "amount_ttc": "12000",
        }
    )
    assert "12,50 %" in result.explanation
    assert "× 30 / 365" in result.explanation
    assert "D2192-35" in result.explanation


def test_invoice_totals_count_paid_invoices_and_what_late_ones_owe() -> None:
    from openamo.pricing.payment import invoice_totals

    late = late_payment_from_dict(
        {
            "buyer": "collectivite",
            "amount_ttc": "1200.00",
            "invoice_received_on": "2026-01-05",
            "paid_on": "2026-03-06",
            "ecb_rate_percent": "2.15",
        }
    )
    assert late.late
    totals = invoice_totals([(Decimal("1200.00"), True, late), (Decimal("300.005"), False, None)])
    assert totals.invoiced_ttc == Decimal("1500.01")
    assert totals.paid_ttc == Decimal("1200.00")
    assert totals.late_payment_due == late.total_due
