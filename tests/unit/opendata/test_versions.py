"""Tabular rows folded into contracts with their modifications: co-holders are not duplicates,
each change of amount or duration between versions is a modification, and the amendment flags
then say on tabular input exactly what they say on the same contracts published as JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import duckdb

from openamo.opendata.audit import audit_contracts
from openamo.opendata.columnar import import_tabular
from openamo.opendata.importer import import_files
from openamo.opendata.versions import contract_of_rows, stored_rows
from tests.unit.opendata.test_columnar import (
    BUYER,
    SUPPLIER,
    TODAY,
    assert_same,
    both,
    flag_counts,
    row,
    write_csv,
)

OTHER = "78471226700060"
WORKS_CPV = "45210000"
AMENDMENT_FLAGS = (
    "derive_faible_montant",
    "modification_plus_50",
    "cumul_plus_50",
    "modification_seuil_europeen",
    "augmentation_significative",
    "modifications_nombreuses",
    "modification_precoce",
    "publication_tardive",
)


def version(
    name: str, notified: str, amount: str, *, published: str | None = None, **values: str
) -> dict[str, str]:
    """One row: contract ``name`` (services, 12 months) as of its version notified ``notified``."""
    day = dt.date.fromisoformat(notified)
    return row(
        0,
        **{
            "id": name,
            "objet": f"Marché {name}",
            "montant": amount,
            "dateNotification": notified,
            "datePublicationDonnees": published or (day + dt.timedelta(days=7)).isoformat(),
            "modification_id": "",
            **values,
        },
    )


# (contract, notification of each version, amount of each version): services of 100 000 €
# notified on 1 March 2024, then modified.
ROWS = [
    version("C10", "2024-03-01", "100000"),
    version("C10", "2024-06-03", "105000"),
    version("C10", "2024-09-02", "110000"),  # cumulated +10 %: no longer « inférieur à 10 % »
    version("C999", "2024-03-01", "100000"),
    version("C999", "2024-06-03", "109999.99"),  # +9.9999 %
    version("C1001", "2024-03-01", "100000"),
    version("C1001", "2024-06-03", "105000"),
    version("C1001", "2024-09-02", "110010"),  # +10.01 %
    # two co-holders at each version: one modification (+4 %), not two, and no duplicate
    version("COT", "2024-03-01", "100000"),
    version("COT", "2024-03-01", "100000", titulaire_id=OTHER, titulaire_nom="SARL Autre"),
    version("COT", "2024-06-03", "104000"),
    version("COT", "2024-06-03", "104000", titulaire_id=OTHER, titulaire_nom="SARL Autre"),
    # the same state republished (same titulaire, same date): a true duplicate
    version("DUP", "2024-03-01", "100000", published="2024-03-10", objet="Première publication"),
    version("DUP", "2024-03-01", "100000", published="2024-03-20", objet="Republication"),
    # a later version changing neither amount nor duration: no modification
    version("SAME", "2024-03-01", "100000"),
    version("SAME", "2024-06-03", "100000", objet="Avenant de transfert"),
    # the duration alone changes: a modification without a new amount
    version("DUREE", "2024-03-01", "100000"),
    version("DUREE", "2024-06-03", "100000", dureeMois="18"),
    # modification_id gives the rank even when both rows carry the initial notification date
    version("MID", "2024-03-01", "100000", modification_id="0"),
    version("MID", "2024-03-01", "160000", modification_id="1"),  # +60 %, the same day
    # works: the cap is 15 %
    version("TRAV", "2024-03-01", "100000", codeCPV=WORKS_CPV, type="Travaux"),
    version("TRAV", "2024-06-03", "115000", codeCPV=WORKS_CPV, type="Travaux"),
]
# Counted by hand from the rows above.
CONTRACTS = 9
DUPLICATES = 1  # DUP
CO_HOLDERS = 2  # COT, at each of its two versions
LATER_VERSIONS = 10  # C10 2, C999 1, C1001 2, COT 1, SAME 1, DUREE 1, MID 1, TRAV 1
MODIFIED = 7  # all but DUP and SAME
MODIFICATIONS = 9


def shuffled(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The rows in an order that groups neither contracts nor versions."""
    return rows[1::2][::-1] + rows[::2]


