"""What the law leaves to the buyer when choosing the maître d'œuvre."""

from __future__ import annotations

from openamo.construction import choose_moe_procedure_from_dict


def _choices(fee: str) -> list[str]:
    result = choose_moe_procedure_from_dict(
        {"date": "2026-11-23", "work_kind": "batiment_neuf", "estimated_fee_ht": fee}
    )
    return result.buyer_choices


def test_a_mandatory_contest_leaves_its_calendar_to_the_buyer() -> None:
    choices = _choices("310000")
    assert any(item.startswith("Le calendrier du concours") for item in choices)
    assert not any("bien qu'il ne soit pas obligatoire" in item for item in choices)


def test_below_the_threshold_the_contest_itself_is_the_buyer_s_choice() -> None:
    choices = _choices("150000")
    assert choices[0] == "Organiser un concours bien qu'il ne soit pas obligatoire"
    assert not any(item.startswith("Le calendrier du concours") for item in choices)
