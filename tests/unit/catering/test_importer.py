from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from openamo.catering import Label, import_purchases, parse_purchases
from openamo.catering.enums import Family, LocalDefinition, Origin
from openamo.errors import OpenAMOError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "egalim"


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


GOOD = sorted(p.name for p in FIXTURES.glob("achats_good_*"))
BAD = sorted(p.name for p in FIXTURES.glob("achats_bad_*"))


def test_there_are_good_and_bad_sample_files() -> None:
    assert len(GOOD) >= 8 and len(BAD) >= 5


@pytest.mark.parametrize("name", GOOD)
def test_every_good_file_imports_without_error(name: str) -> None:
    parsed = parse_purchases(read(name))
    assert parsed.errors == []
    assert parsed.purchases


@pytest.mark.parametrize("name", BAD)
def test_every_bad_file_is_refused_as_a_whole_with_line_numbers(name: str) -> None:
    with pytest.raises(OpenAMOError) as raised:
        import_purchases(read(name))
    lines = raised.value.as_dict()["lines"]
    assert lines and all({"line", "field", "message"} <= set(e) for e in lines)
    assert all(isinstance(e["line"], int) and e["line"] >= 1 for e in lines)


def test_padded_values_are_trimmed_and_x_means_yes() -> None:
    first = parse_purchases(read("achats_good_valeurs_a_rogner.csv")).purchases[0]
    assert first.family is Family.PRODUITS_LAITIERS
    assert first.supplier == "Le bon traiteur"
    assert first.description == "Pommes, rouges, local"
    assert first.local is True and first.local_definition is LocalDefinition.DEPARTEMENT
    assert first.amount_ht == Decimal("90.11")


def test_a_decimal_comma_inside_quotes_is_read() -> None:
    purchase = parse_purchases(read("achats_good_virgule_decimale.csv")).purchases[0]
    assert purchase.amount_ht == Decimal("90.11")


def test_semicolons_two_labels_in_one_cell_and_oui_non_booleans() -> None:
    parsed = parse_purchases(read("achats_good_point_virgule_2026.csv"))
    assert parsed.separator == "point-virgule"
    one, two = parsed.purchases
    assert one.labels == (Label.BIO, Label.COMMERCE_EQUITABLE)
    assert (one.origin, one.short_circuit, one.local) == (Origin.FRANCE, True, True)
    assert (two.origin, two.short_circuit, two.local) == (Origin.EUROPE, False, False)


def test_a_windows_1252_spreadsheet_export_with_french_conventions() -> None:
    parsed = parse_purchases(read("achats_good_excel_windows_1252.csv"))
    assert parsed.encoding.startswith("Windows-1252")
    assert [p.amount_ht for p in parsed.purchases] == [
        Decimal("1234.56"),
        Decimal("845.20"),
        Decimal("2310.00"),
        Decimal("312.40"),
    ]
    assert parsed.purchases[0].date == date(2025, 2, 3)
    assert parsed.purchases[0].description == "Yaourts fermiers à la vanille"
    assert parsed.purchases[2].labels == (Label.LABEL_ROUGE, Label.IGP)
    assert any("ordre différent" in w for w in parsed.warnings)


def test_tab_separated_file() -> None:
    parsed = parse_purchases(read("achats_good_tabulation.tsv"))
    assert parsed.separator == "tabulation" and len(parsed.purchases) == 1


def test_blank_lines_are_skipped_with_a_warning() -> None:
    parsed = parse_purchases(read("achats_good_lignes_vides.csv"))
    assert len(parsed.purchases) == 2
    assert any("lignes vides ignorées" in w for w in parsed.warnings)


def test_prices_are_rounded_to_the_cent_like_ma_cantine() -> None:
    parsed = parse_purchases(read("achats_good_prix_a_arrondir.csv"))
    assert parsed.purchases[0].amount_ht == Decimal("90.11")


def test_the_old_format_maps_its_characteristics() -> None:
    parsed = parse_purchases(read("achats_good_ancien_format_complet.csv"))
    assert parsed.format == "achats_ancien_format"
    first = parsed.purchases[0]
    assert first.labels == (Label.BIO,) and first.local is True
    assert any("AUTOUR_SERVICE" in w for w in parsed.warnings)


def test_ma_cantine_bad_file_lists_each_bad_line_in_french() -> None:
    with pytest.raises(OpenAMOError) as raised:
        import_purchases(read("achats_bad_lignes_invalides.csv"))
    by_line = {e["line"]: (e["field"], e["message"]) for e in raised.value.as_dict()["lines"]}
    assert by_line[2] == ("siret", "SIRET manquant")
    assert by_line[5][0] == "description"
    assert by_line[8] == ("date", "date « 2022-02-31 » inexistante")
    assert by_line[9][0] == "date"
    assert by_line[11][0] == "prix_ht"
    assert by_line[12][0] == "famille_produits"
    assert "NOPE" in by_line[13][1]
    assert by_line[15][0] == "(ligne)"
    assert 14 not in by_line  # local without definition is allowed by ma cantine


def test_partial_import_keeps_the_good_lines_and_reports_the_others() -> None:
    result = import_purchases(read("achats_bad_une_erreur.csv"), partial=True)
    assert result.purchases == 1
    assert [(e.line, e.field) for e in result.errors] == [(3, "prix_ht")]
    assert any("Import partiel" in w for w in result.warnings)


def test_an_unrecognised_header_is_one_clear_error() -> None:
    with pytest.raises(OpenAMOError, match="En-tête non reconnu"):
        import_purchases(read("achats_bad_fichier_corrompu.csv"))


def test_a_header_with_typos_names_every_unknown_column() -> None:
    with pytest.raises(OpenAMOError) as raised:
        import_purchases(read("achats_bad_entete_faute.csv"))
    fields = {e["field"] for e in raised.value.as_dict()["lines"]}
    assert {"s_iret", "prix ht"} <= fields


def test_field_level_errors_are_all_reported() -> None:
    with pytest.raises(OpenAMOError) as raised:
        import_purchases(read("achats_bad_champs_invalides_point_virgule.csv"))
    errors = [(e["line"], e["field"]) for e in raised.value.as_dict()["lines"]]
    assert (3, "categories_egalim") in errors
    assert (4, "prix_ht") in errors
    assert {(5, "origine"), (5, "est_circuit_court"), (5, "definition_local")} <= set(errors)
    assert (6, "definition_local_km") in errors
    assert 2 not in {line for line, _ in errors}


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(OpenAMOError, match="vide"):
        import_purchases(b"  \n")


def test_the_import_gives_the_ratios_of_the_file() -> None:
    result = import_purchases(read("achats_good_valeurs_a_rogner.csv"))
    assert result.purchases == 8
    assert result.total_ht == Decimal("6460.88")
    assert result.quality_sustainable_share == "0.4365"
    assert result.organic_share == "0.1548"
    assert result.establishments == ["21010034300016"]
    assert [y.year for y in result.by_year] == [2022]
    assert [m.month for m in result.by_month] == ["2022-05"]
