"""Publishing a buyer's contracts as DECP 2.0.3: valid files, missing data named with its place."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from openamo.errors import OpenAMOError
from openamo.opendata.publish import publication_from_dict

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = json.loads((ROOT / "examples" / "decp_export.json").read_text("utf-8"))
SCHEMA = json.loads(
    (ROOT / "src/openamo/opendata/schemas/decp/schema_decp_v2.0.3.json").read_text("utf-8")
)


def test_the_published_file_is_valid_against_the_official_schema() -> None:
    result = publication_from_dict(EXAMPLE)
    jsonschema.Draft7Validator(SCHEMA).validate(result.document)
    assert result.valid and result.published == ["2026RS01"]
    (marche,) = result.document["marches"]["marche"]
    assert marche["montant"] == 480000
    assert marche["modifications"] == [
        {
            "modification": {
                "id": 1,
                "dateNotificationModification": "2026-11-20",
                "datePublicationDonneesModification": "2026-12-02",
                "montant": 500000,
            }
        }
    ]


def test_missing_data_is_listed_per_contract_with_where_to_fill_it() -> None:
    result = publication_from_dict(EXAMPLE)
    missing = {(m.contract, m.field) for m in result.missing}
    assert missing == {
        ("2026INF02", "codeCPV"),
        ("2026INF02", "lieuExecution"),
        ("2026INF02", "offresRecues"),
        ("2026INF02", "ccag"),
    }
    assert all("Données essentielles" in m.where for m in result.missing)


def test_contracts_under_the_threshold_of_their_date_are_not_subject() -> None:
    result = publication_from_dict(EXAMPLE)
    assert [n["marche"] for n in result.not_subject] == ["2026FOU03"]
    assert "40\u202f000,00" in result.not_subject[0]["motif"]
    data = copy.deepcopy(EXAMPLE)
    data["contracts"][2]["notified_on"] = "2019-06-03"  # 25 000 € then
    data["contracts"][2]["amount_ht"] = "30000.00"
    again = publication_from_dict(data)
    assert "2026FOU03" not in [n["marche"] for n in again.not_subject]


def test_each_publication_deadline_is_two_months_after_notification() -> None:
    result = publication_from_dict(EXAMPLE)
    deadlines = {
        (d["marche"], d["objet"]): d["a_publier_au_plus_tard_le"] for d in result.deadlines
    }
    assert deadlines[("2026RS01", "marché")] == "2026-11-15"
    assert deadlines[("2026RS01", "modification n° 1")] == "2027-01-20"
    assert any("R2196-1" in r for r in result.references)


@pytest.mark.parametrize(
    "broken",
    [
        {"buyer_siret": "123", "contracts": []},
        {"buyer_siret": "21450001200012", "contracts": []},  # Luhn key wrong
        {"buyer_siret": "21990000800018", "contracts": [{"amount_ht": "-5"}]},
        {"buyer_siret": "21990000800018", "contracts": [{"cpv": "ABC"}]},
        {"buyer_siret": "21990000800018", "contracts": [{"inconnu": 1}]},
    ],
)
def test_bad_input_is_refused_in_french(broken: dict[str, Any]) -> None:
    with pytest.raises(OpenAMOError) as caught:
        publication_from_dict(broken)
    assert caught.value.details
