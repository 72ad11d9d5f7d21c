"""``amo prix`` through the real entry point: one JSON object, exit 0/2, never a traceback."""

from __future__ import annotations

import json

import pytest
from hypothesis import strategies as st

from tests.e2e.cli._amo import amo
from tests.fuzz import never_a_traceback

pytestmark = pytest.mark.e2e


def test_the_example_file_gives_the_revised_price_and_a_drift_alert() -> None:
    result = amo("prix", "revision", "examples/prix_revision.json", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["coefficient"] == "1.0241"
    assert payload["revised_price_ht"] == "3.943"
    assert payload["drift"]["alert"] is True
    assert any("R2112-13" in ref for ref in payload["references"])
    assert payload["explanation"]


def test_the_architecture_contract_minimal_input() -> None:
    data = {
        "base_price_ht": "120000.00",
        "fixed_part": "0.15",
        "terms": [{"weight": "0.85", "index_base": "100", "index_current": "104"}],
    }
    result = amo("prix", "revision", "-", "--json", stdin=json.dumps(data))
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["coefficient"] == "1.034"
    assert payload["revised_price_ht"] == "124080.00"


def test_a_series_file_can_feed_the_revision() -> None:
    data = {
        "base_price_ht": "1000",
        "terms": [
            {
                "weight": "1",
                "index": "insee_bdm_bt01",
                "base_period": "2025-01",
                "current_period": "2025-06",
            }
        ],
    }
    result = amo(
        "prix", "revision", "-", "--json", "--serie", "tests/fixtures/indices/insee_bdm_bt01.csv",
        stdin=json.dumps(data),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["revised_price_ht"] == "1016.15"  # 1000 × 132,1/130


def test_text_output_is_french() -> None:
    result = amo("prix", "revision", "examples/prix_revision.json")
    assert result.returncode == 0
    assert "prix révisé" in result.stdout and "R2112-13" in result.stdout


def test_indices_command_lists_each_bad_line_in_json() -> None:
    result = amo("prix", "indices", "tests/fixtures/indices/bad_valeurs_invalides.csv", "--json")
    assert result.returncode == 2
    error = json.loads(result.stdout)["error"]
    assert [line["line"] for line in error["lines"]] == [3, 5, 6]
    assert "Traceback" not in result.stderr


def test_indices_command_reads_an_insee_export() -> None:
    result = amo("prix", "indices", "tests/fixtures/indices/insee_bdm_bt01.csv", "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["last_period"] == "2025-07"


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ("", "Entrée vide"),
        ("{oops", "JSON invalide"),
        ('{"base_price_ht": "1", "terms": []}', "terms"),
        (
            '{"base_price_ht": "1", "terms": [{"weight": "0.5", "index_base": "1", "index_current": "1"}]}',
            "totalisent",
        ),
    ],
)
def test_invalid_input_exits_2_with_a_french_message(stdin: str, message: str) -> None:
    result = amo("prix", "revision", "-", "--json", stdin=stdin)
    assert result.returncode == 2
    assert message in result.stdout + result.stderr
    assert "error" in json.loads(result.stdout)
    assert "Traceback" not in result.stderr


def test_a_missing_series_file_is_a_clear_error() -> None:
    result = amo("prix", "revision", "examples/prix_revision.json", "--serie", "nope.csv", "--json")
    assert result.returncode == 2
    assert "introuvable" in json.loads(result.stdout)["error"]["message"]


number = st.one_of(
    st.decimals(min_value=-5, max_value=10**6, places=3).map(str),
    st.integers(-5, 10**9),
    st.text(max_size=6),
)
term = st.fixed_dictionaries(
    {},
    optional={
        "weight": number, "index_base": number, "index_current": number,
        "index": st.sampled_from(["BT01", "X"]), "base_period": st.sampled_from(["2025-01", "13/2025", "x"]),
        "current_period": st.sampled_from(["2025-02", "2025-T1"]),
    },
)  # fmt: skip
near_valid = st.fixed_dictionaries(
    {},
    optional={
        "base_price_ht": number, "fixed_part": number, "terms": st.lists(term, max_size=3),
        "kind": st.sampled_from(["revision", "actualisation", "autre"]),
        "coefficient_decimals": st.integers(-1, 12), "coefficient_rounding": st.sampled_from(["superieur", "x"]),
        "price_decimals": st.integers(-1, 8), "invoiced_price_ht": number, "safeguard_percent": number,
        "series": st.dictionaries(st.sampled_from(["BT01", "X"]), st.dictionaries(st.sampled_from(["2025-01", "2025-02", "x"]), number)),
        "nature": st.sampled_from(["travaux", "services", "x"]), "standard_supplies": st.booleans(),
        "price_date": st.sampled_from(["2025-01-01", "2026-02-30", "2019-01-01"]),
        "execution_start": st.sampled_from(["2025-06-01", "2018-01-01", ""]),
    },
)  # fmt: skip


test_random_json_never_yields_a_traceback = never_a_traceback(["prix", "revision"], near_valid)