def json_twin(name: str, amounts: list[str], months: list[str] | None = None) -> dict[str, Any]:
    """The same contract as a v1.5 JSON record with its modifications."""
    days = ["2024-03-01", "2024-06-03", "2024-09-02"]
    months = months or ["12"] * len(amounts)
    works = name == "TRAV"
    modifications = []
    for position in range(1, len(amounts)):
        change: dict[str, Any] = {
            "objetModification": "avenant",
            "dateNotificationModification": days[position],
            "datePublicationDonneesModification": (
                dt.date.fromisoformat(days[position]) + dt.timedelta(days=7)
            ).isoformat(),
        }
        if amounts[position] != amounts[position - 1]:
            change["montant"] = float(amounts[position])
        if months[position] != months[position - 1]:
            change["dureeMois"] = int(months[position])
        modifications.append(change)
    return {
        "_type": "Marché",
        "id": name,
        "uid": BUYER + name,
        "acheteur": {"id": BUYER, "nom": "Commune d'Exemple"},
        "nature": "Marché",
        "objet": f"Marché {name}",
        "codeCPV": WORKS_CPV if works else "77310000",
        "procedure": "Procédure adaptée",
        "lieuExecution": {"code": "74", "typeCode": "Code département", "nom": "Haute-Savoie"},
        "dureeMois": int(months[0]),
        "dateNotification": "2024-03-01",
        "datePublicationDonnees": "2024-03-08",
        "montant": float(amounts[0]),
        "formePrix": "Ferme",
        "titulaires": [{"typeIdentifiant": "SIRET", "id": SUPPLIER, "denominationSociale": "SA"}],
        "modifications": modifications,
    }


