"""Exports shaped for ma cantine: the purchase file (``achats_siret`` / ``achats_id``) and the
simplified annual declaration (``bilans_simple_siret``), columns read from ``schemas/``.

Purchase export: ``,`` separator, ``.`` decimal point, UTF-8, codes in capitals, booleans
``oui``/``non`` (values ma cantine accepts). A label that no longer counts at the purchase date
is not exported (the certification environnementale de niveau 2 after 31/12/2026); before, it is
declared under HVE, as ma cantine asks.

Declaration export, per establishment and calendar year, with ma cantine's counting rules
(``data/models/purchase.py``): bio first, then SIQO without bio, then the other EGAlim labels
without bio and SIQO, then externalities/performance alone; meat and fish "EGAlim" = any label;
"France" = origin FRANCE (for 2025, ma cantine also counted short-circuit and local purchases).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import Decimal

from openamo.catering.enums import Category, Family, Label, Origin
from openamo.catering.importer import ImportedPurchase
from openamo.catering.ratios import Counted, LabelCalendar, count_purchase
from openamo.catering.schemas import schema
from openamo.errors import OpenAMOError
from openamo.spreadsheet import guard_formula

FRANCE_INCLUDES_LOCAL_YEARS = frozenset({2025})
"""Years for which ma cantine's declaration counted short-circuit and local purchases as France."""


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _csv(rows: list[list[str]]) -> str:
    """Every cell guarded: the file is opened in a spreadsheet before it is sent to ma cantine
    (a description such as « =HYPERLINK(…) » stays text; amounts stay numbers)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([[guard_formula(cell) for cell in row] for row in rows])
    return buffer.getvalue()


def _counting_labels(purchase: ImportedPurchase, calendar: LabelCalendar) -> list[Label]:
    return [label for label in purchase.labels if calendar.counts(label, purchase.date)]


def purchases_csv(purchases: list[ImportedPurchase], by_id: bool = False) -> str:
    """The purchases in ma cantine's current import format (one header, one line per purchase)."""
    table = schema("achats_id" if by_id else "achats_siret")
    calendar = LabelCalendar()
    rows = [list(table.columns)]
    for p in purchases:
        codes = list(dict.fromkeys(lab.macantine_code for lab in _counting_labels(p, calendar)))
        cells = {
            "siret": p.establishment,
            "cantine_id": p.establishment,
            "description": p.description,
            "fournisseur": p.supplier,
            "date": p.date.isoformat(),
            "prix_ht": _amount(p.amount_ht),
            "famille_produits": p.family.value.upper(),
            "categories_egalim": ",".join(codes),
            "origine": p.origin.value.upper() if p.origin else "",
            "est_circuit_court": "oui" if p.short_circuit else "non",
            "est_local": "oui" if p.local else "non",
            "definition_local": p.local_definition.value.upper() if p.local_definition else "",
            "definition_local_km": str(p.local_km) if p.local_km is not None else "",
        }
        rows.append([cells[c] for c in table.columns])
    return _csv(rows)


def _is_france(purchase: ImportedPurchase) -> bool:
    if purchase.origin is Origin.FRANCE:
        return True
    local_counts = purchase.date.year in FRANCE_INCLUDES_LOCAL_YEARS
    return local_counts and (purchase.short_circuit or purchase.local)


def _declaration(group: list[tuple[ImportedPurchase, Counted]]) -> dict[str, Decimal]:
    values: dict[str, Decimal] = defaultdict(Decimal)
    for purchase, item in group:
        amount = item.amount
        values["valeur_totale"] += amount
        fair = Label.COMMERCE_EQUITABLE in item.labels
        category = item.category
        if category is not Category.NON_EGALIM:
            key = {
                Category.BIO: "valeur_bio",
                Category.SIQO: "valeur_siqo",
                Category.EGALIM_AUTRES: "valeur_egalim_autres",
                Category.EXTERNALITES_PERFORMANCE: "valeur_externalites_performance",
            }[category]
            values[key] += amount
            if fair and category in {Category.BIO, Category.EGALIM_AUTRES}:
                values[f"{key}_dont_commerce_equitable"] += amount
        family = purchase.family.value
        if purchase.family in {Family.VIANDES_VOLAILLES, Family.PRODUITS_DE_LA_MER}:
            values[f"valeur_{family}"] += amount
            if item.labels:
                values[f"valeur_{family}_egalim"] += amount
        if _is_france(purchase):
            values[f"valeur_{family}_france"] += amount
    return values


def declaration_csv(purchases: list[ImportedPurchase]) -> str:
    """ma cantine's simplified annual declaration, one line per establishment and year."""
    if any(not p.establishment.isdigit() or len(p.establishment) != 14 for p in purchases):
        raise OpenAMOError(
            "Le bilan simplifié se déclare par SIRET : le fichier d'achats doit avoir une colonne "
            "« siret » (pas l'identifiant de cantine)."
        )
    table = schema("bilans_simple_siret")
    calendar = LabelCalendar()
    groups: dict[tuple[str, int], list[tuple[ImportedPurchase, Counted]]] = defaultdict(list)
    for p in purchases:
        item = count_purchase(p.family, p.amount_ht, p.labels, None, p.date, calendar)
        groups[(p.establishment, p.date.year)].append((p, item))
    rows = [list(table.columns)]
    for (establishment, year), group in sorted(groups.items()):
        values = _declaration(group)
        row = []
        for column in table.columns:
            if column == "siret":
                row.append(establishment)
            elif column == "année_bilan":
                row.append(str(year))
            else:
                row.append(_amount(values.get(column, Decimal(0))))
        rows.append(row)
    return _csv(rows)
