"""``amo paiement retard`` through the real entry point."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import strategies as st

from tests.e2e.cli._amo import amo
from tests.fuzz import never_a_traceback

pytestmark = pytest.mark.e2e


def test_the_example_file_computes_interest_and_indemnity() -> None:
    result = amo("paiement", "retard", "examples/paiement_retard.json", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["due_on"] == "2025-12-03"
    assert payload["days_late"] == 43
    assert payload["interest"] == "220.62"  # 18 450,60 × 10,15 % × 43 / 365
    assert payload["indemnity"] == "40.00"
    assert any("R2192-31" in ref for ref in payload["references"])
    assert payload["explanation"]


def test_the_architecture_contract_fields_with_an_ecb_rate() -> None:
    data = {
        "buyer": "collectivite",
        "invoice_received_on": "2026-08-03",
        "paid_on": "2026-10-02",
        "amount_ttc": "36500.00",
        "ecb_rate_percent": "2.00",
    }
    result = amo("paiement", "retard", "-", "--json", stdin=json.dumps(data))
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert (payload["due_on"], payload["days_late"]) == ("2026-09-02", 30)
    assert payload["interest"] == "300.00"  # 36 500 × 10 % × 30 / 365
    assert payload["indemnity"] == "40.00"


def test_text_output_is_french() -> None:
    result = amo("paiement", "retard", "examples/paiement_retard.json")
    assert result.returncode == 0
    assert "intérêts moratoires" in result.stdout


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"buyer": "hopital", "invoice_received_on": "2026-01-01", "amount_ttc": "1"}, "buyer"),
        (
            {"buyer": "etat", "invoice_received_on": "2026-13-01", "amount_ttc": "1"},
            "date invalide",
        ),
        (
            {"buyer": "etat", "invoice_received_on": "2026-01-01", "amount_ttc": "1", "retard": 3},
            "champ inconnu",
        ),
    ],
)
def test_invalid_input_exits_2_with_a_french_message(data: dict[str, Any], message: str) -> None:
    result = amo("paiement", "retard", "-", "--json", stdin=json.dumps(data))
    assert result.returncode == 2
    assert message in result.stdout
    assert "Traceback" not in result.stderr


day = st.sampled_from(
    ["2024-06-20", "2025-12-31", "2026-07-01", "2012-01-01", "2026-02-30", "", "x"]
)
near_valid = st.fixed_dictionaries(
    {},
    optional={
        "buyer": st.sampled_from(["etat", "collectivite", "entreprise_publique", "etablissement_public_sante", "x"]),
        "invoice_received_on": day, "paid_on": day, "as_of": day,
        "amount_ttc": st.one_of(st.decimals(-1, 10**9, places=2).map(str), st.text(max_size=5), st.integers()),
        "ecb_rate_percent": st.one_of(st.decimals(-200, 200, places=2).map(str), st.none(), st.booleans()),
        "contractual_days": st.integers(-5, 400),
        "interruption": st.fixed_dictionaries({}, optional={"notified_on": day, "documents_received_on": day}),
        "suspension": st.fixed_dictionaries({"notified_on": day, "documents_received_on": day}),
    },
)  # fmt: skip


test_random_json_never_yields_a_traceback = never_a_traceback(["paiement", "retard"], near_valid)
