"""``amo projet roi|cadrage|pilotage|rapport`` as users' scripts call them: the real entry point.

Subprocess tests go through the installed ``amo`` script; the property tests call the same
``main`` in-process (hundreds of examples would take minutes as subprocesses).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.e2e.cli._amo import ROOT, amo
from tests.fuzz import JSON_VALUES, assert_answers_or_explains, run

pytestmark = pytest.mark.e2e

WORKED_EXAMPLE = {
    "baseline_budget_ht": "75000.00",
    "drift_without_amo": "0.2666666667",
    "drift_with_amo": "0.10",
    "amo_cost_ht": "7352.94",
    "claimed_drift_prevented_per_euro": "1.7",
}


def test_roi_json_on_stdin_reproduces_the_worked_example() -> None:
    result = amo("projet", "roi", "--json", stdin=json.dumps(WORKED_EXAMPLE))
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["cost_without_amo_ht"] == "95000.00"
    assert payload["cost_with_amo_ht"] == "82500.00"
    assert payload["savings_ht"] == "12500.00"
    assert payload["drift_prevented_per_euro"] == "1.70"
    assert payload["implied_amo_cost_ht"] == "7352.94"
    assert payload["references"] and payload["explanation"]


def test_roi_dash_reads_stdin_too() -> None:
    result = amo("projet", "roi", "-", "--json", stdin=json.dumps(WORKED_EXAMPLE))
    assert result.returncode == 0 and json.loads(result.stdout)["mode"] == "deterministe"


@pytest.mark.parametrize("command", ["roi", "cadrage", "pilotage"])
def test_each_example_file_gives_one_json_object_with_references(command: str) -> None:
    result = amo("projet", command, f"examples/projet_{command}.json", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert isinstance(payload, dict)
    assert payload["references"] and payload["explanation"].strip()
    assert result.stderr == ""


def test_the_roi_example_is_a_seeded_monte_carlo_and_stable_between_runs() -> None:
    first = amo("projet", "roi", "examples/projet_roi.json", "--json")
    second = amo("projet", "roi", "examples/projet_roi.json", "--json")
    assert first.stdout == second.stdout
    payload = json.loads(first.stdout)
    assert payload["mode"] == "monte_carlo" and payload["runs"] == 100_000
    assert set(payload["percentiles"]) == {"cost_without_amo_ht", "cost_with_amo_ht", "savings_ht"}


def test_text_output_is_french_for_people() -> None:
    result = amo("projet", "cadrage", "examples/projet_cadrage.json")
    assert result.returncode == 0, result.stderr
    assert "Score de complétude : 95,0/100" in result.stdout
    assert "Clauses à prévoir au marché" in result.stdout
    roi = amo("projet", "roi", stdin=json.dumps(WORKED_EXAMPLE))
    assert "Dérive évitée par euro d'AMO : 1,70 €" in roi.stdout


def test_invalid_input_exits_2_with_a_french_message_and_a_json_error() -> None:
    result = amo("projet", "roi", "--json", stdin='{"baseline_budget_ht": "75000", "oops": 1}')
    assert result.returncode == 2
    assert "champ inconnu" in result.stderr
    assert "Traceback" not in result.stderr
    payload = json.loads(result.stdout)
    assert payload["error"]["code"] == "invalid_input"
    locations = {d["location"] for d in payload["error"]["details"]}
    assert {"oops", "amo_cost_ht"} <= locations


def test_missing_file_and_broken_json_exit_2() -> None:
    missing = amo("projet", "cadrage", "examples/absent.json", "--json")
    assert missing.returncode == 2 and "introuvable" in missing.stderr
    broken = amo("projet", "pilotage", "--json", stdin="{")
    assert broken.returncode == 2 and "JSON invalide" in broken.stderr


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_the_steering_report_is_written_in_docx_or_pdf(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"rapport{suffix}"
    result = amo("projet", "rapport", "examples/projet_rapport.json", "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["files"] == [str(out)]
    assert out.stat().st_size > 10_000
    assert payload["explanation"].startswith("Rapport du comité de pilotage écrit dans ")
    assert "situation au 15/04/2027, vigilance" in payload["explanation"]
    assert any("CCAG-TIC" in r for r in payload["references"])  # from the framing


def test_the_steering_report_says_in_french_what_it_wrote(tmp_path: Path) -> None:
    out = tmp_path / "rapport.docx"
    result = amo(
        "projet",
        "rapport",
        "--out",
        str(out),
        stdin=Path(ROOT, "examples/projet_rapport.json").read_text("utf-8"),
    )
    assert result.returncode == 0, result.stderr
    assert f"Fichiers :\n  {out}" in result.stdout
    assert "Attention : « Charte graphique personnalisée du portail agents »" in result.stdout


def test_a_steering_report_in_another_format_or_before_its_situation_exits_2(
    tmp_path: Path,
) -> None:
    wrong = amo(
        "projet", "rapport", "examples/projet_rapport.json", "--out", str(tmp_path / "r.odt")
    )
    assert wrong.returncode == 2 and ".docx ou en .pdf" in wrong.stderr
    data = json.loads(Path(ROOT, "examples/projet_rapport.json").read_text("utf-8"))
    data["report"]["generated_on"] = "2027-04-01"
    early = amo(
        "projet", "rapport", "--out", str(tmp_path / "r.docx"), "--json", stdin=json.dumps(data)
    )
    assert early.returncode == 2
    assert "avant la date de la situation" in early.stderr
    assert not (tmp_path / "r.docx").exists()
    missing = amo("projet", "rapport", "examples/projet_rapport.json")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


# --- Property: whatever JSON arrives, exit 0 or 2, never a traceback ------------------------

numbers = st.one_of(
    st.decimals(min_value=-10, max_value=10**15, places=2).map(str),
    st.integers(min_value=-(10**16), max_value=10**16),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "abc", "10 %", "1e9", "-0", "0,5", True, None]),
)
ratios = st.one_of(st.decimals(min_value=-2, max_value=12, places=4).map(str), numbers)
NEAR_VALID_ROI = st.fixed_dictionaries(
    {},
    optional={
        "baseline_budget_ht": numbers,
        "amo_cost_ht": numbers,
        "drift_without_amo": ratios,
        "drift_with_amo": ratios,
        "margin_rate": ratios,
        "runs": st.one_of(st.integers(-5, 3000), st.sampled_from([True, "100", 1.5])),
        "seed": st.one_of(st.integers(-5, 2**64), st.none()),
        "cost_dispersion": ratios,
        "baseline_duration_months": st.one_of(st.integers(-2, 300), st.text(max_size=3)),
        "delay_without_amo": ratios,
        "delay_with_amo": ratios,
        "delay_dispersion": ratios,
        "adoption_without_amo": ratios,
        "claimed_drift_prevented_per_euro": ratios,
        "histogram_bins": st.integers(-1, 300),
    },
)
dates = st.sampled_from(["2027-01-04", "2027-05-04", "0001-01-01", "9999-12-31", "2027-02-30", ""])
NEAR_VALID_PILOTAGE = st.fixed_dictionaries(
    {
        "project": st.text(min_size=0, max_size=5),
        "as_of": dates,
        "baseline": st.fixed_dictionaries(
            {
                "budget_ht": numbers,
                "milestones": st.lists(
                    st.fixed_dictionaries(
                        {
                            "id": st.sampled_from(["l", "m", "r"]),
                            "name": st.just("Jalon"),
                            "kind": st.sampled_from(["lancement", "mise_en_service", "autre"]),
                            "planned_on": dates,
                        }
                    ),
                    max_size=3,
                ),
            },
            optional={"margin_rate": ratios},
        ),
    },
    optional={
        "change_requests": st.lists(
            st.fixed_dictionaries(
                {
                    "id": st.sampled_from(["A", "B", "C"]),
                    "title": st.just("Demande"),
                    "requested_on": dates,
                    "kind": st.sampled_from(["ajout", "suppression", "autre"]),
                    "cost_ht": numbers,
                    "value": st.sampled_from(["forte", "nulle"]),
                },
                optional={
                    "decision": st.sampled_from(["acceptee", "en_attente", "refusee"]),
                    "decided_on": dates,
                    "delay_days": st.integers(-5000, 5000),
                },
            ),
            max_size=4,
        ),
        "milestones": st.lists(
            st.fixed_dictionaries(
                {"id": st.sampled_from(["l", "m", "x"])},
                optional={"forecast_on": dates, "actual_on": dates},
            ),
            max_size=3,
        ),
    },
)


SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(data=JSON_VALUES, command=st.sampled_from(["roi", "cadrage", "pilotage"]))
def test_random_json_never_yields_a_traceback(
    data: Any, command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert_answers_or_explains(*run(["projet", command], json.dumps(data), monkeypatch, capsys))


@SETTINGS
@given(data=NEAR_VALID_ROI)
def test_near_valid_roi_inputs_answer_or_explain(
    data: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert_answers_or_explains(*run(["projet", "roi"], json.dumps(data), monkeypatch, capsys))


@SETTINGS
@given(data=NEAR_VALID_PILOTAGE)
def test_near_valid_steering_inputs_answer_or_explain(
    data: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert_answers_or_explains(*run(["projet", "pilotage"], json.dumps(data), monkeypatch, capsys))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    patch=st.dictionaries(
        st.sampled_from(["budget", "schedule", "adoption", "features", "compliance", "objective"]),
        JSON_VALUES,
        max_size=3,
    )
)
def test_a_damaged_framing_answers_or_explains(
    patch: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads((ROOT / "examples" / "projet_cadrage.json").read_text(encoding="utf-8"))
    data.update(patch)
    assert_answers_or_explains(*run(["projet", "cadrage"], json.dumps(data), monkeypatch, capsys))
