"""Checks run before the DCE is drafted: a file that cannot be published is not generated."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from openamo.award.dossier import prepare_consultation_from_dict
from openamo.errors import OpenAMOError

EXAMPLE = json.loads(
    (Path(__file__).resolve().parents[3] / "examples" / "dce_generate.json").read_text("utf-8")
)


def variant(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = copy.deepcopy(EXAMPLE)
    data.update(changes)
    return data


def refusal(data: dict[str, Any]) -> str:
    with pytest.raises(OpenAMOError) as raised:
        prepare_consultation_from_dict(data)
    return str(raised.value)


def test_the_example_consultation_is_an_open_call_for_tenders() -> None:
    file = prepare_consultation_from_dict(variant())
    assert file.procedure.procedure == "formalisee"
    assert file.procedure_type.value == "appel_offres_ouvert"
    assert file.response_days == 41
    assert file.egalim.quality is not None and file.egalim.meat_fish is not None


def test_food_lots_at_firm_prices_are_refused() -> None:
    message = refusal(variant(price={"form": "ferme"}))
    assert "prix_revisable_obligatoire" in message and "R2112-13" in message


def test_food_lots_over_three_months_also_need_official_commodity_indices() -> None:
    longer = refusal(variant(price={"form": "ferme"}, duration_months=12))
    assert "R2112-14" in longer and "plus de 3 mois" in longer
    short = refusal(variant(price={"form": "ferme"}, duration_months=3))
    assert "R2112-14" not in short


def test_environmental_execution_conditions_are_required_from_21_august_2026() -> None:
    message = refusal(variant(environmental_conditions=[]))
    assert "condition_environnementale_absente" in message
    earlier = variant(
        environmental_conditions=[],
        launch_date="2026-06-01",
        response_deadline="2026-07-15T12:00:00",
    )
    assert prepare_consultation_from_dict(earlier).environmental_conditions_mandatory is False


def codes(data: dict[str, Any]) -> set[str]:
    return {check.code for check in prepare_consultation_from_dict(data).findings.checks}


def test_a_social_condition_is_expected_at_the_european_threshold_from_21_august_2026() -> None:
    file = prepare_consultation_from_dict(variant(social_conditions=[]))
    assert file.procedure.procedure == "formalisee" and file.social_conditions_mandatory
    assert "condition_sociale_absente" in {check.code for check in file.findings.checks}
    assert "condition_sociale_absente" not in codes(
        variant(
            social_conditions=[
                "Heures d'insertion réservées à des personnes éloignées de l'emploi."
            ]
        )
    )


def test_an_exception_of_l2112_2_1_lifts_the_social_condition_and_is_recorded() -> None:
    file = prepare_consultation_from_dict(
        variant(
            social_conditions=[], social_condition_exception="solution_immediatement_disponible"
        )
    )
    assert file.social_conditions_mandatory is False
    assert "condition_sociale_exception" in {check.code for check in file.findings.checks}


def test_no_social_condition_is_expected_before_21_august_2026() -> None:
    earlier = variant(
        social_conditions=[], launch_date="2026-06-01", response_deadline="2026-07-15T12:00:00"
    )
    assert prepare_consultation_from_dict(earlier).social_conditions_mandatory is False


def test_a_response_time_shorter_than_the_legal_minimum_is_refused() -> None:
    message = refusal(variant(response_deadline="2026-12-20T12:00:00"))
    assert "delai_reponse_insuffisant" in message


def test_an_adapted_procedure_is_not_open_above_the_european_threshold() -> None:
    assert "procedure_non_autorisee" in refusal(variant(procedure_type="mapa"))


def test_criteria_without_environment_are_refused_for_a_consultation_of_december_2026() -> None:
    data = variant(
        criteria=[
            {"name": "Prix", "weight": 60, "kind": "prix"},
            {"name": "Technique", "weight": 40, "kind": "technique"},
        ]
    )
    data["tie_break"] = None
    assert "critere_environnemental_absent" in refusal(data)


def test_a_revision_formula_must_add_up_to_one() -> None:
    data = variant()
    data["price"]["revision"]["terms"][0]["weight"] = "0.60"
    assert "doit valoir 1" in refusal(data)


def test_a_framework_agreement_without_maximum_launched_since_2022_is_not_drafted() -> None:
    data = variant()
    del data["lots"][0]["max_amount_ht"]
    message = refusal(data)
    assert "lots[0].max_amount_ht" in message and "R2162-4" in message


def test_a_framework_agreement_without_maximum_launched_in_2021_is_only_warned() -> None:
    data = variant(launch_date="2021-06-01", response_deadline="2021-07-15T12:00:00")
    del data["lots"][0]["max_amount_ht"]
    file = prepare_consultation_from_dict(data)
    assert any("sans montant maximum" in warning for warning in file.findings.warnings)
