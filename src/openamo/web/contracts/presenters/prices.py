"""Price revisions: the terms, the index series and the revisions computed."""

from __future__ import annotations

from dataclasses import dataclass

from openamo.money import format_amount
from openamo.pricing.models import RevisionResult
from openamo.web.contracts import models as m
from openamo.web.contracts.access import ContractAccess
from openamo.web.contracts.presenters.labels import badge, contract_url, day, number, price
from openamo.web.tables import Cell, Table


@dataclass(frozen=True)
class TermFigures:
    """One term of a computed revision, in French figures (« 0,875 »)."""

    index: str | None
    weight: str
    base_period: str | None
    index_base: str
    current_period: str | None
    index_current: str
    ratio: str


@dataclass(frozen=True)
class DriftFigures:
    """The invoiced price against the one the formula allows, in French figures."""

    invoiced_price_ht: str
    allowed_price_ht: str
    difference_ht: str
    difference_percent: str
    alert: bool


@dataclass(frozen=True)
class RevisionFigures:
    """What the revision page shows of the domain's result: every figure in its domain
    decimals, with a French comma."""

    coefficient: str
    coefficient_rounding: str
    revised: str
    base: str
    fixed_part: str
    variation: str
    terms: list[TermFigures]
    drift: DriftFigures | None


def revision_figures(result: RevisionResult) -> RevisionFigures:
    drift = result.drift
    return RevisionFigures(
        coefficient=number(result.coefficient),
        coefficient_rounding=result.coefficient_rounding,
        revised=number(result.revised_price_ht),
        base=number(result.base_price_ht),
        fixed_part=number(result.fixed_part),
        variation=number(result.variation_percent),
        terms=[
            TermFigures(
                index=t.index,
                weight=number(t.weight),
                base_period=t.base_period,
                index_base=number(t.index_base),
                current_period=t.current_period,
                index_current=number(t.index_current),
                ratio=number(t.ratio),
            )
            for t in result.terms
        ],
        drift=None
        if drift is None
        else DriftFigures(
            invoiced_price_ht=number(format_amount(drift.invoiced_price_ht)),
            allowed_price_ht=number(drift.allowed_price_ht),
            difference_ht=number(format_amount(drift.difference_ht)),
            difference_percent=number(drift.difference_percent),
            alert=drift.alert,
        ),
    )


def terms_table(terms: list[m.RevisionTerm], access: ContractAccess) -> Table:
    header = ["Série", "Indice", "Poids bᵢ", "Période de base"]
    if access.can_edit:
        header.append("Actions")
    rows = []
    for term in terms:
        row: list[Cell] = [
            {"text": term.index_name},
            {"text": term.label or "—"},
            {"text": number(term.weight)},
            {"text": term.base_period},
        ]
        if access.can_edit:
            row.append(
                {
                    "links": [
                        {
                            "text": "Retirer",
                            "url": contract_url(term.contract, "term_delete", term.pk),
                            "label": f"terme {term.index_name}",
                        }
                    ]
                }
            )
        rows.append(row)
    return {"header": header, "rows": rows}


SHOWN_VALUES = 12


@dataclass(frozen=True)
class SeriesTable:
    name: str
    count: int
    first: str
    last: str
    table: Table


def series_tables(values: list[m.IndexValue]) -> list[SeriesTable]:
    """One table per series: its latest values (the most recent first)."""
    by_series: dict[str, list[m.IndexValue]] = {}
    for value in values:
        by_series.setdefault(value.series, []).append(value)
    tables = []
    for name, rows in sorted(by_series.items()):
        latest = sorted(rows, key=lambda v: v.period, reverse=True)[:SHOWN_VALUES]
        tables.append(
            SeriesTable(
                name=name,
                count=len(rows),
                first=min(v.period for v in rows),
                last=max(v.period for v in rows),
                table={
                    "header": ["Période", "Valeur", "Statut", "Origine"],
                    "rows": [
                        [
                            {"text": v.period},
                            {"text": number(v.value)},
                            {"text": "Provisoire" if v.provisional else "Définitive"},
                            {"text": v.get_source_display()},
                        ]
                        for v in latest
                    ],
                },
            )
        )
    return tables


def revisions_table(revisions: list[m.PriceRevision]) -> Table:
    rows: list[list[Cell]] = []
    for revision in revisions:
        rows.append(
            [
                {
                    "text": day(revision.revised_on),
                    "url": contract_url(revision.contract, "revision_detail", revision.pk),
                },
                {"text": revision.current_period},
                {"text": f"{price(revision.base_price_ht)} €"},
                {"text": number(revision.coefficient)},
                {"text": f"{number(revision.result.get('revised_price_ht'))} €"},
                badge("error", "Prix facturé trop élevé")
                if revision.drift_alert
                else (
                    badge("success", "Conforme")
                    if revision.invoiced_price_ht is not None
                    else {"text": "Non contrôlé"}
                ),
            ]
        )
    header = [
        "Révision du",
        "Indices de",
        "Prix de base HT",
        "Coefficient",
        "Prix révisé HT",
        "Prix facturé",
    ]
    return {"header": header, "rows": rows}
