"""The ``amo`` entry point as users' scripts call it: exit codes, one JSON object, no traceback."""

from __future__ import annotations

import json

import pytest

from tests.e2e.cli._amo import amo

pytestmark = pytest.mark.e2e


def test_version() -> None:
    result = amo("--version")
    assert result.returncode == 0
    assert "OpenAMO" in result.stdout


def test_the_example_file_gives_one_json_object_with_references() -> None:
    result = amo("procedure", "choose", "examples/procedure_choose.json", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["procedure"] == "formalisee"
    assert payload["estimated_value_ht"] == "480000.00"
    assert payload["publicity"] == "boamp_et_joue"
    assert any("R2122-8" in ref or "L2124-1" in ref for ref in payload["references"])
    assert [lot["petit_lot"] for lot in payload["lots"]] == [False, True, False, True]


def test_stdin_with_a_dash_and_text_output() -> None:
    data = {
        "date": "2026-11-23",
        "buyer": "collectivite",
        "nature": "travaux",
        "estimated_amount_ht": "99999",
    }
    result = amo("procedure", "choose", "-", stdin=json.dumps(data))
    assert result.returncode == 0
    assert "Marché sans publicité ni mise en concurrence" in result.stdout
    assert "R2122-8" in result.stdout


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ("", "Entrée vide"),
        ("{not json", "JSON invalide"),
        ("[1, 2]", "objet JSON"),
        (
            '{"date": "2026-11-23", "buyer": "commune", "nature": "services", "estimated_amount_ht": "1"}',
            "buyer",
        ),
        (
            '{"date": "2031-01-01", "buyer": "collectivite", "nature": "services", "estimated_amount_ht": "1"}',
            "valeur en vigueur",
        ),
    ],
)
def test_invalid_input_exits_2_with_a_french_message_and_a_json_error(
    stdin: str, message: str
) -> None:
    result = amo("procedure", "choose", "--json", stdin=stdin)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert "error" in json.loads(result.stdout)


def test_a_missing_file_is_a_clear_error() -> None:
    result = amo("procedure", "choose", "nowhere.json")
    assert result.returncode == 2
    assert "Fichier introuvable" in result.stderr


def test_law_show_lists_the_figures_in_force_with_their_references() -> None:
    result = amo("law", "show", "--date", "2026-11-23", "--json")
    payload = json.loads(result.stdout)
    by_path = {row["path"]: row for row in payload["parameters"]}
    dispense = by_path["procurement.thresholds.dispense_fournitures_services"]
    assert dispense["value"] == "60000"
    assert "R2122-8" in dispense["reference"]
    assert amo("law", "show", "--date", "hier").returncode == 2


def test_unknown_group() -> None:
    result = amo("nimportequoi")
    assert result.returncode == 2
    assert "inconnu" in result.stderr
