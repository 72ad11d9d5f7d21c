"""Exports are checked against ma cantine's own Table Schemas, and re-import to the same ratios."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from openamo.catering import declaration_csv, import_purchases, parse_purchases, purchases_csv
from openamo.catering.enums import Family, Label
from openamo.catering.importer import ImportedPurchase
from openamo.catering.schemas import SCHEMAS_DIR, schema

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "egalim"
GOOD = sorted(p.name for p in FIXTURES.glob("achats_good_*"))


def check_against_table_schema(text: str, schema_file: str) -> list[dict[str, str]]:
    raw: dict[str, Any] = json.loads((SCHEMAS_DIR / schema_file).read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0].keys()) == [f["name"] for f in raw["fields"]]
    for row in rows:
        for field in raw["fields"]:
            value = row[field["name"]]
            constraints = field.get("constraints") or {}
            if constraints.get("required"):
                assert value.strip(), (field["name"], row)
            if value and "pattern" in constraints:
                assert re.fullmatch(constraints["pattern"], value), (field["name"], value)
            if value and field.get("type") == "number":
                Decimal(value)
            if value and field.get("type") == "date":
                date.fromisoformat(value)
            if value and field.get("type") == "boolean":
                assert value in field["trueValues"] + field["falseValues"], value
    return rows


@pytest.mark.parametrize("name", GOOD)
def test_the_purchase_export_satisfies_ma_cantine_schema_and_reimports_identically(
    name: str,
) -> None:
    original = import_purchases((FIXTURES / name).read_bytes())
    parsed = parse_purchases((FIXTURES / name).read_bytes())
    by_id = parsed.format == "achats_id"
    text = purchases_csv(parsed.purchases, by_id=by_id)
    check_against_table_schema(text, "achats_id.json" if by_id else "achats_siret.json")
    again = import_purchases(text.encode("utf-8"))
    assert again.total_ht == original.total_ht
    assert again.quality_sustainable_share == original.quality_sustainable_share
    assert again.organic_share == original.organic_share


def purchase(
    amount: str, family: Family, labels: tuple[Label, ...], day: date, **kw: Any
) -> ImportedPurchase:
    values: dict[str, Any] = {
        "line": 2, "establishment": "21010034300016", "description": "x", "supplier": "",
        "date": day, "amount_ht": Decimal(amount), "family": family, "labels": labels,
        "origin": None, "short_circuit": False, "local": False, "local_definition": None,
        "local_km": None,
    }  # fmt: skip
    return ImportedPurchase(**{**values, **kw})


def test_niveau_2_is_exported_as_hve_until_2026_and_dropped_afterwards() -> None:
    label = (Label.CERTIFICATION_ENVIRONNEMENTALE_NIVEAU_2,)
    rows = list(
        csv.DictReader(
            io.StringIO(
                purchases_csv(
                    [
                        purchase("10", Family.AUTRES, label, date(2026, 12, 31)),
                        purchase("10", Family.AUTRES, label, date(2027, 1, 1)),
                    ]
                )
            )
        )
    )
    assert [r["categories_egalim"] for r in rows] == ["HVE", ""]


def test_the_declaration_counts_each_purchase_once_in_ma_cantine_order() -> None:
    day = date(2026, 3, 1)
    purchases = [
        purchase("100", Family.VIANDES_VOLAILLES, (Label.LABEL_ROUGE, Label.BIO), day, origin=None),
        purchase("50", Family.PRODUITS_DE_LA_MER, (Label.PECHE_DURABLE,), day),
        purchase("30", Family.AUTRES, (Label.COMMERCE_EQUITABLE,), day),
        purchase("20", Family.AUTRES, (Label.EXTERNALITES,), day),
        purchase("200", Family.VIANDES_VOLAILLES, (), day),
        purchase("10", Family.CHARCUTERIE, (Label.IGP,), date(2025, 5, 1)),
    ]
    text = declaration_csv(purchases)
    rows = check_against_table_schema(text, "bilans_simple_siret.json")
    assert [r["année_bilan"] for r in rows] == ["2025", "2026"]
    year = rows[1]
    assert year["valeur_totale"] == "400.00"
    assert year["valeur_bio"] == "100.00"
    assert year["valeur_siqo"] == "0.00"
    assert year["valeur_egalim_autres"] == "80.00"
    assert year["valeur_egalim_autres_dont_commerce_equitable"] == "30.00"
    assert year["valeur_externalites_performance"] == "20.00"
    assert year["valeur_viandes_volailles"] == "300.00"
    assert year["valeur_viandes_volailles_egalim"] == "100.00"
    assert year["valeur_produits_de_la_mer_egalim"] == "50.00"
    assert rows[0]["valeur_siqo"] == "10.00"


def test_france_origin_in_the_declaration_follows_ma_cantine_yearly_rule() -> None:
    local = {"local": True}
    rows = list(
        csv.DictReader(
            io.StringIO(
                declaration_csv(
                    [
                        purchase("10", Family.AUTRES, (), date(2025, 3, 1), **local),
                        purchase("10", Family.AUTRES, (), date(2026, 3, 1), **local),
                    ]
                )
            )
        )
    )
    assert [r["valeur_autres_france"] for r in rows] == ["10.00", "0.00"]


def test_the_schemas_shipped_match_our_codes() -> None:
    table = schema("achats_siret")
    assert {f.value.upper() for f in Family} == set(table.enums["famille_produits"])
    assert {label.macantine_code for label in Label} == set(table.enums["categories_egalim"])
