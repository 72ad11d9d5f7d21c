"""Admissibility checklist of candidacies."""

from __future__ import annotations

from typing import Any

from openamo.award import CandidacyInput, CandidacyVerdict, check_candidacy


def candidacy(**changes: Any) -> CandidacyInput:
    base: dict[str, Any] = {
        "bidder": "Primeurs du Val",
        "application_form": True,
        "declaration_form": True,
        "sworn_statement": True,
    }
    return CandidacyInput.model_validate(base | changes)


def test_a_complete_candidacy_is_admissible() -> None:
    result = check_candidacy(candidacy(economic_capacity=True))
    assert result.verdict is CandidacyVerdict.RECEVABLE
    assert result.missing == []


def test_a_missing_form_can_be_completed_at_the_buyers_request() -> None:
    result = check_candidacy(candidacy(declaration_form=False))
    assert result.verdict is CandidacyVerdict.A_REGULARISER
    assert "DC2" in result.missing[0]
    assert "CCP R2144-2" in result.references


def test_a_completed_candidacy_becomes_admissible() -> None:
    result = check_candidacy(candidacy(technical_capacity=False, regularised=True))
    assert result.verdict is CandidacyVerdict.RECEVABLE
    assert "complétées" in result.reasons[0]


def test_an_exclusion_ground_makes_the_candidacy_irrecevable() -> None:
    result = check_candidacy(candidacy(exclusion_ground=True))
    assert result.verdict is CandidacyVerdict.IRRECEVABLE
    assert "CCP R2144-7" in result.references


def test_insufficient_capacities_make_the_candidacy_irrecevable() -> None:
    assert check_candidacy(candidacy(capacities_sufficient=False)).verdict is (
        CandidacyVerdict.IRRECEVABLE
    )


def test_a_capacity_not_asked_for_is_not_missing() -> None:
    assert check_candidacy(candidacy(economic_capacity=None)).missing == []
