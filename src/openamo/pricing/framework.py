"""Orders (bons de commande) under a framework agreement: cumulative amount against its minimum and
maximum. The maximum binds: once reached, the agreement has exhausted its effects and any further
order needs a modification or a new contract (CJUE 17 juin 2021, Simonsen & Weel, C-23/20).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from openamo.money import format_euros
from openamo.pricing._decimals import fixed, fr
from openamo.pricing.execution_models import FrameworkInput, FrameworkResult, OrderCheck
from openamo.validation import parse_input
from openamo.wording import count

REFERENCES = [
    "CCP R2162-4 (accord-cadre conclu avec un minimum et/ou un maximum, ou sans)",
    "CCP R2162-13 et R2162-14 (bons de commande émis dans le respect de l'accord-cadre)",
    "CJUE 17 juin 2021, Simonsen & Weel, C-23/20 (le maximum engage l'acheteur)",
]


def beyond_maximum(maximum_ht: Decimal | None, amounts_ht: Iterable[Decimal]) -> Decimal | None:
    """The total of the orders when it exceeds the framework's maximum (a further order then
    modifies the contract), else None; never without a maximum."""
    total = sum(amounts_ht, Decimal(0))
    return total if maximum_ht is not None and total > maximum_ht else None


def track_orders(data: FrameworkInput) -> FrameworkResult:
    orders = sorted(data.orders, key=lambda order: order.date)
    cumulative = Decimal(0)
    checks = []
    for order in orders:
        cumulative += order.amount_ht
        exceeds = data.maximum_ht is not None and cumulative > data.maximum_ht
        checks.append(OrderCheck(
            reference=order.reference, date=order.date, amount_ht=order.amount_ht,
            cumulative_ht=cumulative, exceeds_maximum=exceeds,
        ))  # fmt: skip
    maximum, minimum = data.maximum_ht, data.minimum_ht
    percent = cumulative * 100 / maximum if maximum else None
    exceeded = any(check.exceeds_maximum for check in checks)
    alert = exceeded or (percent is not None and percent >= data.alert_ratio)
    warnings = _warnings(data, cumulative, percent, checks)
    return FrameworkResult(
        ordered_ht=cumulative,
        remaining_to_maximum_ht=max(maximum - cumulative, Decimal(0)) if maximum is not None else None,
        remaining_to_minimum_ht=max(minimum - cumulative, Decimal(0)) if minimum is not None else None,
        consumption_percent=fixed(percent, 2) if percent is not None else None,
        maximum_exceeded=exceeded, alert=alert, orders=checks, warnings=warnings,
        references=list(REFERENCES), explanation=_explain(data, cumulative, percent),
    )  # fmt: skip


def _warnings(
    data: FrameworkInput, cumulative: Decimal, percent: Decimal | None, checks: list[OrderCheck]
) -> list[str]:
    warnings = []
    first_over = next((c for c in checks if c.exceeds_maximum), None)
    if first_over is not None:
        warnings.append(
            f"Le bon de commande du {first_over.date:%d/%m/%Y} "
            f"({first_over.reference or 'sans référence'}) fait dépasser le maximum : l'accord-cadre "
            "a épuisé ses effets — modification (avenant) ou nouvelle procédure nécessaire."
        )
    elif percent is not None and percent >= data.alert_ratio:
        warnings.append(
            f"{fixed(percent, 2).replace('.', ',')} % du maximum déjà commandés (seuil d'alerte "
            f"{fr(data.alert_ratio, None)} %) : anticipez le renouvellement du besoin."
        )
    ended = data.end_date is not None and data.as_of is not None and data.as_of >= data.end_date
    if data.minimum_ht is not None and cumulative < data.minimum_ht and ended:
        warnings.append(
            "Accord-cadre échu sans atteindre son minimum : le titulaire peut demander "
            "l'indemnisation du manque à gagner."
        )
    if data.maximum_ht is None:
        warnings.append("Accord-cadre sans maximum : vérifiez sa légalité et son montant estimé.")
    return warnings


def _explain(data: FrameworkInput, cumulative: Decimal, percent: Decimal | None) -> str:
    text = f"{count(len(data.orders), 'bon de commande', 'bons de commande')} pour {format_euros(cumulative)} HT"
    if data.maximum_ht is not None and percent is not None:
        text += (
            f", soit {fixed(percent, 2).replace('.', ',')} % du maximum de "
            f"{format_euros(data.maximum_ht)} HT"
        )
    if data.minimum_ht is not None:
        text += f" ; minimum de {format_euros(data.minimum_ht)} HT"
    return text + "."


def track_orders_from_dict(data: Any) -> FrameworkResult:
    return track_orders(parse_input(FrameworkInput, data))
