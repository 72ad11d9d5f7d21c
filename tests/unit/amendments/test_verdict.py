"""The amendment check on situations that the YAML cases do not pin: exactness, dates, texts."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from openamo.amendments import (
    ContractInput,
    PreviousModification,
    amendment_history,
    check_amendment_from_dict,
)
from openamo.amendments.citations import normalise, obsolete_citations
from openamo.dates import add_months
from openamo.errors import OpenAMOError
from openamo.money import format_percent, format_share

BASE: dict[str, Any] = {
    "contract": {
        "nature": "services",
        "buyer": "collectivite",
        "procedure": "formalisee",
        "initial_amount_ht": "100000.00",
        # Estimated at launch above the EU threshold (221 000 € in 2025): the CAO attributed it.
        "estimated_value_ht": "230000.00",
        "notified_on": "2025-03-03",
    },
    "previous_modifications": [],
    "modification": {"date": "2026-11-23", "amount_ht": "1000.00", "kind": "faible_montant"},
}


def check(**modification: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data["modification"].update(modification)
    return check_amendment_from_dict(data).model_dump(mode="json")


def test_limits_are_compared_on_exact_amounts_not_on_rounded_percentages() -> None:
    just_above = check(amount_ht="10000.40")
    assert just_above["modification_percent"] == "10.00"
    assert just_above["verdict"] == "interdite"
    just_below = check(amount_ht="9999.60")
    assert just_below["modification_percent"] == "10.00"
    assert just_below["verdict"] == "autorisee"
    assert any("9\u202f999,60" in reason for reason in just_below["reasons"])


def test_cao_threshold_is_strict_on_the_exact_amount() -> None:
    assert check(amount_ht="5000.00")["cao_opinion_required"] is False
    assert check(amount_ht="5000.01")["cao_opinion_required"] is True


def test_a_unilateral_decision_is_never_submitted_to_the_cao() -> None:
    result = check(amount_ht="8000.00", form="decision_unilaterale")
    assert result["verdict"] == "autorisee"
    assert result["cao_opinion_required"] is False
    assert any("décisions unilatérales" in reason for reason in result["reasons"])


def test_every_reference_names_an_article() -> None:
    result = check(amount_ht="8000.00", cited_references=["loi 95-127"])
    for reference in result["references"]:
        assert any(mark in reference for mark in ("L", "R", "art.")), reference


def test_the_explanation_is_french_and_states_regime_and_threshold() -> None:
    explanation = check()["explanation"]
    assert "est autorisée au titre de l'article R2194-8" in explanation
    assert "216\u202f000,00\u00a0€ HT" in explanation
    assert "R2194-1 à R2194-10" in explanation


def test_a_contract_launched_before_april_2016_is_not_covered() -> None:
    data = copy.deepcopy(BASE)
    data["contract"]["notified_on"] = "2016-06-01"
    data["contract"]["consultation_launched_on"] = "2016-03-15"
    with pytest.raises(OpenAMOError) as raised:
        check_amendment_from_dict(data)
    assert raised.value.code == "regime_non_couvert"
    assert "lancé le 15/03/2016" in raised.value.message


def test_launch_after_notification_is_refused() -> None:
    data = copy.deepcopy(BASE)
    data["contract"]["consultation_launched_on"] = "2025-04-01"
    with pytest.raises(OpenAMOError, match="Entrée invalide"):
        check_amendment_from_dict(data)


def test_a_2017_modification_of_a_2016_contract_is_judged_with_the_2016_2017_threshold() -> None:
    data = copy.deepcopy(BASE)
    data["contract"]["notified_on"] = "2016-09-01"
    data["modification"]["date"] = "2017-05-02"
    assert check_amendment_from_dict(data).verdict in {"autorisee", "interdite"}


def test_a_modification_after_the_last_known_eu_thresholds_fails_clearly() -> None:
    data = copy.deepcopy(BASE)
    data["modification"]["date"] = "2028-03-01"
    with pytest.raises(OpenAMOError, match="Seuil européen inconnu"):
        check_amendment_from_dict(data)


def test_duplicated_substantial_conditions_are_read_once() -> None:
    result = check(
        kind="non_substantielle",
        amount_ht="0",
        substantial_conditions=["champ_application", "champ_application"],
    )
    assert sum("3° elle modifie" in r for r in result["new_procedure_reasons"]) == 1


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 23), 2, date(2027, 1, 23)),
        (date(2026, 12, 31), 2, date(2027, 2, 28)),
        (date(2027, 12, 31), 2, date(2028, 2, 29)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 3, 15), 12, date(2027, 3, 15)),
    ],
)
def test_month_deadlines_end_on_the_same_day_or_the_last_day_of_the_month(
    day: date, months: int, expected: date
) -> None:
    assert add_months(day, months) == expected


def test_citations_are_recognised_whatever_their_typography() -> None:
    assert normalise("Loi n° 95-127 du 8 février 1995") == "loi95-127du8fevrier1995"
    assert normalise("Code des Marchés Publics, art. 20").startswith("codedesmarchespublics")
    ids = {citation.id for citation in obsolete_citations()}
    assert {"loi_95_127_art_8", "decret_2016_360"} <= ids


def test_a_2016_decree_citation_is_current_for_a_contract_launched_in_2017() -> None:
    data = copy.deepcopy(BASE)
    data["contract"]["notified_on"] = "2017-06-01"
    data["modification"].update(
        date="2019-01-10", cited_references=["décret n° 2016-360, art. 139"]
    )
    assert check_amendment_from_dict(data).warnings == []
    data["contract"]["notified_on"] = "2019-06-01"
    data["modification"]["date"] = "2019-09-10"
    warnings = check_amendment_from_dict(data).warnings
    assert any("R2194-1 à R2194-10" in w for w in warnings)


def test_french_percentages() -> None:
    assert format_percent(Decimal("12.5")) == "12,50\u00a0%"
    assert format_percent(Decimal("-8")) == "-8,00\u00a0%"
    assert format_share(Decimal("0.15")) == "15\u00a0%"
    assert format_share(Decimal("0.125")) == "12,5\u00a0%"


def test_the_history_gives_the_chart_series_against_the_limits() -> None:
    contract = ContractInput.model_validate(BASE["contract"])
    modifications = [
        PreviousModification.model_validate({"amount_ht": a, "basis": b, "date": d})
        for a, b, d in (
            ("4000", "R2194-8", "2025-06-01"),
            ("-1000", "R2194-8", "2025-09-01"),
            ("30000", "R2194-5", "2026-02-01"),
        )
    ]
    history = amendment_history(contract, modifications, date(2026, 11, 23)).model_dump(mode="json")
    assert [p["cumulative_percent"] for p in history["points"]] == ["4.00", "3.00", "33.00"]
    # R2194-9 read with directive 2014/24/UE art. 72 §2: the −1 % offsets the +4 % (net 3 %).
    assert [p["faible_montant_cumulative_percent"] for p in history["points"]] == [
        "4.00",
        "3.00",
        "3.00",
    ]
    assert history["points"][-1]["new_amount_ht"] == "133000.00"
    assert (history["faible_montant_percent"], history["cao_percent"]) == ("10.00", "5.00")
    assert history["cap_percent"] == "50.00"
    assert any("R2194-9" in r for r in history["references"])
