"""The award notice of services sociaux (R2183-1 3°, R2183-4): published in the JOUE only, its
quarterly grouping a faculty of the code (no longer an ambiguity), counted from the quarter's
end."""

from __future__ import annotations

import datetime as dt

from openamo.award.calendar import AwardCalendarResult, award_calendar_from_dict

BASE = {
    "decision_on": "2026-11-23",
    "buyer": "collectivite",
    "nature": "services",
    "procedure": "mapa",
    "consultation_launched_on": "2026-09-01",
    "estimated_value_ht": "900000.00",
    "social_and_specific_services": True,
    "signature_on": "2026-12-10",
}


def _notice(result: AwardCalendarResult) -> str:
    (step,) = [s for s in result.steps if s.key == "avis_attribution"]
    return step.label + " " + step.explanation


def test_the_quarterly_grouping_of_social_services_is_said_as_a_faculty_not_an_ambiguity() -> None:
    result = award_calendar_from_dict(BASE)
    assert not any("trimestre" in a for a in result.ambiguities)
    assert "JOUE seul" in _notice(result) and "R2183-4" in _notice(result)
    assert "BOAMP" not in _notice(result)


def test_grouped_notices_are_due_thirty_days_after_the_quarter() -> None:
    result = award_calendar_from_dict({**BASE, "award_notices_grouped_quarterly": True})
    assert result.award_notice_deadline_on == dt.date(2027, 1, 30)
    assert "fin du trimestre de la signature (31/12/2026)" in _notice(result)


def test_a_collectivite_publishes_its_ordinary_notice_in_the_boamp_and_the_joue() -> None:
    data = {**BASE, "social_and_specific_services": False, "procedure": "formalisee"}
    assert "JOUE et BOAMP" in _notice(award_calendar_from_dict(data))
