"""French text rendering of pricing and payment results for the CLI (the JSON stays the contract)."""

from __future__ import annotations

from openamo.money import format_euros
from openamo.pricing._decimals import fr
from openamo.pricing.execution_models import AdvanceResult, RetentionResult, SubcontractingResult
from openamo.pricing.indices import IndexSeriesResult
from openamo.pricing.models import PaymentResult, RevisionResult
from openamo.wording import count


def _tail(warnings: list[str], references: list[str]) -> list[str]:
    lines = []
    if warnings:
        lines.append("Points d'attention :")
        lines += [f"  - {w}" for w in warnings]
    lines.append("Références :")
    lines += [f"  - {r}" for r in references]
    return lines


def render_revision(result: RevisionResult) -> str:
    lines = [
        f"{result.kind.label} — prix révisé : {result.revised_price_ht.replace('.', ',')} € HT "
        f"(coefficient {fr(result.coefficient, None)}, variation {result.variation_percent.replace('.', ',')} %)",
        "",
        result.explanation,
    ]
    if result.drift is not None and result.drift.alert:
        lines += ["", "ALERTE : le prix facturé dépasse ce que permet la formule de variation."]
    return "\n".join([*lines, "", *_tail(result.warnings, result.references)])


def render_payment(result: PaymentResult) -> str:
    interest = (
        "à calculer (taux BCE inconnu)"
        if result.interest is None
        else format_euros(result.interest)
    )
    head = (
        f"Retard de {count(result.days_late, 'jour')} — intérêts moratoires {interest}"
        f", indemnité {format_euros(result.indemnity)}"
        if result.late
        else f"Pas de retard — échéance le {result.due_on:%d/%m/%Y}"
    )
    return "\n".join([head, "", result.explanation, "", *_tail(result.warnings, result.references)])


def render_series(result: IndexSeriesResult) -> str:
    lines = [result.explanation, ""]
    lines += [f"  {period} : {value}" for period, value in list(result.values.items())[-12:]]
    return "\n".join([*lines, "", *_tail(result.warnings, result.references)])


def render_advance(result: AdvanceResult) -> str:
    head = (
        f"Avance {'due' if result.mandatory else 'non obligatoire'} — minimum "
        f"{format_euros(result.minimum_amount_ttc)} TTC ({fr(result.minimum_rate_percent)} % de "
        f"{format_euros(result.base_ttc)} TTC)"
    )
    lines = [head]
    for order in result.orders:
        name = order.reference or "bon sans référence"
        lines.append(
            f"  - {name} : {format_euros(order.amount_ht)} HT → "
            + (f"avance d'au moins {format_euros(order.minimum_amount_ttc)} TTC" if order.mandatory
               else "pas d'avance obligatoire")
        )  # fmt: skip
    if result.ambiguities:
        lines += ["Points d'interprétation :", *(f"  ? {item}" for item in result.ambiguities)]
    return "\n".join(
        [*lines, "", result.explanation, "", *_tail(result.warnings, result.references)]
    )


def render_retention(result: RetentionResult) -> str:
    head = (
        f"Retenue de garantie {'conforme' if result.allowed else 'trop élevée'} — plafond "
        f"{fr(result.cap_percent)} %, soit {format_euros(result.cap_amount_ht)} HT"
    )
    if result.release_on is not None:
        head += f" ; remboursement au plus tard le {result.release_on:%d/%m/%Y}"
    if result.substitute_release_on is not None:
        head += f" ; garant libéré au plus tard le {result.substitute_release_on:%d/%m/%Y}"
    lines = [head, "", result.explanation, "", *_tail(result.warnings, result.references)]
    if result.ambiguities:
        lines += ["Points d'interprétation :", *(f"  ? {item}" for item in result.ambiguities)]
    return "\n".join(lines)


def render_subcontracting(result: SubcontractingResult) -> str:
    head = (
        "Paiement direct du sous-traitant"
        if result.direct_payment
        else "Pas de paiement direct du sous-traitant"
    ) + f" (seuil {format_euros(result.threshold_ttc)} TTC)"
    return "\n".join([head, "", result.explanation, "", *_tail(result.warnings, result.references)])
