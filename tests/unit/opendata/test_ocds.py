"""DECP → OCDS: the official converter's test pairs, then what it never did, all schema-valid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from openamo.opendata.ocds import PackageMeta, package
from openamo.opendata.reader import DecpFile, RawRecord
from openamo.opendata.records import Method, normalise
from openamo.opendata.schemas import ocds_errors

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
PAIRS = FIXTURES / "ocds" / "decp2ocds_decp-rama"
META = PackageMeta(published_date="2019-01-01T01:01:01+02:00")
SOURCES = sorted((PAIRS / "source").glob("*.json"))


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_decp_rama_expected_outputs_are_reproduced_exactly(source: Path) -> None:
    expected = json.loads((PAIRS / "expectedResult" / source.name).read_text("utf-8"))
    assert package(DecpFile(source), META, "decp-rama") == expected


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_the_full_conversion_contains_the_official_one_and_is_valid(source: Path) -> None:
    expected = json.loads((PAIRS / "expectedResult" / source.name).read_text("utf-8"))
    full = package(DecpFile(source), META)
    assert ocds_errors(full) == []
    for release in expected.get("releases", []):
        mine = next(r for r in full["releases"] if r["id"] == release["id"])
        assert {k: mine[k] for k in release} == release


def test_a_modification_becomes_a_contract_amendment_release() -> None:
    full = package(DecpFile(PAIRS / "source" / "002_modification_montant.json"), META)
    first, amendment = full["releases"]
    assert first["ocid"] == amendment["ocid"] == "ocds-78apv2-200013183000212018MAPA201805"
    assert amendment["id"].endswith("-01") and amendment["tag"] == ["contractAmendment"]
    (contract,) = amendment["contracts"]
    assert contract["value"] == {"amount": 100000, "currency": "EUR"}
    assert contract["amendments"][0]["date"] == "2019-05-19T00:00:00Z"


def test_concessions_are_converted() -> None:
    body = package(
        DecpFile(FIXTURES / "decp" / "exemples" / "concessions_avec_modifications.json"), META
    )
    assert ocds_errors(body) == []
    assert any(r["tag"] == ["contractAmendment"] for r in body["releases"])
    assert body["releases"][0]["tender"]["procurementMethodDetails"].startswith("Procédure")


@pytest.mark.parametrize(
    ("label", "method", "ocds"),
    [
        ("Appel d'offres ouvert", Method.OPEN, "open"),
        ("Procédure adaptée", Method.ADAPTED, "open"),
        ("Appel d'offres restreint", Method.RESTRICTED, "selective"),
        ("Procédure avec négociation", Method.NEGOTIATED, "selective"),
        ("Procédure concurrentielle avec négociation", Method.NEGOTIATED, "selective"),
        ("Procédure négociée avec mise en concurrence préalable", Method.NEGOTIATED, "selective"),
        ("Dialogue compétitif", Method.DIALOGUE, "selective"),
        (
            "Marché passé sans publicité ni mise en concurrence préalable",
            Method.WITHOUT_COMPETITION,
            "direct",
        ),
        (
            "Marché négocié sans publicité ni mise en concurrence préalable",
            Method.WITHOUT_COMPETITION,
            "direct",
        ),
        (
            "Marché public négocié sans publicité ni mise en concurrence préalable",
            Method.WITHOUT_COMPETITION,
            "direct",
        ),
    ],
)
def test_both_procedure_vocabularies_map_to_ocds_methods(
    label: str, method: Method, ocds: str
) -> None:
    data = json.loads((PAIRS / "source" / "001_marche_simple.json").read_text("utf-8"))["marches"][
        0
    ]
    data["procedure"] = label
    raw = RawRecord("x.json", 0, "1.5", "marche", data, "marches[0]")
    assert normalise(raw).method is method
    release = package([raw], META)["releases"][0]
    assert release["tender"]["procurementMethod"] == ocds


def test_the_real_2019_files_convert_to_a_valid_package() -> None:
    files = sorted((FIXTURES / "decp" / "v1_2019").glob("*.json"))
    body = package((r for f in files for r in DecpFile(f)), META)
    assert ocds_errors(body) == []
    assert len({r["ocid"] for r in body["releases"]}) > 10000


def test_ocds_cardinal_reads_the_export(tmp_path: Path) -> None:
    """OCP's Cardinal (PyPI ``ocdscardinal``) runs on the line-delimited export.

    The PyPI package exposes only ``coverage``; ``indicators`` is in the Rust command-line tool.
    """
    ocdscardinal = pytest.importorskip("ocdscardinal")
    files = sorted((FIXTURES / "decp" / "v1_2019").glob("*.json"))[1:3]
    body = package((r for f in files for r in DecpFile(f)), META)
    lines = tmp_path / "releases.jsonl"
    lines.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in body["releases"]))
    coverage = ocdscardinal.coverage(str(lines))
    assert coverage["/ocid"] == len(body["releases"])
    with_method = sum("procurementMethod" in r.get("tender", {}) for r in body["releases"])
    assert coverage["/tender/procurementMethod"] == with_method > 0
    assert coverage["/awards[]/suppliers[]/id"] > 0


def test_tabular_versions_become_contract_amendments_whatever_the_order_of_rows(
    tmp_path: Path,
) -> None:
    from openamo.opendata.columnar import grouped_rows
    from tests.unit.opendata.test_columnar import BUYER, write_csv
    from tests.unit.opendata.test_versions import MODIFICATIONS, OTHER, ROWS, shuffled

    path = write_csv(tmp_path / "versions.csv", shuffled(ROWS))
    streamed = package(DecpFile(path), META)
    grouped = package(grouped_rows([path]), META, grouped=True)
    # The same releases, in the order of the contracts (sorted by DuckDB, or as first met).
    assert sorted(grouped.pop("releases"), key=lambda r: r["id"]) == sorted(
        streamed["releases"], key=lambda r: r["id"]
    )
    assert grouped == {k: v for k, v in streamed.items() if k != "releases"}
    assert ocds_errors(streamed) == []
    by_id = {release["id"]: release for release in streamed["releases"]}
    amendments = [r for r in streamed["releases"] if r["tag"] == ["contractAmendment"]]
    assert len(amendments) == MODIFICATIONS
    ocid = f"ocds-78apv2-{BUYER}C10"
    first, second = by_id[f"{ocid}-01"], by_id[f"{ocid}-02"]
    assert by_id[f"{ocid}-00"]["contracts"][0]["value"]["amount"] == 100000
    assert [r["contracts"][0]["value"]["amount"] for r in (first, second)] == [105000, 110000]
    assert first["contracts"][0]["amendments"][0]["date"] == "2024-06-03T00:00:00Z"
    assert first["date"] == "2024-06-10T00:00:00Z"  # its own publication
    assert first["contracts"][0]["amendments"][0]["rationale"] == "montant porté à 105000 € HT"
    co_holders = by_id[f"ocds-78apv2-{BUYER}COT-00"]
    assert {p["identifier"]["id"] for p in co_holders["parties"]} >= {OTHER}
    (change,) = by_id[f"ocds-78apv2-{BUYER}COT-01"]["contracts"][0]["amendments"]
    assert change["rationale"] == "montant porté à 104000 € HT"  # same co-holders: no change
    (duration,) = by_id[f"ocds-78apv2-{BUYER}DUREE-01"]["contracts"][0]["amendments"]
    assert duration["rationale"] == "durée portée à 18 mois"
