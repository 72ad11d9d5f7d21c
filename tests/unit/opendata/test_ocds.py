"""DECP → OCDS: the official converter's test pairs, then what it never did, all schema-valid."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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


def _amendment(release: dict[str, Any]) -> tuple[str, int, str | None, Any]:
    (contract,) = release["contracts"]
    value = contract.get("value", {}).get("amount")
    return (
        release["decpUID"],
        len(contract["amendments"]),
        contract["amendments"][-1].get("date"),
        value,
    )


def test_every_modification_of_the_real_2019_files_has_its_own_release() -> None:
    """Records republished under one uid with other modifications (AIFE's test records with a
    dummy id) each keep their amendment releases, under ids unique in the package."""
    files = sorted((FIXTURES / "decp" / "v1_2019").glob("*.json"))
    body = package((r for f in files for r in DecpFile(f)), META)
    ids = [r["id"] for r in body["releases"]]
    assert len(ids) == len(set(ids))
    assert ocds_errors(body) == []
    found = {_amendment(r) for r in body["releases"] if r["tag"] == ["contractAmendment"]}
    expected = set()
    for path in files:
        for record in json.loads(path.read_text("utf-8"))["marches"]:
            if record.get("_type") == "Contrat de concession":
                continue
            buyer = str((record.get("acheteur") or {}).get("id") or "")
            uid = record.get("uid") or f"{buyer}{record.get('id') or ''}"
            value = record.get("montant")
            for number, modification in enumerate(record.get("modifications") or [], 1):
                value = modification.get("montant", value)
                day = modification.get("dateNotificationModification")
                date = f"{day[:10]}T00:00:00{day[10:] or 'Z'}" if day else None
                expected.add((uid, number, date, value))
    assert expected <= found


def test_a_modification_republished_with_other_data_keeps_both_releases() -> None:
    source = json.loads((PAIRS / "source" / "002_modification_montant.json").read_text("utf-8"))
    record = source["marches"][0]
    other = json.loads(json.dumps(record))
    other["modifications"][0]["montant"] = 120000
    raws = [
        RawRecord("a.json", index, "1.5", "marche", data, f"marches[{index}]")
        for index, data in enumerate([record, other, record])
    ]
    body = package(raws, META)
    amendments = [r for r in body["releases"] if r["tag"] == ["contractAmendment"]]
    ocid = "ocds-78apv2-200013183000212018MAPA201805"
    # The first keeps the official id, the other one its modification's date; the record read
    # twice is kept once.
    assert [r["id"] for r in amendments] == [f"{ocid}-01", f"{ocid}-01-20190519"]
    assert [r["contracts"][0]["value"]["amount"] for r in amendments] == [100000, 120000]
    assert package(raws, META) == body  # deterministic
    assert ocds_errors(body) == []


# The fields of a DECP record its initial release carries (``ocds.releases``).
_INITIAL_FIELDS = (
    "_type",
    "id",
    "uid",
    "acheteur",
    "autoriteConcedante",
    "titulaires",
    "concessionnaires",
    "objet",
    "codeCPV",
    "procedure",
    "nature",
    "techniques",
    "montant",
    "valeurGlobale",
    "dureeMois",
    "offresRecues",
    "dateNotification",
    "dateSignature",
    "datePublicationDonnees",
)


def test_initial_releases_republished_with_other_data_keep_their_own_ids() -> None:
    """The real 2019 files republish contracts under one uid with other data (AIFE's test
    records with a dummy id, PES records republished by marches-publics.info): each distinct
    initial state keeps its release, the first one under the official ``<ocid>-00``, and every
    other one is reported as a conflict. Counted here on the raw records."""
    from openamo.opendata.ocds import Conflict

    files = sorted((FIXTURES / "decp" / "v1_2019").glob("*.json"))
    states: dict[str, set[str]] = {}
    for path in files:
        for record in json.loads(path.read_text("utf-8"))["marches"]:
            party = record.get("acheteur") or record.get("autoriteConcedante") or {}
            uid = record.get("uid") or f"{party.get('id') or ''}{record.get('id') or ''}"
            count = len(record.get("modifications") or [])
            ocid = uid[:-2] if count and uid.endswith(f"{count:02d}") else uid
            fields = {k: record.get(k) for k in _INITIAL_FIELDS}
            # A release is dated by its publication, else by its notification (OCDS wants one).
            day = record.get("datePublicationDonnees") or record.get("dateNotification")
            fields["datePublicationDonnees"] = day
            states.setdefault(ocid, set()).add(json.dumps(fields, sort_keys=True))
    conflicts: list[Conflict] = []
    body = package((r for f in files for r in DecpFile(f)), META, conflicts=conflicts)
    initials = [r for r in body["releases"] if r["tag"] != ["contractAmendment"]]
    ids = [r["id"] for r in body["releases"]]
    assert len(ids) == len(set(ids))
    assert ocds_errors(body) == []
    assert len(initials) == sum(len(found) for found in states.values())
    first = [c for c in conflicts if c.official_id.endswith("-00")]
    assert len(first) == len(initials) - len(states) == 140
    assert all(c.release_id and c.release_id.startswith(f"{c.official_id}-") for c in conflicts)
    kept = set(ids)
    assert all(c.official_id in kept and c.release_id in kept for c in conflicts)
    # Amendment releases of such records, reported the same way.
    amended = {r["id"] for r in body["releases"] if r["tag"] == ["contractAmendment"]}
    assert {c.release_id for c in conflicts if c not in first} <= amended
    # The official converter keeps one release per id: the others are left out, and reported.
    left: list[Conflict] = []
    official = package((r for f in files for r in DecpFile(f)), META, "decp-rama", conflicts=left)
    assert left and all(c.release_id is None for c in left)
    assert len({r["id"] for r in official["releases"]}) == len(official["releases"])
