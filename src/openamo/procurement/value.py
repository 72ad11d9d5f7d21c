"""Valeur estimée du besoin (CCP R2121-1 … R2121-9).

The value is the total HT of the whole need: every lot, the whole duration including
renewals, options and primes paid to candidates. Supplies and services are aggregated by
homogeneous family or functional unit (R2121-6); works by operation (R2121-5). The buyer
states the need; this module adds up what the law says must be added up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from openamo.money import format_euros, to_cents
from openamo.pricing.term import renewal_length
from openamo.procurement._findings import Findings
from openamo.procurement.enums import Nature
from openamo.procurement.framework import framework_value
from openamo.procurement.models import ProcedureInput


@dataclass(frozen=True, slots=True)
class EstimatedValue:
    total: Decimal
    base: Decimal
    factor: Decimal
    lots: tuple[tuple[str, Decimal], ...]
    lots_total: Decimal


def renewal_factor(data: ProcedureInput) -> Decimal:
    """1 + the renewals expressed as a share of the firm period (same yearly rhythm)."""
    if not data.renewals or data.duration_months is None:
        return Decimal(1)
    renewal_months = renewal_length(data.duration_months, data.renewal_duration_months)
    return 1 + Decimal(data.renewals * renewal_months) / Decimal(data.duration_months)


def estimate(data: ProcedureInput) -> EstimatedValue:
    factor = renewal_factor(data)
    lots = tuple((lot.name, to_cents(lot.estimated_amount_ht * factor)) for lot in data.lots or [])
    base = to_cents(data.estimated_amount_ht * factor)
    lots_total = sum((amount for _, amount in lots), Decimal(0))
    # Every lot counts (R2121-1): when the lots add up to more than the stated amount, they win.
    total = max(base, lots_total) + data.options_amount_ht + data.primes_amount_ht
    if data.framework is not None:  # R2121-8: the maximum of the accord-cadre
        total = framework_value(data.framework, total)
    return EstimatedValue(total=total, base=base, factor=factor, lots=lots, lots_total=lots_total)


def explain_value(data: ProcedureInput, value: EstimatedValue, findings: Findings) -> None:
    if value.lots and value.lots_total != value.base:
        findings.warn(
            f"La somme des lots ({format_euros(value.lots_total)}) diffère du montant estimé "
            f"({format_euros(value.base)}) : la valeur la plus élevée est retenue, car tous les "
            "lots comptent dans la valeur estimée (R2121-1). Vérifiez le recensement du besoin.",
            "CCP R2121-1",
        )
    parts = [f"montant estimé {format_euros(data.estimated_amount_ht)}"]
    if value.factor != 1:
        months = renewal_length(data.duration_months or 0, data.renewal_duration_months)
        parts.append(
            f"reconductions : {data.renewals} × {months} mois pour une période initiale de "
            f"{data.duration_months} mois (coefficient {value.factor.normalize():f})"
        )
    if value.lots:
        parts.append(f"{len(value.lots)} lots totalisant {format_euros(value.lots_total)}")
    if data.options_amount_ht:
        parts.append(f"options et tranches {format_euros(data.options_amount_ht)}")
    if data.primes_amount_ht:
        parts.append(f"primes {format_euros(data.primes_amount_ht)}")
    scope = (
        "l'ensemble des travaux de l'opération (R2121-5)"
        if data.nature is Nature.TRAVAUX
        else "l'ensemble des fournitures ou services homogènes ou formant une unité "
        "fonctionnelle (R2121-6)"
    )
    findings.explain(
        f"Valeur estimée du besoin : {format_euros(value.total)} HT ({' ; '.join(parts)}). "
        f"Elle couvre tous les lots, toute la durée, reconductions et options comprises "
        f"(R2121-1), et doit englober {scope} : scinder les achats pour échapper aux seuils "
        "est interdit (R2121-4).",
        "CCP R2121-1",
        "CCP R2121-4",
        "CCP R2121-5" if data.nature is Nature.TRAVAUX else "CCP R2121-6",
    )


def total_duration_months(data: ProcedureInput) -> int | None:
    """The firm period plus every renewal, in months (None when the duration is not given)."""
    if data.duration_months is None:
        return None
    return data.duration_months + data.renewals * renewal_length(
        data.duration_months, data.renewal_duration_months
    )
