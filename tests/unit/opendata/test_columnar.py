"""The column-wise path gives, on tabular files, exactly what the per-record path gives: the same
counts of every check and flag, the same records listed with the same French explanations, the
same figures — on the real 2024 sample and on hand-made rows at each boundary."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from openamo.opendata.audit import audit_contracts
from openamo.opendata.columnar import (
    COLUMNS,
    ColumnarUnavailable,
    audit_tabular,
    import_tabular,
    tabular,
)
from openamo.opendata.importer import import_files

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "decp"
REAL = FIXTURES / "tabular" / "decp_2024H2_travaux_cpv4521_filtered.csv"
TODAY = dt.date(2026, 12, 3)
BUYER = "20006258600157"
STATE_BUYER = "11000201100044"
SUPPLIER = "38024392300089"
HEADER = list(COLUMNS)


def row(number: int, **values: str) -> dict[str, str]:
    base = {
        "id": f"2024-{number:03d}",
        "nature": "Marché",
        "acheteur_id": BUYER,
        "acheteur_nom": "Commune d'Exemple",
        "titulaire_id": SUPPLIER,
        "titulaire_typeIdentifiant": "SIRET",
        "titulaire_nom": "SA Exemple",
        "objet": f"Prestations {number}",
        "montant": "100000",
        "type": "Services",
        "codeCPV": "77310000",
        "procedure": "Procédure adaptée",
        "techniques": "",
        "dureeMois": "12",
        "offresRecues": "3",
        "dateNotification": "2024-06-03",
        "datePublicationDonnees": "2024-06-10",
    }
    base.update(values)
    base["uid"] = base["acheteur_id"] + base["id"]
    return base


# Each row sits on one side of one boundary (law of 2024: dispense 40 000 € for supplies and
# services, 100 000 € for works since 2025, EU 221 000 € / 143 000 € for the State, 5 538 000 €).
BOUNDARY_ROWS = [
    row(1),
    row(2, montant="36000"),  # exactly 90 % of 40 000: just under
    row(3, montant="35999.99"),  # below the band
    row(4, montant="40000"),  # at the threshold: not under it
    row(5, montant="39999,99"),  # French decimal comma, just under
    row(6, acheteur_id=STATE_BUYER, montant="128700"),  # 90 % of the State's 143 000 €
    row(7, montant="198900"),  # 90 % of 221 000 €
    row(8, montant="0"),
    row(9, montant="-5"),
    row(10, montant="10000000000"),  # placeholder
    row(11, montant="NaN"),
    row(12, montant="douze"),
    row(13, montant=""),
    row(14, montant="1e5"),
    row(15, acheteur_id="20006258600158"),  # Luhn key wrong
    row(16, acheteur_id="1234567890123"),  # 13 digits
    row(17, acheteur_id="12345678900023"),  # dummy
    row(18, acheteur_id="11111111111111"),  # dummy
    row(19, acheteur_id="35600000000048"),  # La Poste head office: Luhn
    row(20, acheteur_id="35600000012345"),  # La Poste establishment: digit sum by 5
    row(21, acheteur_id="35600000012346"),
    row(22, acheteur_id=""),
    row(23, titulaire_id="4781914061"),  # 10 digits
    row(24, titulaire_id="ABC", titulaire_typeIdentifiant="TVA"),  # not a SIRET: not checked
    row(25, titulaire_id=""),
    row(26, codeCPV="77310000-6"),
    row(27, codeCPV="7731"),
    row(28, codeCPV=""),
    row(29, codeCPV="77 31 00 00"),
    row(30, dateNotification="2024-06-03+02:00"),
    row(31, dateNotification="03/06/2024"),
    row(32, dateNotification=""),
    row(33, dateNotification="1989-12-31"),
    row(34, dateNotification="2024-02-30"),
    row(35, dateNotification="20240603"),
    row(36, datePublicationDonnees="2024-08-03"),  # exactly two months: in time
    row(37, datePublicationDonnees="2024-08-04"),  # one day late
    row(38, dateNotification="2024-12-31", datePublicationDonnees="2025-02-28"),  # end of month
    row(39, dateNotification="2024-12-31", datePublicationDonnees="2025-03-01"),
    row(40, datePublicationDonnees="2024-06-02"),  # published before notification
    row(41, datePublicationDonnees=""),
    row(42, dureeMois="NC"),
    row(43, dureeMois="0"),
    row(44, dureeMois="1201"),
    row(45, dureeMois=" 12 "),
    row(46, nature="Accord-cadre", dureeMois="48"),
    row(47, nature="Accord-cadre", dureeMois="49"),
    row(48, techniques="Accord-cadre|Catalogue électronique", dureeMois="60"),
    row(49, offresRecues="1", procedure="Appel d'offres ouvert", montant="500000"),
    row(50, offresRecues="1"),  # single offer in an adapted procedure: no flag
    row(51, offresRecues="0"),
    row(52, offresRecues="3.0"),
    row(53, procedure="Procédure concurrentielle avec négociation"),
    row(54, procedure="Procédure négociée avec mise en concurrence préalable", offresRecues="1"),
    row(55, procedure="Marché négocié sans publicité ni mise en concurrence préalable"),
    row(56, procedure="Procédure inventée"),
    row(57, procedure=""),
    row(58, procedure="Appel d’offres ouvert", offresRecues="1"),  # typographic apostrophe
    row(59, type="Travaux", codeCPV="77310000"),  # works label, CPV of services
    row(60, type="Travaux", codeCPV="45210000", dateNotification="2025-03-01", montant="90000"),
    row(61, type="Travaux", codeCPV="45210000", dateNotification="2025-03-01", montant="89999"),
    # repeated dispense with one supplier over twelve months, and splitting
    *[
        row(
            70 + i,
            procedure="Marché passé sans publicité ni mise en concurrence préalable",
            montant="30000",
            codeCPV="79340000",
            titulaire_id="78471226700060",
            dateNotification=f"2024-0{i + 1}-15",
            datePublicationDonnees=f"2024-0{i + 1}-20",
        )
        for i in range(4)
    ],
    # duplicates: the same contract republished, the latest publication kept
    row(90, objet="Première version", datePublicationDonnees="2024-06-10"),
    row(90, objet="Version republiée", datePublicationDonnees="2024-06-20"),
    row(90, objet="Version intermédiaire", datePublicationDonnees="2024-06-15"),
    row(91, datePublicationDonnees=""),
    row(91, datePublicationDonnees=""),
]


def write_csv(path: Path, rows: list[dict[str, str]], delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def both(paths: list[Path], limit: int = 1000) -> tuple[dict[str, Any], dict[str, Any]]:
    """(per-record, column-wise) audit reports as dicts, on the same files."""
    imported = import_files(paths, keep_contracts=True, limit=0)
    summary = imported.as_dict()
    summary.pop("enregistrements_en_defaut")
    per_record = audit_contracts(
        imported.contracts,
        records_read=imported.records,
        import_summary=summary,
        limit=limit,
        today=TODAY,
    ).as_dict()
    columnar = audit_tabular(paths, limit=limit, today=TODAY).as_dict()
    return per_record, columnar


def assert_same(per_record: dict[str, Any], columnar: dict[str, Any]) -> None:
    assert columnar["enregistrements_lus"] == per_record["enregistrements_lus"]
    assert columnar["contrats_audites"] == per_record["contrats_audites"]
    assert columnar["import"] == per_record["import"]
    for expected, found in zip(per_record["alertes"], columnar["alertes"], strict=True):
        assert found == expected, expected["code"]
    assert columnar["chiffres"] == per_record["chiffres"]


def flag_counts(report: dict[str, Any]) -> dict[str, int]:
    return {flag["code"]: flag["nombre"] for flag in report["alertes"] if flag["nombre"]}


def real_versions() -> tuple[int, int, int, int]:
    """(co-holder rows, later-version rows, contracts modified, modifications) of the real
    sample, counted here with the csv module: a uid's versions are its notification dates, a
    version's amount and duration those of its last row read (the file has no publication
    date), a modification each change of either against the last version."""
    versions: dict[str, dict[str, tuple[str, str]]] = {}
    holders: set[tuple[str, str, str]] = set()
    with REAL.open(encoding="utf-8", newline="") as handle:
        for line in csv.DictReader(handle):
            key = (line["acheteur_id"].strip(), line["id"].strip())
            uid = "|".join(key)
            versions.setdefault(uid, {})[line["dateNotification"]] = (
                line["montant"],
                line["dureeMois"],
            )
            holders.add((uid, line["dateNotification"], line["titulaire_id"]))
    states = sum(len(dates) for dates in versions.values())
    modified = modifications = 0
    for dates in versions.values():
        ordered = [dates[day] for day in sorted(dates)]
        changes = 0
        amount, months = ordered[0]
        for new_amount, new_months in ordered[1:]:
            changed = (new_amount and amount and Decimal(new_amount) != Decimal(amount)) or (
                new_months and months and int(new_months) != int(months)
            )
            changes += bool(changed)
            amount, months = new_amount or amount, new_months or months
        modified += bool(changes)
        modifications += changes
    return len(holders) - states, states - len(versions), modified, modifications


def test_the_real_2024_sample_gives_the_same_report_both_ways() -> None:
    per_record, columnar = both([REAL], limit=100)
    assert_same(per_record, columnar)
    assert columnar["enregistrements_lus"] == 8957
    assert columnar["contrats_audites"] == 5180  # PROVENANCE.md: 5 180 distinct uid
    imported = columnar["import"]
    # No row repeats the titulaire and the date of another: the 3 777 rows beyond the 5 180
    # contracts are co-holders and later versions, not duplicates.
    assert imported["doublons_dans_un_fichier"] == 0
    co_holders, later, modified, modifications = real_versions()
    assert (co_holders, later) == (1897, 1880)
    assert co_holders + later == 8957 - 5180
    assert imported["fichiers"][0]["lignes_de_cotitulaires"] == co_holders
    assert imported["fichiers"][0]["lignes_de_versions"] == later
    assert (imported["avec_modifications"], imported["modifications"]) == (modified, modifications)
    flags = flag_counts(columnar)
    assert flags["derive_faible_montant"] > 0 and flags["modifications_nombreuses"] > 0


def test_clusters_past_the_limit_are_counted_in_sql_the_same_as_listed_one_by_one() -> None:
    # With 3 cases listed, the 17 splitting clusters of the real sample are counted (and their
    # 403 distinct records) by DuckDB without building them, the per-record path by listing all.
    per_record, columnar = both([REAL], limit=3)
    assert_same(per_record, columnar)
    splitting = next(flag for flag in columnar["alertes"] if flag["code"] == "saucissonnage")
    assert (splitting["nombre"], splitting["enregistrements_concernes"]) == (17, 403)
    assert (len(splitting["cas"]), splitting["cas_non_listes"]) == (3, 14)


def test_every_check_and_flag_at_its_boundary_the_same_both_ways(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bornes.csv", BOUNDARY_ROWS)
    per_record, columnar = both([path])
    assert_same(per_record, columnar)
    counts = columnar["import"]["problemes_par_type"]
    # Counted by hand from the rows above.
    assert counts == {
        "siret": 4,  # rows 15 (key), 16 (13 digits), 20 (La Poste), 23 (10 digits)
        "siret_fictif": 2,
        "champ_absent": 5,  # buyer, amount, CPV, notification date, procedure
        "montant_impossible": 4,  # 0, -5, placeholder, NaN
        "format": 6,  # douze, CPV 7731, 03/06/2024, 30 February, NC, 3.0
        "date_impossible": 1,
        "duree_impossible": 2,
        "valeur_impossible": 1,
        "ancien_vocabulaire": 3,
        "valeur_inconnue": 1,
        "incoherence": 1,
    }
    flags = flag_counts(columnar)
    assert flags["offre_unique"] == 3  # rows 49, 54 and 58 (formalised); not 50
    assert flags["accord_cadre_trop_long"] == 2  # 49 and 60 months; not 48
    assert flags["publication_tardive"] == 2  # one day after two months, end of month too
    assert flags["dispenses_repetees"] == 1
    near = {
        case["chiffres"]["montant"]
        for flag in columnar["alertes"]
        for case in flag["cas"]
        if flag["code"] == "juste_sous_seuil"
    }
    assert {"36000.00", "39999.99", "128700.00", "198900.00", "90000.00"} <= near
    assert not {"35999.99", "40000.00", "89999.00"} & near


def test_the_latest_publication_of_a_contract_is_kept(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "doublons.csv", BOUNDARY_ROWS)
    report = import_tabular([path], limit=0).as_dict()
    assert report["doublons_dans_un_fichier"] == 3
    per_record, columnar = both([path])
    assert per_record["contrats_audites"] == columnar["contrats_audites"] == len(BOUNDARY_ROWS) - 3


def test_duplicates_within_and_across_files_and_parquet(tmp_path: Path) -> None:
    first = write_csv(tmp_path / "a.csv", BOUNDARY_ROWS[:40], delimiter=";")
    second = write_csv(tmp_path / "b.csv", BOUNDARY_ROWS[30:])
    parquet = tmp_path / "b.parquet"
    duckdb.execute(f"COPY (SELECT * FROM read_csv('{second}', all_varchar = true)) TO '{parquet}'")
    for paths in ([first, second], [first, parquet]):
        per_record, columnar = both(paths)
        assert_same(per_record, columnar)
        assert columnar["import"]["doublons_entre_fichiers"] == 10


def test_faulty_records_are_listed_one_by_one_as_the_per_record_path_lists_them(
    tmp_path: Path,
) -> None:
    path = write_csv(tmp_path / "bornes.csv", BOUNDARY_ROWS)
    expected = import_files([path], limit=5).as_dict()
    found = import_tabular([path], limit=5).as_dict()
    assert found == expected
    assert found["enregistrements_en_defaut"][0]["position"] == "ligne 9"


def test_only_tabular_files_take_the_column_path(tmp_path: Path) -> None:
    assert tabular(REAL)
    assert not tabular(FIXTURES / "v1_2019" / "data.gouv.fr_pes.json")
    legacy = tmp_path / "ancien.csv"
    legacy.write_bytes("id;acheteur_id;objet\n1;20006258600157;Réfection\n".encode("cp1252"))
    assert not tabular(legacy)  # Windows-1252: the per-record path converts it
    other = write_csv(tmp_path / "autre.csv", [])
    other.write_text("a,b\n1,2\n", "utf-8")
    assert not tabular(other)
    with pytest.raises(ColumnarUnavailable):
        import_tabular([REAL, FIXTURES / "v1_2019" / "data.gouv.fr_pes.json"])


def test_amounts_on_both_sides_of_a_hundred_million_give_the_same_cents_both_ways(
    tmp_path: Path,
) -> None:
    # Cents are computed in 64 bits below 10^8 €, in 128 bits above: the figures must not see
    # where (sub-cent digits truncated, either sign).
    amounts = ["99999999.999", "100000000.005", "123456789.129", "9999999999.99", "-5.559"]
    rows = [row(number, montant=amount) for number, amount in enumerate(amounts, 1)]
    per_record, columnar = both([write_csv(tmp_path / "montants.csv", rows)])
    assert_same(per_record, columnar)
    (buyer,) = columnar["chiffres"]["par_acheteur"]
    assert buyer["montant_initial"] == "10323456783.55"  # 99999999.99 + … − 5.55, by hand


def test_texts_cut_at_the_source_are_listed_the_same_both_ways(tmp_path: Path) -> None:
    cut = "Travaux de voirie et réseaux divers " * 8
    rows = [
        row(1, objet=cut[:255]),  # a VARCHAR(255) column
        row(2, objet=cut[:254]),  # one short: a text of its own length
        row(3, acheteur_nom="Ministère " * 9 + "de la C..."),  # 100 characters ending « ... »
        row(4, acheteur_nom="Ministère " * 9 + "de la Cult"),  # 100 characters, no ellipsis
        row(5, objet=(cut * 4)[:1000]),  # the 2022 schema's maximum
    ]
    assert [len(r["objet"]) for r in rows[:2]] == [255, 254]
    assert len(rows[2]["acheteur_nom"]) == len(rows[3]["acheteur_nom"]) == 100
    path = write_csv(tmp_path / "cut.csv", rows)
    per_record, columnar = both([path])
    assert_same(per_record, columnar)
    assert columnar["textes_tronques"] == per_record["textes_tronques"]
    assert columnar["ambiguites"] == per_record["ambiguites"]
    found = columnar["textes_tronques"]
    assert (found["nombre"], found["cas_non_listes"]) == (3, 0)
    assert [r["uid"] for r in found["enregistrements"]] == [
        f"{BUYER}2024-{number:03d}" for number in (1, 3, 5)
    ]
    assert any("3 contrats ont un objet ou un nom d'acheteur" in a for a in columnar["ambiguites"])
    counts = import_tabular([path], limit=0).as_dict()["problemes_par_type"]
    assert counts["texte_tronque"] == 3
    assert both([path], limit=1)[1]["textes_tronques"]["cas_non_listes"] == 2
