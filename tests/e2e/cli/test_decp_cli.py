"""``amo decp`` and ``amo ocds`` as users' scripts call them: files in, one JSON object out."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.e2e.cli._amo import ROOT, amo

pytestmark = pytest.mark.e2e
DECP = ROOT / "tests" / "fixtures" / "decp"
REAL = sorted(str(p) for p in (DECP / "v1_2019").glob("*.json"))


def test_import_reports_counts_and_records_in_one_json_object() -> None:
    result = amo("decp", "import", *REAL, "--json", "--limit", "5")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["enregistrements_lus"] == 10657
    assert payload["non_conformes_au_schema"] == 4432
    assert len(payload["enregistrements_en_defaut"]) == 5
    assert payload["enregistrements_en_defaut_non_listes"] > 0


def test_import_of_every_form_never_crashes(tmp_path: Path) -> None:
    broken = tmp_path / "casse.json"
    broken.write_bytes(b'{"marches": [{"id": "1", "acheteur": {"id": "\xe9"}},')
    files = [
        *sorted((DECP / "messy").glob("*.json")),
        *sorted((DECP / "exemples").glob("*")),
        DECP / "tabular" / "decp_2024H2_travaux_cpv4521_filtered.csv",
        *sorted((DECP / "v2_2024").glob("*.json")),
        broken,
    ]
    result = amo("decp", "import", *map(str, files), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["enregistrements_lus"] > 8957
    issues = [i["code"] for f in payload["fichiers"] for i in f["problemes_du_fichier"]]
    assert "json" in issues


def test_audit_states_records_read_and_explains_in_text() -> None:
    result = amo("decp", "audit", REAL[2], "--json", "--limit", "2")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["enregistrements_lus"] == 470
    assert {f["code"] for f in payload["alertes"]} >= {"derive_faible_montant", "saucissonnage"}
    text = amo("decp", "audit", REAL[2])
    assert text.returncode == 0
    assert "Enregistrements lus : 470" in text.stdout
    assert "CCP R2194-8" in text.stdout


def test_missing_file_is_a_french_error_with_exit_2() -> None:
    result = amo("decp", "import", "absent.json", "--json")
    assert result.returncode == 2
    assert json.loads(result.stdout)["error"]["code"] == "file_not_found"
    assert "introuvable" in result.stderr


def test_export_writes_a_file_valid_against_the_official_schema(tmp_path: Path) -> None:
    out = tmp_path / "decp.json"
    result = amo("decp", "export", str(ROOT / "examples" / "decp_export.json"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "À compléter avant publication" in result.stdout
    schema = json.loads(
        (ROOT / "src/openamo/opendata/schemas/decp/schema_decp_v2.0.3.json").read_text("utf-8")
    )
    jsonschema.Draft7Validator(schema).validate(json.loads(out.read_text("utf-8")))


def test_export_writes_the_xml_form_valid_against_the_official_xsd(tmp_path: Path) -> None:
    out = tmp_path / "decp.xml"
    example = str(ROOT / "examples" / "decp_export.json")
    result = amo("decp", "export", example, "--xml", "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["conforme_au_xsd"] is True and payload["erreurs_xsd"] == []
    assert out.read_text("utf-8").startswith("<?xml") and "<marche>" in out.read_text("utf-8")


def test_ocds_export_writes_a_valid_package_and_lines(tmp_path: Path) -> None:
    out = tmp_path / "ocds.json"
    result = amo("ocds", "export", *REAL[1:3], "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["valide_schema_ocds"] is True
    body = json.loads(out.read_text("utf-8"))
    assert len(body["releases"]) == summary["publications"]
    # Records republished under one uid with other data: each release kept under its own id.
    assert summary["publications_en_conflit"] == len(summary["conflits"]) > 0
    ids = {release["id"] for release in body["releases"]}
    assert {c["identifiant_attribue"] for c in summary["conflits"]} <= ids
    lines = tmp_path / "ocds.jsonl"
    result = amo("ocds", "export", *REAL[1:3], "--out", str(lines), "--format", "lignes")
    assert result.returncode == 0, result.stderr
    assert len(lines.read_text("utf-8").splitlines()) == summary["publications"]


def test_tabular_versions_are_modifications_and_co_holders_are_not_duplicates(
    tmp_path: Path,
) -> None:
    header = "uid,id,acheteur_id,titulaire_id,montant,codeCPV,procedure,dateNotification"
    buyer, first, second = "20006258600157", "38024392300089", "78471226700060"
    lines = [
        header,
        # services of 100 000 €, two co-holders, amended to 110 000 € (+10 %): R2194-8
        *(
            f"{buyer}A1,A1,{buyer},{holder},{amount},77310000,Procédure adaptée,{day}"
            for holder in (first, second)
            for amount, day in (("100000", "2024-03-01"), ("110000", "2024-06-03"))
        ),
        f"{buyer}A1,A1,{buyer},{first},110000,77310000,Procédure adaptée,2024-06-03",  # repeat
    ]
    path = tmp_path / "decp.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    imported = json.loads(amo("decp", "import", str(path), "--json").stdout)
    assert imported["enregistrements_lus"] == 5
    assert imported["contrats_distincts"] == 1
    assert imported["doublons_dans_un_fichier"] == 1
    assert (imported["avec_modifications"], imported["modifications"]) == (1, 1)
    assert imported["fichiers"][0]["lignes_de_cotitulaires"] == 2
    text = amo("decp", "import", str(path)).stdout
    assert "2 lignes de cotitulaires et 1 ligne de version ultérieure regroupées" in text
    audit = json.loads(amo("decp", "audit", str(path), "--json").stdout)
    assert audit["enregistrements_lus"] == 5 and audit["contrats_audites"] == 1
    (drift,) = [flag for flag in audit["alertes"] if flag["code"] == "derive_faible_montant"]
    assert drift["nombre"] == 1
    assert "10,00" in drift["cas"][0]["explication"]


def test_ocds_export_of_the_real_tabular_file_carries_its_versions_as_amendments(
    tmp_path: Path,
) -> None:
    out = tmp_path / "ocds.json"
    real = DECP / "tabular" / "decp_2024H2_travaux_cpv4521_filtered.csv"
    result = amo("ocds", "export", str(real), "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["valide_schema_ocds"] is True
    releases = json.loads(out.read_text("utf-8"))["releases"]
    imported = json.loads(amo("decp", "import", str(real), "--json", "--limit", "0").stdout)
    amendments = sum(release["tag"] == ["contractAmendment"] for release in releases)
    # One award per contract and one amendment per modification, also where ids collide
    # under the official ocid rule (a uid ending with its number of modifications loses those
    # two digits): the colliding amendment takes its own id.
    assert amendments == imported["modifications"]
    assert len({release["id"] for release in releases}) == len(releases)
    assert summary["processus"] <= imported["contrats_distincts"]
