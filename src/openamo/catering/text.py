"""French text rendering of EGAlim results for the CLI (the JSON stays the contract)."""

from __future__ import annotations

from decimal import Decimal

from openamo.catering.models import ForecastResult, ImportResult, RatiosResult
from openamo.money import format_euros, format_share
from openamo.wording import count


def _yes(flag: bool) -> str:
    return "atteint" if flag else "NON ATTEINT"


def _tail(warnings: list[str], references: list[str]) -> list[str]:
    lines = []
    if warnings:
        lines += ["Points d'attention :", *[f"  - {w}" for w in warnings]]
    return [*lines, "Références :", *[f"  - {r}" for r in references]]


def _table(result: RatiosResult) -> list[str]:
    def pct(text: str) -> str:
        return text.replace(".", ",") + " %"

    c = result.compliant
    goal = {key: format_share(Decimal(value)) for key, value in result.targets.items()}
    return [
        f"Total des achats : {format_euros(result.total_ht)} HT ({count(result.purchases, 'achat')})",
        f"  Durables et de qualité : {pct(result.quality_sustainable_percent)} — objectif {goal['quality']} "
        f"{_yes(c.quality_50)}",
        f"  dont bio               : {pct(result.organic_percent)} — objectif {goal['organic']} "
        f"{_yes(c.organic_20)}",
        f"  Viandes et poissons    : {pct(result.meat_fish_quality_percent)} — objectif {goal['meat_fish']} "
        f"{_yes(c.meat_fish_60)}",
    ]


def render_ratios(result: RatiosResult) -> str:
    lines = [*_table(result), "", result.explanation, ""]
    return "\n".join([*lines, *_tail(result.warnings, result.references)])


FORMAT_NAMES = {
    "achats_siret": "ma cantine « achats » (par SIRET)",
    "achats_id": "ma cantine « achats » (par identifiant de cantine)",
    "achats_ancien_format": "ma cantine « achats », ancien format (caractéristiques)",
}
"""The ma cantine purchase formats as their documentation names them."""


def render_import(result: ImportResult) -> str:
    lines = [
        f"Fichier {FORMAT_NAMES.get(result.format, result.format)} ({result.encoding}, "
        f"séparateur {result.separator}) : "
        f"{count(result.purchases, 'achat importé')}.",
        *_table(result),
    ]
    if result.errors:
        lines += ["", f"{count(len(result.errors), 'erreur')}, lignes écartées :"]
        lines += [f"  - ligne {e.line}, {e.field} : {e.message}" for e in result.errors]
    lines += ["", result.explanation, ""]
    return "\n".join([*lines, *_tail(result.warnings, result.references)])


def render_forecast(result: ForecastResult) -> str:
    lines = [*_table(result.ratios), "", result.explanation, ""]
    return "\n".join([*lines, *_tail(result.warnings, result.references)])
