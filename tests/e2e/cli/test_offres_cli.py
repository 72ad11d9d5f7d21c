"""``amo offres`` through the real entry point: one JSON object, exit 0 or 2, never a traceback."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openamo.cli import main
from tests.e2e.cli._amo import ROOT, amo

ARTICLE = re.compile(r"\b[LRD]\.? ?\d{3,4}(-\d+)*\b")

pytestmark = pytest.mark.e2e


def test_the_example_gives_the_contract_json() -> None:
    result = amo("offres", "score", "examples/offres_score.json", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert [entry["bidder"] for entry in payload["ranking"]] == [
        "Maraîchers Associés SCOP",
        "Agrilog Express",
        "Primeurs du Val SARL",
        "Distri-Frais SAS",
    ]
    for entry in payload["ranking"]:
        assert set(entry) == {"bidder", "rank", "total", "by_criterion"}
        assert re.fullmatch(r"\d{1,3}\.\d{2}", entry["total"])
    assert payload["ranking"][0]["total"] == "75.20"
    assert [item["bidder"] for item in payload["abnormally_low"]] == ["Agrilog Express"]
    assert set(payload["abnormally_low"][0]) == {"bidder", "reason"}
    assert "R2152-3" in payload["abnormally_low"][0]["reason"]
    assert all(ARTICLE.search(reference) for reference in payload["references"])
    assert payload["explanation"].strip()


def test_stdin_with_a_dash_and_text_for_people() -> None:
    data = (ROOT / "examples" / "offres_score.json").read_text("utf-8")
    result = amo("offres", "score", "-", stdin=data)
    assert result.returncode == 0, result.stderr
    assert "Rang" in result.stdout and "Maraîchers Associés SCOP" in result.stdout
    assert "Offre anormalement basse ? Agrilog Express" in result.stdout


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("", "Entrée vide"),
        ("[1, 2]", "objet JSON"),
        (
            '{"criteria": [{"name": "Prix", "weight": 90, "kind": "prix"}], "offers": []}',
            "égale à 100",
        ),
        (
            '{"criteria": [{"name": "Prix", "weight": 100, "kind": "prix"}], "offers": [], "colour": 1}',
            "champ inconnu",
        ),
        (
            '{"criteria": [{"name": "Prix", "weight": 100, "kind": "tarif"}], "offers": []}',
            "valeur non reconnue",
        ),
    ],
)
def test_invalid_input_exits_2_with_a_french_message(payload: str, message: str) -> None:
    result = amo("offres", "score", "--json", stdin=payload)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Erreur")
    error = json.loads(result.stdout)["error"]
    assert message in json.dumps(error, ensure_ascii=False)


def test_a_missing_file_exits_2() -> None:
    result = amo("offres", "score", "pas-de-fichier.json")
    assert result.returncode == 2
    assert "Fichier introuvable" in result.stderr


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_the_report_is_written_in_docx_or_pdf(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"rapport{suffix}"
    result = amo("offres", "rapport", "examples/offres_rapport.json", "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["files"] == [str(out)]
    assert out.stat().st_size > 10_000
    assert "Maraîchers Associés SCOP" in payload["explanation"]


def test_a_report_with_an_unsupported_format_exits_2(tmp_path: Path) -> None:
    result = amo(
        "offres", "rapport", "examples/offres_rapport.json", "--out", str(tmp_path / "r.txt")
    )
    assert result.returncode == 2
    assert "docx ou en .pdf" in result.stderr


def test_a_report_without_out_option_is_a_usage_error() -> None:
    result = amo("offres", "rapport", "examples/offres_rapport.json")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


# --- Random input never produces a traceback -------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["prix", "technique", "lineaire", "2026-08-21", "-1", "1e400", "100"]),
)
keys = st.sampled_from(
    [
        "criteria",
        "offers",
        "name",
        "weight",
        "kind",
        "method",
        "bidder",
        "price_ht",
        "scores",
        "mark",
        "estimate_ht",
        "date",
        "lots",
        "sub_criteria",
        "status",
        "winners",
        "x",
    ]
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=5),
    max_leaves=25,
)
documents = st.dictionaries(keys, json_values, max_size=6)


def _in_process(
    payload: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(payload)))
    code = main(["offres", "score", "-", "--json"])
    captured = capsys.readouterr()
    return code, captured.err


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=documents)
def test_random_json_never_gives_a_traceback_in_process(
    payload: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _in_process(payload, monkeypatch, capsys)
    assert code in (0, 2), err
    assert "Traceback" not in err and "Erreur interne" not in err


@settings(max_examples=20, deadline=None)
@given(payload=documents)
def test_random_json_never_gives_a_traceback_through_the_entry_point(payload: Any) -> None:
    result = amo("offres", "score", "--json", stdin=json.dumps(payload))
    assert result.returncode in (0, 2), result.stderr
    assert "Traceback" not in result.stderr
    json.loads(result.stdout)


marks = st.one_of(
    st.integers(min_value=-2, max_value=25),
    st.decimals(min_value=0, max_value=20, places=3).map(str),
    st.sampled_from(["", "abc", None, True]),
)
prices = st.one_of(
    st.decimals(min_value=0, max_value=10**9, places=2).map(str),
    st.sampled_from(["0", "0.01", "1e3", "-5", "12 000,50", "€"]),
)


@st.composite
def analyses(draw: st.DrawFn) -> dict[str, Any]:
    method = draw(st.sampled_from(["proportionnelle", "lineaire", "ecart_relatif", "moyenne"]))
    price_weight = draw(st.integers(min_value=1, max_value=99))
    bidders = draw(st.lists(st.sampled_from(["A", "B", "C", "D", "E"]), max_size=5, unique=True))
    offers = [
        {
            "bidder": bidder,
            "price_ht": draw(prices),
            "scores": {"Technique": draw(marks)},
            "status": draw(
                st.sampled_from(["reguliere", "reguliere", "irreguliere", "inappropriee"])
            ),
            "abnormally_low_outcome": draw(st.sampled_from([None, "justifiee", "rejetee"])),
        }
        for bidder in bidders
    ]
    return {
        "date": draw(st.sampled_from(["2019-04-01", "2026-08-21", "2026-12-01", "2018-01-01"])),
        "criteria": [
            {"name": "Prix", "weight": price_weight, "kind": "prix", "method": method},
            {
                "name": "Technique",
                "weight": 100 - price_weight,
                "kind": "technique",
                "max_score": 20,
            },
        ],
        "offers": offers,
        "estimate_ht": draw(st.one_of(st.none(), prices)),
        "budget_ht": draw(st.one_of(st.none(), prices)),
        "winners": draw(st.integers(min_value=0, max_value=3)),
        "tie_break": draw(st.sampled_from([None, "Technique", "Prix"])),
    }


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=analyses())
def test_plausible_random_analyses_never_give_a_traceback(
    payload: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _in_process(payload, monkeypatch, capsys)
    assert code in (0, 2), err
    assert "Traceback" not in err and "Erreur interne" not in err
