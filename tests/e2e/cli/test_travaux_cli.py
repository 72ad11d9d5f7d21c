"""``amo travaux …`` through the real entry point, as users' scripts call it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.e2e.cli._amo import ROOT, amo
from tests.fuzz import FUZZ, JSON_VALUES, assert_answers_or_explains, run

pytestmark = pytest.mark.e2e
COMMANDS = [
    "moe", "honoraires", "organisation", "reception", "dgd", "phases", "ordres", "acomptes",
    "augmentation",
]  # fmt: skip


def test_the_canteen_needs_a_design_contest_with_a_prime_of_14_400_euros() -> None:
    result = amo("travaux", "moe", "examples/travaux_moe.json", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["procedure"] == "concours"
    assert payload["prime_minimum_ht"] == "14400.00"  # 18 000 × (1 − 20 %)
    assert payload["jury"]["qualified_members_minimum"] == 3
    assert any("R2172-2" in ref for ref in payload["references"])
    assert payload["buyer_choices"]


def test_the_fee_example_reduces_the_fee_by_11_percent_of_the_excess() -> None:
    result = amo("travaux", "honoraires", "examples/travaux_honoraires.json", "--json")
    payload = json.loads(result.stdout)
    assert payload["definitive_fee_ht"] == "280500.00"
    assert payload["studies_adaptation_may_be_required"] is True
    assert payload["penalty_ht"] == "10857.00"


def test_the_final_account_example_waits_for_the_contractor_until_29_september() -> None:
    result = amo("travaux", "dgd", "examples/travaux_dgd.json", "--json")
    payload = json.loads(result.stdout)
    assert payload["state"] == "en_cours"
    assert payload["steps"][-1]["due_on"] == "2027-09-29"


def test_the_phases_example_warns_before_the_envelope_is_spent() -> None:
    result = amo("travaux", "phases", "examples/travaux_phases.json", "--json")
    payload = json.loads(result.stdout)
    assert payload["alert"] == "vigilance"
    assert payload["envelope_history"][0]["moe_amendment_needed"] is True


def test_reception_text_output_is_french() -> None:
    result = amo("travaux", "reception", "examples/travaux_reception.json")
    assert result.returncode == 0
    assert "Fin du délai de garantie de parfait achèvement" in result.stdout
    assert "Ce que le droit laisse au choix du maître d'ouvrage" in result.stdout


def test_organisation_text_says_what_a_mandate_may_entrust_and_must_state() -> None:
    result = amo("travaux", "organisation", "examples/travaux_organisation.json")
    assert result.returncode == 0
    assert (
        "Ce que vous pouvez confier à un mandataire, en tout ou partie (L2422-6)" in result.stdout
    )
    assert "prévoit à peine de nullité (L2422-7)" in result.stdout
    assert "  - La rémunération du mandataire" in result.stdout


def test_the_group_is_listed_in_the_help() -> None:
    result = amo("--help")
    assert "travaux" in result.stdout


def test_every_command_has_its_example_and_is_fuzzed() -> None:
    from openamo.cli.travaux import app

    names = {command.name for command in app.registered_commands}
    assert names == set(COMMANDS)
    for name in names:
        assert (ROOT / "examples" / f"travaux_{name}.json").is_file(), name


@pytest.mark.parametrize(
    ("command", "field", "value"),
    [("ordres", "orders", list), ("acomptes", "statements", list), ("augmentation", "status", str)],
)
def test_the_execution_examples_answer_one_json_object(
    command: str, field: str, value: type
) -> None:
    result = amo("travaux", command, f"examples/travaux_{command}.json", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert isinstance(payload, dict) and isinstance(payload[field], value)
    assert payload["buyer_choices"] and payload["references"]


@pytest.mark.parametrize(
    ("command", "data", "message"),
    [
        (
            "moe",
            {"date": "2026-11-23", "work_kind": "gymnase", "estimated_fee_ht": "1"},
            "work_kind",
        ),
        ("honoraires", {"date": "2026-11-23", "provisional_fee_ht": "1"}, "champ obligatoire"),
        ("organisation", {"date": "2026-11-23", "in_house_skills": "x"}, "in_house_skills"),
        (
            "reception",
            {"consultation_date": "2019-01-01", "completion_notice_on": "2021-01-01"},
            "CCAG de 2009",
        ),
        (
            "dgd",
            {"consultation_date": "2026-01-15", "reception_notified_on": "2027-02-30"},
            "date invalide",
        ),
        (
            "dgd",
            {"consultation_date": "2026-01-15", "reception_notified_on": "2027-07-09", "x": 1},
            "champ inconnu",
        ),
        ("ordres", {"consultation_date": "2026-01-15"}, "champ obligatoire"),
        ("ordres", {"consultation_date": "2026-01-15", "orders": []}, "liste trop courte"),
        ("acomptes", {"consultation_date": "2026-02-30"}, "date invalide"),
        ("augmentation", {"consultation_date": "2026-01-15", "zz": 1}, "champ inconnu"),
    ],
)
def test_invalid_input_exits_2_with_a_french_message(
    command: str, data: dict[str, Any], message: str
) -> None:
    result = amo("travaux", command, "-", "--json", stdin=json.dumps(data))
    assert result.returncode == 2
    assert message in result.stdout
    assert "Traceback" not in result.stderr


day = st.sampled_from(["2026-01-15", "2027-07-09", "2027-08-03", "2019-01-01", "2027-02-30", ""])
amount = st.one_of(st.decimals(-1, 10**8, places=2).map(str), st.text(max_size=4), st.integers())
near_valid = st.fixed_dictionaries(
    {},
    optional={
        "date": day, "consultation_date": day, "reception_notified_on": day,
        "completion_notice_on": day, "opr_on": day, "decision_notified_on": day,
        "final_draft_received_by_moe_on": day, "final_draft_received_by_buyer_on": day,
        "general_account_notified_on": day, "tacit_draft_notified_on": day, "as_of": day,
        "work_kind": st.sampled_from(["batiment_neuf", "rehabilitation", "x"]),
        "estimated_fee_ht": amount, "provisional_fee_ht": amount,
        "provisional_works_cost_ht": amount, "committed_works_cost_ht": amount,
        "tolerance_percent": amount, "consultation_works_cost_ht": amount,
        "in_house_skills": st.sampled_from(["aucune", "completes", "y"]),
        "decision": st.sampled_from(["sans_reserve", "sous_reserve", "refus", "z"]),
        "reception_decision": st.sampled_from(["avec_reserves", "sous_reserve", "refus"]),
        "jury_members": st.integers(-3, 50),
    },
)  # fmt: skip


@FUZZ
@given(command=st.sampled_from(COMMANDS), data=st.one_of(near_valid, JSON_VALUES))
def test_random_json_never_yields_a_traceback(
    command: str, data: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert_answers_or_explains(*run(["travaux", command], json.dumps(data), monkeypatch, capsys))
