"""The limits in euros: 50 % of each R2194-2 / R2194-5 modification (R2194-3, R2194-4) and the
low-value ceiling of R2194-8, cumulated over successive low-value modifications (R2194-9).

Comparisons are made on exact amounts, never on rounded percentages: « inférieur » (R2194-8)
is strict, « ne peut être supérieur » (R2194-3) allows exactly 50 %.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from openamo.amendments._context import Situation
from openamo.money import format_euros, format_share


def cap_limit(situation: Situation) -> Decimal | None:
    """R2194-3 / R2194-4: the largest amount of one modification (``None``: no cap)."""
    if not situation.is_pouvoir_adjudicateur:
        return None
    return situation.rules.cap_rate * situation.figures.revised


def cap_within(situation: Situation) -> bool:
    limit = cap_limit(situation)
    return limit is None or abs(situation.figures.amount) <= limit


def faible_montant_below(situation: Situation) -> tuple[bool, bool]:
    """R2194-8 / R2194-9: is the cumul below the percentage, and below the EU threshold?"""
    rules, figures = situation.rules, situation.figures
    cumul = figures.faible_montant_cumul
    return cumul < rules.faible_montant_rate * figures.initial, cumul < rules.eu_threshold


@dataclass(frozen=True, slots=True)
class CapCheck:
    """R2194-3: the cap on one modification, computed on the revised initial amount (R2194-4)."""

    applies: bool
    limit: Decimal | None
    within: bool
    reasons: tuple[str, ...]
    references: tuple[str, ...]


def cap_check(situation: Situation) -> CapCheck:
    rules, figures = situation.rules, situation.figures
    amount = abs(figures.amount)
    limit = cap_limit(situation)
    if limit is None:
        return CapCheck(
            applies=False,
            limit=None,
            within=True,
            reasons=(
                f"Le plafond de {format_share(rules.cap_rate)} par modification ne vise que les "
                "pouvoirs adjudicateurs : "
                "il ne s'applique pas à une entité adjudicatrice.",
            ),
            references=(rules.cap_reference,),
        )
    within = cap_within(situation)
    base = (
        f"du montant initial révisé par la clause de variation des prix "
        f"({format_euros(figures.revised)} HT)"
        if figures.revised != figures.initial
        else f"du montant initial ({format_euros(figures.initial)} HT)"
    )
    share = format_share(rules.cap_rate)
    if within:
        reason = (
            f"Le montant de la modification ({format_euros(amount)} HT) ne dépasse pas {share} "
            f"{base}, soit {format_euros(limit)} HT."
        )
    else:
        reason = (
            f"Le montant de la modification ({format_euros(amount)} HT) dépasse {share} {base}, "
            f"soit {format_euros(limit)} HT : plafond de chaque modification dépassé."
        )
    references = [rules.cap_reference]
    if figures.revised != figures.initial:
        references.append(situation.rules.article("variation_prix"))
    return CapCheck(
        applies=True,
        limit=limit,
        within=within,
        reasons=(reason,),
        references=tuple(references),
    )


@dataclass(frozen=True, slots=True)
class FaibleMontantCheck:
    """R2194-8 / R2194-9: cumulated low-value modifications below both limits."""

    cumul: Decimal
    rate_limit: Decimal
    eu_threshold: Decimal
    below_rate: bool
    below_threshold: bool
    reasons: tuple[str, ...]
    references: tuple[str, ...]

    @property
    def within(self) -> bool:
        return self.below_rate and self.below_threshold


def faible_montant_check(situation: Situation) -> FaibleMontantCheck:
    rules, figures = situation.rules, situation.figures
    cumul = figures.faible_montant_cumul
    rate_limit = rules.faible_montant_rate * figures.initial
    share = format_share(rules.faible_montant_rate)
    what = (
        f"Le montant cumulé des modifications de faible montant, celle-ci comprise "
        f"({format_euros(cumul)} HT)"
        if figures.previous_faible_montant
        else f"Le montant de la modification ({format_euros(cumul)} HT)"
    )
    below_rate, below_threshold = faible_montant_below(situation)
    reasons = [
        f"{what} {_is(below_rate)} inférieur à {share} du montant initial "
        f"({format_euros(rate_limit)} HT).",
        f"{what} {_is(below_threshold)} inférieur au seuil européen en vigueur le "
        f"{rules.modification_date:%d/%m/%Y} ({format_euros(rules.eu_threshold)} HT).",
    ]
    references = [rules.faible_montant_reference, rules.eu_reference]
    if figures.previous_faible_montant:
        references.append(rules.article("cumul_faible_montant"))
    return FaibleMontantCheck(
        cumul=cumul,
        rate_limit=rate_limit,
        eu_threshold=rules.eu_threshold,
        below_rate=below_rate,
        below_threshold=below_threshold,
        reasons=tuple(reasons),
        references=tuple(references),
    )


def _is(holds: bool) -> str:
    return "est" if holds else "n'est pas"
