"""Price revision and actualisation: P = P0 × (a + Σ bᵢ × Iᵢ/I₀ᵢ), with the contract's rounding.

The formula is contractual and must be applied strictly as written (CE 15 février 1957, Dickson):
without a rounding clause, the coefficient is not rounded and only the price is rounded (half up,
to ``price_decimals``). The legal triggers of actualisation (R2112-10, R2112-11) come from
``law/parameters/pricing``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from openamo import law
from openamo.dates import add_months
from openamo.errors import ErrorDetail, OpenAMOError
from openamo.money import format_euros
from openamo.pricing._decimals import fixed, format_decimal, fr, round_to
from openamo.pricing.enums import ContractNature, RevisionKind
from openamo.pricing.indices import canonical_series
from openamo.pricing.models import (
    Actualisation,
    Drift,
    RevisionInput,
    RevisionResult,
    RevisionTerm,
    TermResult,
)
from openamo.pricing.periods import month_of
from openamo.validation import parse_input
from openamo.wording import count

WEIGHT_TOLERANCE = Decimal("0.001")
"""Largest gap tolerated between a + Σ bᵢ and 1 (rounded weights such as thirds), with a warning."""

MAX_PRICE = Decimal("1e15")
"""Largest revised price computed (the input amounts are bounded by the same figure)."""

DISPLAY_DECIMALS = 10
"""Decimals shown for an unrounded coefficient or ratio (computation keeps full precision)."""

REVISION_REFERENCES = [
    "CCP R2112-13 (prix révisable : formule représentative de l'évolution du coût, terme fixe possible)",
    "CCP R2112-14 (référence obligatoire aux indices officiels des matières premières)",
]
ACTUALISATION_REFERENCES = [
    "CCP R2112-9 (prix ferme actualisable)",
    "CCP R2112-10 (actualisation obligatoire pour les travaux et les fournitures ou services non courants)",
]


@dataclass(frozen=True)
class Term:
    """A resolved term: its weight and the two index values actually used."""

    weight: Decimal
    base: Decimal
    current: Decimal
    source: RevisionTerm

    @property
    def ratio(self) -> Decimal:
        return self.current / self.base


def coefficient(fixed_part: Decimal, terms: list[Term]) -> Decimal:
    """a + Σ bᵢ × Iᵢ/I₀ᵢ at full Decimal precision."""
    return fixed_part + sum((t.weight * t.ratio for t in terms), Decimal(0))


def check_weights(fixed_part: Decimal, weights: list[Decimal]) -> list[str]:
    """The parts must add up to 1; a fixed part is lawful but discouraged. Returns warnings."""
    if fixed_part >= 1:
        raise OpenAMOError(
            "Une partie fixe de 100 % revient à un prix ferme : aucune révision possible.",
            details=[ErrorDetail("fixed_part", "doit être strictement inférieure à 1")],
        )
    total = fixed_part + sum(weights, Decimal(0))
    gap = abs(total - 1)
    if gap > WEIGHT_TOLERANCE:
        raise OpenAMOError(
            f"La partie fixe et les poids des termes totalisent {format_decimal(total)} au lieu "
            "de 1 : la formule de variation est incohérente.",
            details=[ErrorDetail("terms", "a + Σ bᵢ doit valoir exactement 1")],
        )
    warnings = []
    if gap:
        warnings.append(
            f"La somme a + Σ bᵢ vaut {format_decimal(total)} et non exactement 1 (poids arrondis) : "
            "vérifiez la formule du CCAP."
        )
    if fixed_part > 0:
        warnings.append(
            f"Partie fixe de {format_decimal(fixed_part * 100)} % : licite (R2112-13) mais "
            "déconseillée par la circulaire n° 6374/SG du 29 septembre 2022, sauf cas particulier."
        )
    return warnings


def resolve_terms(data: RevisionInput) -> list[Term]:
    """Index values of each term: given directly, or read in ``series`` at the given periods."""
    resolved = []
    for position, term in enumerate(data.terms):
        if term.index_base is not None and term.index_current is not None:
            resolved.append(Term(term.weight, term.index_base, term.index_current, term))
            continue
        assert term.index and term.base_period and term.current_period  # model validator
        base = _series_value(data, position, term.index, term.base_period)
        current = _series_value(data, position, term.index, term.current_period)
        resolved.append(Term(term.weight, base, current, term))
    return resolved


def _series_value(data: RevisionInput, position: int, name: str, period: str) -> Decimal:
    series = (data.series or {}).get(name)
    where = f"terms[{position}]"
    if series is None:
        raise OpenAMOError(
            f"Série d'indices « {name} » introuvable : fournissez-la dans « series » "
            "(ou avec --serie FICHIER.csv).",
            details=[ErrorDetail(f"{where}.index", f"série « {name} » absente")],
        )
    value = canonical_series(series).get(period)
    if value is None:
        raise OpenAMOError(
            f"La série « {name} » ne contient pas de valeur pour {period}.",
            details=[ErrorDetail(where, f"valeur de {name} pour {period} absente")],
        )
    return value


def actualisation_status(data: RevisionInput) -> tuple[Actualisation, list[str], list[str]]:
    """R2112-10 (is actualisation required?) and R2112-11 (does it apply, at which month?)."""
    required = _required_by_law(data.nature, data.standard_supplies)
    references = list(ACTUALISATION_REFERENCES)
    warnings: list[str] = []
    if data.price_date is None or data.execution_start is None:
        warnings.append(
            "Dates « price_date » (date d'établissement du prix dans l'offre finale) et "
            "« execution_start » non fournies : la condition des trois mois de R2112-11 n'a pas "
            "été vérifiée."
        )
        return (
            Actualisation(
                required_by_law=required,
                applies=None,
                months_between=None,
                economic_conditions_month=None,
            ),
            warnings,
            references,
        )
    rules = law.at(data.execution_start)
    trigger = int(rules.value("pricing.actualisation.delai_declenchement"))
    shift = int(rules.value("pricing.actualisation.decalage_conditions"))
    references += [
        rules.reference("pricing.actualisation.delai_declenchement"),
        rules.reference("pricing.actualisation.decalage_conditions"),
    ]
    applies = data.execution_start > add_months(data.price_date, trigger)
    conditions = month_of(add_months(data.execution_start, -shift))
    months = _whole_months(data.price_date, data.execution_start)
    for position, term in enumerate(data.terms):
        if term.current_period and term.current_period != conditions:
            warnings.append(
                f"Terme {position + 1} : l'indice courant retenu ({term.current_period}) n'est pas "
                f"celui des conditions économiques de {conditions}, trois mois avant le début "
                "d'exécution (R2112-11 2°)."
            )
    return (
        Actualisation(
            required_by_law=required,
            applies=applies,
            months_between=months,
            economic_conditions_month=conditions,
        ),
        warnings,
        references,
    )


def _required_by_law(nature: ContractNature | None, standard: bool | None) -> bool | None:
    if nature is ContractNature.TRAVAUX:
        return True
    if nature is None or standard is None:
        return None
    return not standard


def _whole_months(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if add_months(start, months) > end else months


def revise(data: RevisionInput) -> RevisionResult:
    warnings = check_weights(data.fixed_part, [t.weight for t in data.terms])
    terms = resolve_terms(data)
    raw = coefficient(data.fixed_part, terms)
    if data.coefficient_decimals is None:
        coef, coef_display = raw, round_to(raw, DISPLAY_DECIMALS)
        rounding = "aucun arrondi du coefficient (pas de clause d'arrondi)"
    else:
        coef = round_to(raw, data.coefficient_decimals, data.coefficient_rounding.value)
        coef_display = coef
        rounding = (
            f"{data.coefficient_rounding.label} à {count(data.coefficient_decimals, 'décimale')}"
        )
    actualisation = None
    references = list(REVISION_REFERENCES)
    applied = True
    if data.kind is RevisionKind.ACTUALISATION:
        actualisation, extra_warnings, references = actualisation_status(data)
        warnings += extra_warnings
        applied = actualisation.applies is not False
    effective = coef if applied else Decimal(1)
    if abs(data.base_price_ht * effective) >= MAX_PRICE:
        raise OpenAMOError(
            "Prix révisé hors limites : vérifiez les valeurs d'indice (un indice de base quasi nul ?).",
            details=[ErrorDetail("terms", "rapport d'indices aberrant")],
        )
    price = round_to(data.base_price_ht * effective, data.price_decimals)
    warnings += _variation_warnings(data, terms, effective)
    drift = _drift(data, price)
    return RevisionResult(
        kind=data.kind,
        base_price_ht=fixed(data.base_price_ht, max(2, data.price_decimals)),
        fixed_part=data.fixed_part,
        terms=[_term_result(t) for t in terms],
        coefficient=coef_display if applied else Decimal(1),
        coefficient_unrounded=round_to(raw, DISPLAY_DECIMALS),
        coefficient_rounding=rounding,
        revised_price_ht=fixed(price, data.price_decimals),
        variation_percent=fixed((effective - 1) * 100, 2),
        applied=applied,
        actualisation=actualisation,
        drift=drift,
        warnings=warnings,
        references=references,
        explanation=_explain(data, terms, coef_display, price, rounding, applied, drift),
    )


def revise_from_dict(data: Any) -> RevisionResult:
    return revise(parse_input(RevisionInput, data))


def _term_result(term: Term) -> TermResult:
    return TermResult(
        weight=term.weight,
        index=term.source.index,
        base_period=term.source.base_period,
        current_period=term.source.current_period,
        index_base=term.base,
        index_current=term.current,
        ratio=round_to(term.ratio, DISPLAY_DECIMALS),
        contribution=round_to(term.weight * term.ratio, DISPLAY_DECIMALS),
    )


def _variation_warnings(data: RevisionInput, terms: list[Term], coef: Decimal) -> list[str]:
    warnings = []
    variation = (coef - 1) * 100
    if data.safeguard_percent is not None and abs(variation) > data.safeguard_percent:
        warnings.append(
            f"Variation de {fixed(variation, 2)} % supérieure au seuil de la clause de sauvegarde "
            f"({format_decimal(data.safeguard_percent)} %) : le contrat peut ouvrir droit à "
            "résiliation ou à réexamen — vérifiez le CCAP."
        )
    if coef < 1:
        warnings.append("Le coefficient est inférieur à 1 : le prix révisé baisse, appliquez-le.")
    return warnings


def _drift(data: RevisionInput, allowed: Decimal) -> Drift | None:
    if data.invoiced_price_ht is None:
        return None
    difference = data.invoiced_price_ht - allowed
    percent = difference * 100 / allowed if allowed else Decimal(0)
    return Drift(
        invoiced_price_ht=data.invoiced_price_ht,
        allowed_price_ht=fixed(allowed, data.price_decimals),
        difference_ht=difference,
        difference_percent=fixed(percent, 2),
        alert=difference > data.drift_tolerance_ht,
    )


def _explain(
    data: RevisionInput,
    terms: list[Term],
    coef: Decimal,
    price: Decimal,
    rounding: str,
    applied: bool,
    drift: Drift | None,
) -> str:
    label = data.kind.label
    if not applied:
        text = (
            f"{label} : moins de trois mois entre la date du prix et le début d'exécution "
            f"(R2112-11) — le prix reste celui de l'offre, {_euros(data.base_price_ht)} HT."
        )
    else:
        parts = [fr(data.fixed_part, None)] if data.fixed_part else []
        parts += [f"{fr(t.weight, None)} × {fr(t.current, None)}/{fr(t.base, None)}" for t in terms]
        text = (
            f"{label} : P = P0 × (a + Σ bᵢ × Iᵢ/I₀ᵢ) = {_euros(data.base_price_ht)} × "
            f"({' + '.join(parts)}) = {_euros(data.base_price_ht)} × {fr(coef, None)} "
            f"= {_euros(price, data.price_decimals)} HT. Coefficient : {rounding} ; prix arrondi "
            f"au plus proche à {count(data.price_decimals, 'décimale')}."
        )
    if drift is not None:
        verdict = "dépasse" if drift.alert else "respecte"
        text += (
            f" Le prix facturé ({_euros(drift.invoiced_price_ht)} HT) {verdict} le prix "
            f"permis par la formule (écart {drift.difference_percent.replace('.', ',')} %)."
        )
    return text


def _euros(amount: Decimal, places: int = 2) -> str:
    if places == 2:
        return format_euros(amount)
    return fixed(amount, places).replace(".", ",") + "\u00a0€"
