"""``amo egalim`` through the real entry point: ratios, import, export, forecast."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openamo.cli import main
from tests.e2e.cli._amo import amo
from tests.fuzz import never_a_traceback

FIXTURES = "tests/fixtures/egalim"

pytestmark = pytest.mark.e2e


def test_ratios_of_the_example_file() -> None:
    result = amo("egalim", "ratios", "examples/egalim_ratios.json", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["total_ht"] == "130907.70"
    assert payload["compliant"] == {"quality_50": True, "organic_20": True, "meat_fish_60": True}
    assert {"quality_sustainable_share", "organic_share", "meat_fish_quality_share"} <= set(payload)
    assert any("L230-5-1" in ref for ref in payload["references"])


def test_ratios_from_stdin_with_the_contract_fields_only() -> None:
    data = {
        "period": {"start": "2026-01-01", "end": "2026-12-31"},
        "purchases": [
            {"family": "viandes_volailles", "amount_ht": "600.00", "labels": ["label_rouge"]},
            {"family": "fruits_et_legumes", "amount_ht": "400.00", "labels": []},
        ],
    }
    result = amo("egalim", "ratios", "-", "--json", stdin=json.dumps(data))
    assert result.returncode == 0
    payload = json.loads(result.stdout)
    assert payload["quality_sustainable_share"] == "0.6000"
    assert payload["meat_fish_quality_share"] == "1.0000"


def test_import_of_the_example_purchase_file() -> None:
    result = amo("egalim", "import", "examples/egalim_achats.csv", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["purchases"] == 126
    assert payload["errors"] == []
    assert payload["total_ht"] == "92176.15"
    assert len(payload["by_month"]) == 11


def test_import_for_a_state_restaurant_overseas_uses_its_own_targets() -> None:
    result = amo(
        "egalim", "import", "examples/egalim_achats.csv", "--json",
        "--acheteur", "etat", "--territoire", "la_reunion",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["targets"] == {"quality": "0.20", "organic": "0.05", "meat_fish": "1.00"}
    assert payload["by_year"][0]["compliant"]["meat_fish_60"] is False
    refused = amo("egalim", "import", "examples/egalim_achats.csv", "--territoire", "corse")
    assert refused.returncode == 2
    assert "Valeur « corse » non reconnue pour --territoire" in refused.stderr


def test_import_of_a_bad_file_lists_every_bad_line_and_exits_2() -> None:
    result = amo("egalim", "import", f"{FIXTURES}/achats_bad_lignes_invalides.csv", "--json")
    assert result.returncode == 2
    error = json.loads(result.stdout)["error"]
    lines = sorted({line["line"] for line in error["lines"]})
    assert lines == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15]
    assert "rien n'a été importé" in error["message"]
    assert "ligne 2" in result.stderr
    assert "Traceback" not in result.stderr


def test_partial_import_on_request() -> None:
    result = amo(
        "egalim", "import", f"{FIXTURES}/achats_bad_lignes_invalides.csv", "--json", "--partial"
    )
    assert result.returncode == 0
    payload = json.loads(result.stdout)
    assert payload["purchases"] == 1
    assert len(payload["errors"]) == 13


def test_import_text_output() -> None:
    result = amo("egalim", "import", f"{FIXTURES}/achats_good_excel_windows_1252.csv")
    assert result.returncode == 0
    assert "4 achats importés" in result.stdout


def test_import_of_a_missing_file() -> None:
    result = amo("egalim", "import", "nope.csv", "--json")
    assert result.returncode == 2
    assert json.loads(result.stdout)["error"]["code"] == "file_not_found"


def test_export_rewrites_a_spreadsheet_in_ma_cantine_format() -> None:
    result = amo("egalim", "export", f"{FIXTURES}/achats_good_excel_windows_1252.csv")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("siret,description,fournisseur,date,prix_ht")
    assert "2025-02-03,1234.56,PRODUITS_LAITIERS,FERMIER,FRANCE,oui,oui,DEPARTEMENT" in lines[1]


def test_export_neutralises_spreadsheet_formulas_as_the_web_export_does(tmp_path: Path) -> None:
    source = tmp_path / "achats.csv"
    source.write_text(
        "siret,description,fournisseur,date,prix_ht,famille_produits\n"
        '21010034300016,"=HYPERLINK(""http://x"",""clic"")",@SUM(A1),2025-01-05,12.50,AUTRES\n'
        "21010034300016,-cmd|' /C calc'!A0,+Ferme,2025-01-06,3.00,AUTRES\n",
        encoding="utf-8",
    )
    result = amo("egalim", "export", str(source))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["description"] == '\'=HYPERLINK("http://x","clic")'
    assert rows[0]["fournisseur"] == "'@SUM(A1)" and rows[0]["prix_ht"] == "12.50"
    assert rows[1]["description"] == "'-cmd|' /C calc'!A0" and rows[1]["fournisseur"] == "'+Ferme"


def test_export_of_the_annual_declaration() -> None:
    result = amo("egalim", "export", "examples/egalim_achats.csv", "--format", "bilan")
    assert result.returncode == 0
    header, row = result.stdout.splitlines()
    assert header.startswith("siret,année_bilan,valeur_totale,valeur_bio")
    assert row.startswith("21010034300016,2025,92176.15,")


def test_export_of_a_bad_file_exits_2() -> None:
    result = amo("egalim", "export", f"{FIXTURES}/achats_bad_une_erreur.csv")
    assert result.returncode == 2
    assert "ligne 3" in result.stderr


def test_forecast_of_the_example_dqe() -> None:
    result = amo("egalim", "prevision", "examples/egalim_prevision.json", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["dqe_total_ht"] == "72370.00"
    assert any("environnementale de niveau 2" in w for w in payload["warnings"])


label = st.sampled_from(["bio", "label_rouge", "hve", "BIO", "msc", "", 3])
purchase = st.fixed_dictionaries(
    {},
    optional={
        "family": st.sampled_from(["viandes_volailles", "charcuterie", "AUTRES", "x", None]),
        "amount_ht": st.one_of(st.decimals(-5, 10**9, places=2).map(str), st.text(max_size=4), st.integers()),
        "labels": st.one_of(st.lists(label, max_size=4), st.text(max_size=3)),
        "is_meat_or_fish": st.one_of(st.booleans(), st.text(max_size=2)),
        "date": st.sampled_from(["2026-05-01", "2027-01-01", "2026-02-30", ""]),
    },
)  # fmt: skip
near_valid = st.fixed_dictionaries(
    {},
    optional={
        "period": st.fixed_dictionaries(
            {}, optional={"start": st.sampled_from(["2026-01-01", "2026-12-31", "x"]), "end": st.sampled_from(["2026-12-31", "2026-01-01"])}
        ),
        "purchases": st.lists(purchase, max_size=5),
    },
)  # fmt: skip


test_random_json_never_yields_a_traceback = never_a_traceback(["egalim", "ratios"], near_valid)


csv_lines = st.lists(
    st.lists(st.sampled_from(["21010034300016", "x", "2026-01-05", "05/01/2026", "12,5", "-3", "BIO", "AUTRES", "oui", "", '"', ";"]), max_size=12),
    max_size=6,
)  # fmt: skip


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=csv_lines,
    encoding=st.sampled_from(["utf-8", "latin-1"]),
    separator=st.sampled_from([",", ";", "\t"]),
)
def test_random_csv_files_never_yield_a_traceback(
    rows: list[list[str]], encoding: str, separator: str, tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    header = (
        "siret,description,fournisseur,date,prix_ht,famille_produits,categories_egalim".replace(
            ",", separator
        )
    )
    body = "\n".join(separator.join(row) for row in rows)
    path = tmp_path_factory.mktemp("csv") / "achats.csv"
    path.write_bytes(f"{header}\n{body}\n".encode(encoding, errors="replace"))
    code = main(["egalim", "import", str(path), "--json"])
    captured = capsys.readouterr()
    assert code in (0, 2), captured.err
    assert "Traceback" not in captured.err
    json.loads(captured.out)