def amendment_cases(report: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """Per amendment flag: (uid, explanation) of each case."""
    return {
        flag["code"]: [
            (case["enregistrements"][0]["uid"], case["explication"]) for case in flag["cas"]
        ]
        for flag in report["alertes"]
        if flag["code"] in AMENDMENT_FLAGS
    }


def test_rows_fold_into_contracts_with_their_modifications(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "versions.csv", shuffled(ROWS))
    report = import_files([path], keep_contracts=True, limit=0)
    summary = report.as_dict()
    assert summary["enregistrements_lus"] == len(ROWS) == 22
    assert summary["contrats_distincts"] == len(report.contracts) == CONTRACTS
    assert summary["doublons_dans_un_fichier"] == DUPLICATES
    assert summary["fichiers"][0]["lignes_de_cotitulaires"] == CO_HOLDERS
    assert summary["fichiers"][0]["lignes_de_versions"] == LATER_VERSIONS
    assert (summary["avec_modifications"], summary["modifications"]) == (MODIFIED, MODIFICATIONS)
    contracts = {contract.id: contract for contract in report.contracts}
    assert [str(m.amount) for m in contracts["C10"].modifications] == ["105000", "110000"]
    assert [m.notified_on for m in contracts["C10"].modifications] == [
        dt.date(2024, 6, 3),
        dt.date(2024, 9, 2),
    ]
    assert contracts["C10"].modifications[1].published_on == dt.date(2024, 9, 9)
    assert [p.id for p in contracts["COT"].suppliers] == [SUPPLIER, OTHER]
    assert len(contracts["COT"].modifications) == 1
    assert contracts["DUP"].object == "Republication"  # the latest publication is kept
    assert contracts["SAME"].modifications == []
    (duration,) = contracts["DUREE"].modifications
    assert (duration.amount, duration.duration_months) == (None, 18)
    assert [str(m.amount) for m in contracts["MID"].modifications] == ["160000"]


def test_the_order_of_the_rows_changes_nothing(tmp_path: Path) -> None:
    ordered = import_files([write_csv(tmp_path / "a.csv", ROWS)], limit=0).as_dict()
    mixed = import_files([write_csv(tmp_path / "a.csv", shuffled(ROWS))], limit=0).as_dict()
    assert mixed == ordered


def test_amendment_flags_on_tabular_rows_are_those_of_the_same_json_records(
    tmp_path: Path,
) -> None:
    tabular = write_csv(tmp_path / "versions.csv", shuffled(ROWS))
    imported = import_files([tabular], keep_contracts=True, limit=0)
    from_rows = audit_contracts(
        imported.contracts, records_read=imported.records, today=TODAY
    ).as_dict()
    twins = [
        json_twin("C10", ["100000", "105000", "110000"]),
        json_twin("C999", ["100000", "109999.99"]),
        json_twin("C1001", ["100000", "105000", "110010"]),
        json_twin("COT", ["100000", "104000"]),
        json_twin("DUREE", ["100000", "100000"], ["12", "18"]),
        json_twin("TRAV", ["100000", "115000"]),
    ]
    document = tmp_path / "versions.json"
    document.write_text(json.dumps({"marches": twins}), "utf-8")
    from_json_import = import_files([document], keep_contracts=True, limit=0)
    from_json = audit_contracts(
        from_json_import.contracts, records_read=from_json_import.records, today=TODAY
    ).as_dict()
    rows_cases = amendment_cases(from_rows)
    assert len(amendment_cases(from_json)["derive_faible_montant"]) == 3  # C10, C1001, TRAV
    without_twin = {BUYER + name for name in ("MID", "DUP", "SAME")}
    for code, cases in amendment_cases(from_json).items():
        twinned = [case for case in rows_cases[code] if case[0] not in without_twin]
        assert sorted(twinned) == sorted(cases), code
    drift = {uid[len(BUYER) :] for uid, _ in rows_cases["derive_faible_montant"]}
    # +10 % and +10.01 % for services, +15 % for works, +60 % (MID); not +9.9999 % nor +4 %
    assert drift == {"C10", "C1001", "TRAV", "MID"}
    assert [uid for uid, _ in rows_cases["modification_plus_50"]] == [BUYER + "MID"]
    assert [uid for uid, _ in rows_cases["modification_precoce"]] == [BUYER + "MID"]
    assert rows_cases["cumul_plus_50"] == []


def test_the_columnar_path_folds_versions_as_the_per_record_path(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "versions.csv", shuffled(ROWS))
    per_record, columnar = both([path])
    assert_same(per_record, columnar)
    assert columnar["contrats_audites"] == CONTRACTS
    assert columnar["import"]["modifications"] == MODIFICATIONS
    assert flag_counts(columnar)["derive_faible_montant"] == 4
    imported = import_tabular([path], limit=0).as_dict()
    assert imported["doublons_dans_un_fichier"] == DUPLICATES
    assert imported["fichiers"][0]["lignes_de_cotitulaires"] == CO_HOLDERS
    assert imported["fichiers"][0]["lignes_de_versions"] == LATER_VERSIONS


def test_versions_split_across_files_and_parquet_with_typed_modification_ids(
    tmp_path: Path,
) -> None:
    first = write_csv(tmp_path / "a.csv", ROWS[:11], delimiter=";")
    second = write_csv(tmp_path / "b.csv", ROWS[9:])  # rows 9 and 10 in both files
    parquet = tmp_path / "b.parquet"
    duckdb.execute(
        f"COPY (SELECT * REPLACE (try_cast(modification_id AS INTEGER) AS modification_id) "
        f"FROM read_csv('{second}', all_varchar = true)) TO '{parquet}'"
    )
    for paths in ([first, second], [first, parquet]):
        per_record, columnar = both(paths)
        assert_same(per_record, columnar)
        assert columnar["import"]["doublons_entre_fichiers"] == 2
        assert columnar["contrats_audites"] == CONTRACTS
        assert columnar["import"]["modifications"] == MODIFICATIONS


def test_modifications_are_published_late_on_their_own_date(tmp_path: Path) -> None:
    rows = [
        version("LATE", "2024-03-01", "100000"),
        version("LATE", "2024-06-03", "101000", published="2024-08-04"),  # 2 months + 1 day
        version("ONTIME", "2024-03-01", "100000"),
        version("ONTIME", "2024-06-03", "101000", published="2024-08-03"),
    ]
    per_record, columnar = both([write_csv(tmp_path / "retard.csv", rows)])
    assert_same(per_record, columnar)
    (flag,) = [f for f in columnar["alertes"] if f["code"] == "publication_tardive"]
    assert flag["nombre"] == 1
    assert flag["cas"][0]["enregistrements"][0]["uid"] == BUYER + "LATE"
    assert "modification n° 1 notifiée le 03/06/2024" in flag["cas"][0]["explication"]


def test_rows_kept_together_fold_into_the_same_contract(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "versions.csv", ROWS)
    imported = import_files([path], keep_contracts=True, limit=0)
    rows = [(f"ligne {n + 2}", line) for n, line in enumerate(ROWS) if line["id"] == "COT"]
    lines = stored_rows([*rows, rows[0]])  # a row met again is kept once
    assert [line["position"] for line in lines] == ["ligne 10", "ligne 11", "ligne 12", "ligne 13"]
    (expected,) = [c for c in imported.contracts if c.id == "COT"]
    found = contract_of_rows("versions.csv", lines)
    assert (found.amount, found.suppliers, found.modifications) == (
        expected.amount,
        expected.suppliers,
        expected.modifications,
    )


def test_a_kept_row_without_titulaire_takes_that_of_its_co_holder(tmp_path: Path) -> None:
    rows = [
        version("VIDE", "2024-03-01", "100000", titulaire_id=OTHER, titulaire_nom="SARL Autre"),
        version("VIDE", "2024-03-01", "100000", published="2024-03-20", titulaire_id=""),
    ]
    per_record, columnar = both([write_csv(tmp_path / "vide.csv", rows)])
    assert_same(per_record, columnar)
    (supplier,) = columnar["chiffres"]["par_titulaire"]
    assert (supplier["cle"], supplier["nom"]) == (OTHER, "SARL Autre")
