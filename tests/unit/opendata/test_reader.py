"""Every DECP form is read, and broken files are reported without losing what could be read."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from openamo.opendata.importer import import_files
from openamo.opendata.reader import DecpFile, RawRecord
from openamo.opendata.records import normalise

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "decp"
RECORD = {
    "id": "2019ABC00",
    "_type": "Marché",
    "acheteur": {"id": "21450001200012", "nom": "Commune d'Exemple"},
    "nature": "Marché",
    "objet": "Entretien des espaces verts",
    "codeCPV": "77310000",
    "procedure": "Procédure adaptée",
    "lieuExecution": {"code": "45000", "typeCode": "Code postal", "nom": "Orléans"},
    "dureeMois": 12,
    "dateNotification": "2019-05-02",
    "datePublicationDonnees": "2019-05-20",
    "montant": 52000,
    "formePrix": "Ferme",
    "titulaires": [
        {"typeIdentifiant": "SIRET", "id": "38024392300089", "denominationSociale": "Verts SA"}
    ],
    "modifications": [],
}


def test_v2_xml_and_json_examples_give_the_same_records() -> None:
    xml = list(DecpFile(FIXTURES / "exemples" / "Marche.xml"))
    assert [r.form for r in xml] == ["2", "2"]
    contract = normalise(xml[0])
    assert contract.amount is not None and contract.amount == 575000
    assert contract.suppliers[0].id == "55204599900869"
    assert contract.offers == 4 and contract.framework
    assert xml[0].data["marcheInnovant"] is True
    assert xml[0].data["techniques"] == {"technique": ["Concours", "Accord-cadre"]}


def test_v1_5_xml_package_reads_concessions() -> None:
    records = list(DecpFile(FIXTURES / "exemples_v1.5" / "paquet.xml"))
    assert {r.kind for r in records} == {"concession", "marche"}
    concession = normalise(next(r for r in records if r.kind == "concession"))
    assert concession.buyer_id == "21350238800019"
    assert concession.amount == 27860000


def test_v2_json_with_concessions_reads_both_lists() -> None:
    records = list(DecpFile(FIXTURES / "exemples" / "marches_concessions.json"))
    assert sorted(r.kind for r in records) == ["concession", "concession", "marche", "marche"]


def test_json_lines_are_read_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "flux.jsonl"
    lines = [json.dumps(dict(RECORD, id=f"2019ABC{i:02d}")) for i in range(3)]
    path.write_text("\n".join([*lines, "{pas du json", ""]), "utf-8")
    source = DecpFile(path)
    assert [r.data["id"] for r in source] == ["2019ABC00", "2019ABC01", "2019ABC02"]
    assert [i.code for i in source.issues] == ["json"]
    assert "ligne 4" in source.issues[0].message


def test_a_truncated_file_keeps_the_records_before_the_break(tmp_path: Path) -> None:
    text = json.dumps({"marches": [RECORD, dict(RECORD, id="2019ABC01"), RECORD]})
    path = tmp_path / "coupe.json"
    path.write_text(text[: int(len(text) * 0.8)], "utf-8")
    source = DecpFile(path)
    assert [r.data["id"] for r in source] == ["2019ABC00", "2019ABC01"]
    assert source.issues[0].code == "json"
    assert "conservés" in source.issues[0].message


def test_a_windows_1252_file_is_converted_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "latin.json"
    record = dict(RECORD, objet="Réfection de l'église")
    path.write_bytes(json.dumps({"marches": [record]}, ensure_ascii=False).encode("cp1252"))
    source = DecpFile(path)
    records = list(source)
    assert records[0].data["objet"] == "Réfection de l'église"
    assert source.encoding == "cp1252"
    assert source.issues[0].code == "encodage"


def test_nan_values_are_read_as_absent() -> None:
    source = DecpFile(FIXTURES / "messy" / "decp-processing_test_2022.json")
    records = list(source)
    assert len(records) == 5
    assert all(r.kind == "marche" for r in records)
    assert [i.code for i in source.issues] == ["json_non_standard"]


def test_empty_unknown_and_missing_files_never_raise(tmp_path: Path) -> None:
    empty = tmp_path / "vide.json"
    empty.write_text("   ", "utf-8")
    other = tmp_path / "autre.json"
    other.write_text('{"foo": 1}', "utf-8")
    report = import_files([empty, other, tmp_path / "absent.json"])
    assert report.records == 0
    codes = [i.code for f in report.files for i in f.issues]
    assert codes == ["vide", "format", "introuvable"]


def test_tabular_csv_and_parquet_are_read(tmp_path: Path) -> None:
    csv_path = FIXTURES / "tabular" / "decp_2024H2_travaux_cpv4521_filtered.csv"
    report = import_files([csv_path], keep_contracts=True, limit=0)
    assert report.records == 8957
    assert len({(c.buyer_id, c.id) for c in report.contracts}) == len(report.contracts)
    parquet = tmp_path / "decp.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_csv_auto('{csv_path}', all_varchar=true)) TO '{parquet}'")
    again = import_files([parquet], limit=0)
    assert again.records == 8957
    assert (
        again.as_dict()["doublons_dans_un_fichier"] == report.as_dict()["doublons_dans_un_fichier"]
    )


def test_messy_values_are_normalised_and_reported() -> None:
    records = [
        normalise(r) for r in DecpFile(FIXTURES / "messy" / "decp-processing_test_2022.json")
    ]
    first = records[0]
    assert first.duration_months is None  # "NC"
    codes = {i.code for i in first.issues}
    assert {"format", "siret_fictif", "valeur_impossible"} <= codes
    paths = {i.path for i in first.issues}
    assert "dureeMois" in paths and "offresRecues" in paths
    legacy = [normalise(r) for r in DecpFile(FIXTURES / "messy" / "decp-processing_test_2019.json")]
    # modifications[].titulaires as a list of lists: flattened, still read
    assert any(m.suppliers for c in legacy for m in c.modifications)


def test_timezone_dates_and_check_digits_are_normalised() -> None:
    record = dict(
        RECORD, dateNotification="2018-12-17+01:00", codeCPV="50700000-2", montant="7789456.56"
    )

    contract = normalise(RawRecord("f.json", 0, "1.5", "marche", record, "marches[0]"))
    assert str(contract.notified_on) == "2018-12-17"
    assert contract.cpv == "50700000"
    assert str(contract.amount) == "7789456.56"
    assert "montant_texte" in {i.code for i in contract.issues}


def _pes_record(name: str, source: str | None = "data.gouv.fr_pes") -> dict[str, object]:
    record: dict[str, object] = {
        "id": "2019-001",
        "acheteur": {"id": "21350238800019", "nom": name},
        "objet": "Travaux de voirie",
        "titulaires": [
            {"typeIdentifiant": "SIRET", "id": "38024392300089", "denominationSociale": name}
        ],
    }
    if source is not None:
        record["source"] = source
    return record


def test_pes_names_of_exactly_38_characters_are_flagged_as_cut() -> None:
    def cut(record: dict[str, object], file: str = "decp.json") -> list[str]:
        raw = RawRecord(file, 0, "1.5", "marche", record, "marches[0]")
        return [i.path for i in normalise(raw).issues if i.code == "texte_tronque"]

    both = ["acheteur.nom", "titulaires[0].denominationSociale"]
    assert cut(_pes_record("C" * 38)) == both
    assert cut(_pes_record("SM d'elimination des dechets menagers ")) == both  # blank kept
    assert cut(_pes_record("C" * 37)) == [] and cut(_pes_record("C" * 39)) == []
    assert cut(_pes_record("C" * 38, "marches-publics.info")) == []  # other sources: whole names
    assert cut(_pes_record("C" * 38, None), "data.gouv.fr_pes.json") == both
    assert cut(_pes_record("C" * 38, None), "espes.json") == []
