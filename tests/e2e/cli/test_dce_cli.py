"""``amo dce generate`` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.cli._amo import ROOT, amo

EXAMPLE = ROOT / "examples" / "dce_generate.json"

pytestmark = pytest.mark.e2e


def test_the_example_dce_is_written_and_listed_in_json(tmp_path: Path) -> None:
    result = amo("dce", "generate", str(EXAMPLE), "--out", str(tmp_path), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert len(payload["files"]) == 9
    assert all(Path(name).exists() for name in payload["files"])
    assert payload["procedure"] == "appel_offres_ouvert"
    assert payload["min_response_days"] == 30
    assert payload["response_days"] == 41
    assert any(
        "R2152-7" in reference or "L2152-7" in reference for reference in payload["references"]
    )


def test_text_output_lists_the_files(tmp_path: Path) -> None:
    result = amo("dce", "generate", "-", "--out", str(tmp_path), stdin=EXAMPLE.read_text("utf-8"))
    assert result.returncode == 0, result.stderr
    assert "RC.docx" in result.stdout and "BPU_DQE_lot_3.xlsx" in result.stdout


def test_an_unlawful_consultation_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    data = json.loads(EXAMPLE.read_text("utf-8"))
    data["price"] = {"form": "ferme"}
    data["environmental_conditions"] = []
    out = tmp_path / "dce"
    result = amo("dce", "generate", "-", "--out", str(out), "--json", stdin=json.dumps(data))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "dce_non_conforme"
    locations = [detail["location"] for detail in error["details"]]
    assert locations == ["prix_revisable_obligatoire", "condition_environnementale_absente"]
    assert not out.exists()


def test_invalid_json_exits_2() -> None:
    result = amo("dce", "generate", "-", "--out", "/tmp/inutile", stdin="{")
    assert result.returncode == 2
    assert "JSON invalide" in result.stderr


def test_the_out_option_is_required() -> None:
    result = amo("dce", "generate", str(EXAMPLE))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_the_whole_dce_is_written_as_one_zip(tmp_path: Path) -> None:
    import zipfile

    out = tmp_path / "dce.zip"
    result = amo("dce", "generate", "examples/dce_generate.json", "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out) as archive:
        assert "RC.docx" in archive.namelist() and "BPU_DQE_lot_3.xlsx" in archive.namelist()
    folder = tmp_path / "dossier"
    result = amo("dce", "generate", "examples/dce_generate.json", "--out", str(folder), "--zip")
    assert result.returncode == 0, result.stderr
    assert zipfile.is_zipfile(folder / "DCE.zip")
