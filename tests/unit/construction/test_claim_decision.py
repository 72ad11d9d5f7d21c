"""The buyer's decision on the mémoire en réclamation is due thirty days after the mémoire is
received (CCAG-Travaux 2021, art. 55.1.2), not after the signed account is returned; without the
date of receipt, the return is taken for it and the output says so."""

from __future__ import annotations

from datetime import date

from openamo.construction.dgd import final_account_from_dict

BASE = {
    "consultation_date": "2026-01-15",
    "reception_notified_on": "2027-07-09",
    "final_draft_received_by_moe_on": "2027-08-02",
    "final_draft_received_by_buyer_on": "2027-08-03",
    "general_account_notified_on": "2027-08-30",
    "contractor_returned_on": "2027-09-20",
    "contractor_reserves": True,
}


def _decision_due(**extra: str) -> tuple[date | None, list[str]]:
    result = final_account_from_dict({**BASE, **extra})
    step = next(s for s in result.steps if s.key == "decision_reclamation")
    return step.due_on, result.ambiguities


def test_the_decision_runs_from_the_receipt_of_the_memoire() -> None:
    due, ambiguities = _decision_due(claim_received_on="2027-09-28")
    assert due == date(2027, 10, 28)
    assert not any("mémoire en réclamation non indiquée" in a for a in ambiguities)


def test_without_the_receipt_the_return_is_used_and_said() -> None:
    due, ambiguities = _decision_due()
    assert due == date(2027, 10, 20)
    assert any("mémoire en réclamation non indiquée" in a for a in ambiguities)
