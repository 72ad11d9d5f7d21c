"""The four real 2019 DECP files end to end: every count is recomputed here independently."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from openamo.opendata.audit import audit_contracts
from openamo.opendata.importer import ImportReport, import_files
from openamo.opendata.schemas import Kind

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "decp"
FILES = sorted((FIXTURES / "v1_2019").glob("*.json"))
SCHEMA = Path(__file__).resolve().parents[3] / "src/openamo/opendata/schemas/decp/marches-v1.5.json"


def _raw(path: Path) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(path.read_text("utf-8"))["marches"]
    return records


def _key(record: dict[str, Any]) -> tuple[str, str]:
    buyer = record.get("acheteur") or record.get("autoriteConcedante") or {}
    return (str(buyer.get("id") or ""), str(record.get("id") or ""))


def _best_versions(concessions: bool) -> dict[tuple[str, str], dict[str, Any]]:
    """The version of each contract kept: the most amended, then the latest published."""
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for path in FILES:
        for record in _raw(path):
            if not concessions and record.get("_type") == "Contrat de concession":
                continue
            key = _key(record)
            old = best.get(key)
            mods = len(record.get("modifications") or [])
            if old is None:
                best[key] = record
                continue
            old_mods = len(old.get("modifications") or [])
            newer = (
                str(record.get("datePublicationDonnees") or "")[:10]
                >= str(old.get("datePublicationDonnees") or "")[:10]
            )
            if mods > old_mods or (mods == old_mods and newer):
                best[key] = record
    return best


@pytest.fixture(scope="module")
def report() -> ImportReport:
    return import_files(FILES, keep_contracts=True, limit=0)


def test_every_record_of_the_four_files_is_read(report: ImportReport) -> None:
    assert [f.records for f in report.files] == [len(_raw(path)) for path in FILES]
    assert report.records == 10657


def test_schema_failures_per_file_are_those_of_the_published_baseline(
    report: ImportReport,
) -> None:
    # PROVENANCE.md, measured with python-jsonschema 4.26 on every record of the four files.
    assert [f.schema_invalid for f in report.files] == [4199, 68, 17, 148]
    assert report.schema_invalid == 4432
    assert sum(f.schema_valid for f in report.files) == 10657 - 4432


def test_a_sample_validates_exactly_as_python_jsonschema_does() -> None:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    reference = jsonschema.Draft4Validator(schema)
    from openamo.opendata.schemas import validator

    checker = validator("1.5")
    for path in FILES:
        for record in _raw(path)[::25]:
            kind: Kind = (
                "concession" if record.get("_type") == "Contrat de concession" else "marche"
            )
            assert checker.is_valid(record, kind) == reference.is_valid({"marches": [record]})


def test_modifications_are_counted_as_in_the_files(report: ImportReport) -> None:
    with_modifications = 0
    modifications = 0
    for path in FILES:
        for record in _raw(path):
            found = record.get("modifications") or []
            with_modifications += bool(found)
            modifications += len(found)
    payload = report.as_dict()
    assert (payload["avec_modifications"], payload["modifications"]) == (with_modifications, 137)
    assert with_modifications == 128


def test_duplicates_within_and_across_files_are_counted(report: ImportReport) -> None:
    seen_in: dict[tuple[str, str], str] = {}
    within: Counter[str] = Counter()
    across = 0
    for path in FILES:
        for record in _raw(path):
            key = _key(record)
            if key not in seen_in:
                seen_in[key] = path.name
            elif seen_in[key] == path.name:
                within[path.name] += 1
            else:
                across += 1
    assert [f.duplicates for f in report.files] == [within[p.name] for p in FILES]
    assert report.duplicates_across == across
    assert len(report.contracts) == len(seen_in)


# What a record says of its contract, as published (``importer._said`` compares it normalised).
_SAID = (
    "_type", "acheteur", "autoriteConcedante", "objet", "codeCPV", "procedure", "montant",
    "valeurGlobale", "dureeMois", "dateNotification", "dateSignature", "datePublicationDonnees",
    "offresRecues", "titulaires", "concessionnaires", "modifications",
)  # fmt: skip


def test_duplicates_saying_something_else_are_counted(report: ImportReport) -> None:
    """A contract republished with other data (160 records of the real files: AIFE's test
    records under a dummy id, PES contracts republished by marches-publics.info…) is one of the
    duplicates, but only one version is kept: the report says how many."""
    first: dict[tuple[str, str], str] = {}
    other = 0
    for path in FILES:
        for record in _raw(path):
            said = json.dumps({k: record.get(k) for k in _SAID}, sort_keys=True)
            other += first.setdefault(_key(record), said) != said
    assert report.conflicting_duplicates == other == 160
    assert report.as_dict()["doublons_au_contenu_different"] == other


def test_schema_errors_name_the_field_at_fault() -> None:
    report = import_files([FILES[1]], limit=100)  # PES: old procedure labels
    paths = {e.path for r in report.reports for e in r.schema_errors}
    assert "procedure" in paths
    messages = [e.message for r in report.reports for e in r.schema_errors]
    assert any("valeur hors de la liste autorisée" in m for m in messages)


def test_known_quirks_are_reported_record_by_record(report: ImportReport) -> None:
    counts = report.issue_counts
    raw_aife = _raw(FILES[0])
    mojibake = sum(
        "\ufffd" in str((r.get("acheteur") or {}).get("nom", ""))
        or "\ufffd" in str(r.get("objet", ""))
        for r in raw_aife
    )
    assert mojibake >= 3358  # PROVENANCE: 3 358 AIFE Marché records
    assert counts["encodage"] >= mojibake
    assert counts["ancien_vocabulaire"] == 410  # v1.4 labels: 190 + 68 + 17 + 135
    assert counts["montant_texte"] >= 1
    assert counts["siret_fictif"] >= 1


def test_amount_drifts_match_an_independent_computation(report: ImportReport) -> None:
    """Contracts whose modifications raise the amount by at least 10 % (15 % for works)."""
    best = _best_versions(concessions=False)
    expected = set()
    amended = 0
    for record in best.values():
        amounts = [m["montant"] for m in record.get("modifications") or [] if "montant" in m]
        initial = record.get("montant")
        if not amounts or not isinstance(initial, int | float) or initial <= 0:
            continue
        if not (record.get("dateNotification") or record.get("datePublicationDonnees")):
            continue
        amended += 1
        works = str(record.get("codeCPV", "")).startswith("45")
        limit = Decimal("0.15") if works else Decimal("0.10")
        initial_d = Decimal(repr(initial)) if isinstance(initial, float) else Decimal(initial)
        final = amounts[-1]
        final_d = Decimal(repr(final)) if isinstance(final, float) else Decimal(str(final))
        if final_d - initial_d >= initial_d * limit:
            expected.add(_key(record)[0] + _key(record)[1])
    audit = audit_contracts(report.contracts, records_read=report.records, limit=10_000)
    found = {
        r["uid"] for hit in audit.hits if hit.code == "derive_faible_montant" for r in hit.records
    }
    assert found == expected
    assert (amended, len(found)) == (75, 25)


def test_raw_figures_of_the_provenance_note_hold() -> None:
    """87 contracts with an amount modification; 35 above +15 %, 30 above +50 % (raw files)."""
    above_15 = above_50 = amended = 0
    for path in FILES:
        for record in _raw(path):
            amounts = [m["montant"] for m in record.get("modifications") or [] if "montant" in m]
            initial = record.get("montant")
            if not amounts or record.get("_type") == "Contrat de concession":
                continue
            amended += 1
            if isinstance(initial, int | float) and initial > 0:
                drift = float(amounts[-1]) / initial - 1
                above_15 += drift > 0.15
                above_50 += drift > 0.5
    assert (amended, above_15, above_50) == (87, 35, 30)


def test_audit_states_how_many_records_it_read(report: ImportReport) -> None:
    audit = audit_contracts(report.contracts, records_read=report.records, limit=5)
    payload = audit.as_dict()
    assert payload["enregistrements_lus"] == 10657
    assert payload["contrats_audites"] == len(report.contracts)
    codes = {flag["code"]: flag["nombre"] for flag in payload["alertes"]}
    assert codes["modification_plus_50"] > 0
    assert codes["publication_tardive"] > 0
    years = {row["cle"]: row["contrats"] for row in payload["chiffres"]["par_annee"]}
    assert sum(years.values()) <= len(report.contracts)


def test_texts_cut_at_the_source_are_counted_and_listed(report: ImportReport) -> None:
    """marches-publics.info and PES cut objets at 255 characters, e-marchespublics at 256 (the
    schema's maximum), AIFE buyer names at 100 with « ... »: counted here on the raw files."""
    cut: set[tuple[str, str]] = set()
    for key, record in _best_versions(concessions=True).items():
        objet = str(record.get("objet") or "").strip()
        buyer = record.get("acheteur") or record.get("autoriteConcedante") or {}
        name = str(buyer.get("nom") or "").strip()
        if len(objet) in {255, 256} or (len(name) == 100 and name.endswith("...")):
            cut.add(key)
        if record.get("source") == "data.gouv.fr_pes" and 38 in _pes_name_widths(record):
            cut.add(key)
    audit = audit_contracts(report.contracts, records_read=report.records, limit=1000)
    payload = audit.as_dict()
    found = payload["textes_tronques"]
    assert found["nombre"] == len(cut) == len(found["enregistrements"])
    assert {
        (r["acheteur"], r["uid"][len(r["acheteur"]) :]) for r in found["enregistrements"]
    } == cut
    assert any("tronqué à la source" in text for text in payload["ambiguites"])
    assert report.issue_counts["texte_tronque"] >= len(cut)


def _pes_name_widths(record: dict[str, Any]) -> list[int]:
    """The widths of the buyer's and the titulaires' names of a record, as published (a
    trailing blank included)."""
    names = [(record.get("acheteur") or {}).get("nom")]
    holders = record.get("titulaires") or []
    names += [t.get("denominationSociale") for t in holders if isinstance(t, dict)]
    return [len(name) for name in names if isinstance(name, str) and name.strip()]


def test_names_cut_at_38_characters_by_the_pes_flow_are_reported() -> None:
    """PES (DGFiP, Hélios) cuts names at 38 characters: no name of its file is longer, and the
    names that stop exactly there are each reported, record by record; the other sources'
    names of 38 characters (whole names, longer ones exist there) are not."""
    pes = FIXTURES / "v1_2019" / "data.gouv.fr_pes.json"
    records = _raw(pes)
    assert all(record["source"] == "data.gouv.fr_pes" for record in records)
    widths = [_pes_name_widths(record) for record in records]
    assert max(max(found) for found in widths if found) == 38
    buyers = sum(1 for record in records if len(record["acheteur"]["nom"]) == 38)
    holders = sum(found[1:].count(38) for found in widths)
    assert (buyers, holders) == (38, 14)
    report = import_files([pes], limit=len(records))
    paths = Counter(
        "titulaires" if issue.path.startswith("titulaires") else issue.path
        for record in report.reports
        for issue in record.contract.issues
        if issue.code == "texte_tronque" and "PES" in issue.message
    )
    assert paths == {"acheteur.nom": buyers, "titulaires": holders}
    others = [path for path in FILES if path != pes]
    elsewhere = import_files(others, limit=100_000)
    assert not any(
        "PES" in issue.message for record in elsewhere.reports for issue in record.contract.issues
    )
    assert any(
        len(record.contract.buyer_name or "") == 38 for record in elsewhere.reports
    )  # names of 38 characters exist there, whole
