from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from openamo.errors import OpenAMOError
from openamo.pricing.indices import BadLine, bad_lines, canonical_series, read_index_series

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "indices"


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_an_insee_bdm_export_skips_its_title_lines_and_sorts_the_newest_first_values() -> None:
    series = read_index_series(read("insee_bdm_bt01.csv"), "BT01")
    assert series.count == 7
    assert series.skipped_title_lines == 4
    assert list(series.values) == sorted(series.values)
    assert series.values["2025-01"] == Decimal("130.0")
    assert series.last_period == "2025-07"
    assert series.provisional == ["2025-07"]
    assert any("provisoires" in w for w in series.warnings)


def test_a_spreadsheet_with_tabs_french_months_and_a_blank_line() -> None:
    series = read_index_series(read("tableur_tabulation.tsv"), "ICHT")
    assert series.separator == "tabulation"
    assert series.values == {
        "2025-01": Decimal("104.2"),
        "2025-02": Decimal("104.9"),
        "2025-03": Decimal("105.3"),
        "2025-04": Decimal("105.8"),
    }


def test_an_iso_8859_1_file_with_unquoted_decimal_commas() -> None:
    series = read_index_series(read("latin1_virgules.csv"), "IPC")
    assert series.encoding.startswith("Windows-1252")
    assert series.values["2024-02"] == Decimal("118.9")
    assert series.values["2024-03"] == Decimal("119.4")
    assert len([w for w in series.warnings if "Virgule décimale" in w]) == 1


def test_every_bad_line_is_listed_and_nothing_is_imported() -> None:
    with pytest.raises(OpenAMOError) as raised:
        read_index_series(read("bad_valeurs_invalides.csv"), "X")
    lines = raised.value.as_dict()["lines"]
    assert [(e["line"], e["field"]) for e in lines] == [
        (3, "valeur"),
        (5, "valeur"),
        (6, "période"),
    ]
    assert "rien n'a été importé" in raised.value.message
    typed = bad_lines(raised.value)
    assert [(b.line, b.column) for b in typed] == [(3, "valeur"), (5, "valeur"), (6, "période")]
    assert all(isinstance(b, BadLine) and b.message for b in typed)


def test_an_error_that_is_not_about_lines_lists_no_bad_line() -> None:
    assert bad_lines(OpenAMOError("Fichier vide.")) == []


def test_a_line_that_is_not_a_period_after_the_data_started_is_an_error() -> None:
    content = b"2025-01;100\nTotal;200\n"
    with pytest.raises(OpenAMOError) as raised:
        read_index_series(content, "X")
    assert raised.value.as_dict()["lines"] == [
        {"line": 2, "field": "période", "message": "période illisible « Total »"}
    ]


def test_a_missing_value_is_skipped_with_a_warning_and_a_repeated_equal_value_is_accepted() -> None:
    series = read_index_series(b"2025-01;100\n2025-02;\n2025-01;100,0\n", "X")
    assert series.values == {"2025-01": Decimal("100")}
    assert any("pas de valeur pour 2025-02" in w for w in series.warnings)


def test_a_file_without_any_value_is_refused() -> None:
    with pytest.raises(OpenAMOError, match="Aucune valeur"):
        read_index_series(b"Titre\nAutre titre\n", "X")


def test_series_keys_given_in_json_are_canonicalised() -> None:
    assert canonical_series({"01/2025": Decimal(1), "2025-02": Decimal(2)}) == {
        "2025-01": Decimal(1),
        "2025-02": Decimal(2),
    }
    with pytest.raises(OpenAMOError, match="Période illisible"):
        canonical_series({"hier": Decimal(1)})
