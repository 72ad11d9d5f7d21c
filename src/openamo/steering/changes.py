"""Change requests against the baseline: cumulative budget and scope drift, margin alerts.

Each change request carries its cost (negative for a removal), its delay in days, its business
value and the decision of the maître d'ouvrage (the AMO advises; only the MO decides). Drift is
measured on accepted requests, in % of the baseline budget and of the baseline scope (net:
additions minus removals; and all changes, modifications included); the margin
consumed is compared to the thresholds of ``steering/data/thresholds.yaml`` (vigilance at 50 %,
alert at 80 %, overrun above 100 %) so that the alert comes *before* the margin is gone. The
same thresholds are applied to a projection that adds the requests still awaiting a decision.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from pydantic import Field, StrictInt, model_validator

from openamo.errors import OpenAMOError
from openamo.money import format_euros
from openamo.steering import _data
from openamo.steering._types import (
    DecimalText,
    bounded_amount,
    french_percent,
    percent_of,
    quantize,
)
from openamo.steering.baseline import Baseline
from openamo.steering.enums import AlertLevel, ChangeKind, ChangeValue, Decision
from openamo.validation import Amount, InputModel, OutputModel, SignedAmount

MAX_DELAY_DAYS = 3650
"""Ten years of slip: beyond, a typing error, not a change request."""

SAVING_ONLY = (
    "Un coût négatif est une économie : seule la suppression ou la modification d'une "
    "fonctionnalité peut en faire une ; l'ajout d'une fonctionnalité coûte zéro ou plus."
)
"""Sign rule of a change request's cost. A removal, or a modification that simplifies, may
save money (negative cost, within the budget); an addition never does."""

TIME_SAVING_ONLY = (
    "Un délai négatif avance la mise en service : seule la suppression ou la modification "
    "d'une fonctionnalité peut le faire ; l'ajout d'une fonctionnalité retarde de zéro jour "
    "ou plus."
)
"""The same rule for the delay: a removal may bring the go-live forward (negative delay, as
the CLI contract has always accepted), an addition never does."""


class ChangeRequest(InputModel):
    id: str = Field(min_length=1, max_length=60)
    title: str = Field(min_length=1, max_length=300)
    requested_on: date
    requested_by: str | None = Field(default=None, max_length=200)
    kind: ChangeKind
    feature: str | None = Field(default=None, max_length=200)
    cost_ht: SignedAmount
    delay_days: StrictInt = Field(default=0, ge=-MAX_DELAY_DAYS, le=MAX_DELAY_DAYS)
    value: ChangeValue
    decision: Decision = Decision.EN_ATTENTE
    decided_on: date | None = None
    decided_by: str | None = Field(default=None, max_length=200)
    justification: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def _cost_has_a_sense(self) -> ChangeRequest:
        if self.cost_ht < 0 and self.kind is ChangeKind.AJOUT:
            raise ValueError(SAVING_ONLY)
        if self.delay_days < 0 and self.kind is ChangeKind.AJOUT:
            raise ValueError(TIME_SAVING_ONLY)
        return self

    @model_validator(mode="after")
    def _decision_is_dated(self) -> ChangeRequest:
        if self.decision is not Decision.EN_ATTENTE and self.decided_on is None:
            raise ValueError(
                "la décision du maître d'ouvrage doit être datée (date de la décision) pour la "
                "traçabilité"
            )
        if self.decided_on is not None and self.decided_on < self.requested_on:
            raise ValueError("la date de la décision est antérieure à la date de la demande")
        return self


class DriftPoint(OutputModel):
    """One accepted change on the drift curve (charts: drift over time against the margin)."""

    decided_on: date
    change_id: str
    cost_ht: SignedAmount
    cumulative_cost_ht: SignedAmount
    budget_drift_percent: DecimalText
    margin_consumed_percent: DecimalText | None
    alert: AlertLevel


class ChangeSummary(OutputModel):
    requests: int
    accepted: int
    pending: int
    refused: int
    deferred: int
    accepted_cost_ht: SignedAmount
    pending_cost_ht: SignedAmount
    accepted_delay_days: int
    pending_delay_days: int
    margin_ht: Amount
    remaining_margin_ht: SignedAmount
    budget_drift_percent: DecimalText
    projected_budget_drift_percent: DecimalText
    scope_drift_percent: DecimalText
    scope_changes_percent: DecimalText
    margin_consumed_percent: DecimalText | None
    projected_margin_consumed_percent: DecimalText | None
    alert: AlertLevel
    projected_alert: AlertLevel
    timeline: list[DriftPoint]
    low_value_changes: list[str]
    alerts: list[str]
    warnings: list[str]


def analyse_changes(
    baseline: Baseline, requests: Iterable[ChangeRequest], as_of: date | None = None
) -> ChangeSummary:
    """Cumulative drift of the accepted requests, projection with the pending ones, alerts."""
    items = list(requests)
    _check_ids(items, as_of)
    accepted = sorted(
        (r for r in items if r.decision is Decision.ACCEPTEE),
        key=lambda r: (r.decided_on or r.requested_on, r.id),
    )
    pending = [r for r in items if r.decision is Decision.EN_ATTENTE]
    accepted_cost = bounded_amount(sum((r.cost_ht for r in accepted), Decimal(0)))
    pending_cost = bounded_amount(sum((r.cost_ht for r in pending), Decimal(0)))
    bounded_amount(accepted_cost + pending_cost, "dérive projetée")
    margin = baseline.margin_ht
    consumed = _consumed(accepted_cost, margin)
    projected = _consumed(accepted_cost + pending_cost, margin)
    alert = alert_level(accepted_cost, margin)
    projected_alert = alert_level(accepted_cost + pending_cost, margin)
    return ChangeSummary(
        requests=len(items),
        accepted=len(accepted),
        pending=len(pending),
        refused=sum(1 for r in items if r.decision is Decision.REFUSEE),
        deferred=sum(1 for r in items if r.decision is Decision.REPORTEE),
        accepted_cost_ht=accepted_cost,
        pending_cost_ht=pending_cost,
        accepted_delay_days=sum(r.delay_days for r in accepted),
        pending_delay_days=sum(r.delay_days for r in pending),
        margin_ht=margin,
        remaining_margin_ht=bounded_amount(margin - accepted_cost, "marge restante"),
        budget_drift_percent=percent_of(accepted_cost, baseline.budget_ht),
        projected_budget_drift_percent=percent_of(accepted_cost + pending_cost, baseline.budget_ht),
        scope_drift_percent=_scope_share(baseline, _net_additions(accepted)),
        scope_changes_percent=_scope_share(baseline, len(accepted)),
        margin_consumed_percent=consumed,
        projected_margin_consumed_percent=projected,
        alert=alert,
        projected_alert=projected_alert,
        timeline=_timeline(baseline, accepted),
        low_value_changes=[r.id for r in accepted if _low_value(r)],
        alerts=_alerts(alert, projected_alert, consumed, projected, margin, accepted_cost),
        warnings=_warnings(accepted, pending),
    )


def alert_level(cost: Decimal, margin: Decimal) -> AlertLevel:
    """Alert level for a cumulative drift ``cost`` against the budget ``margin``."""
    limits = _data.thresholds().margin_alerts
    if margin <= 0:
        return AlertLevel.DEPASSEMENT if cost > 0 else AlertLevel.NORMAL
    share = cost / margin
    if share > limits.depassement:
        return AlertLevel.DEPASSEMENT
    if share >= limits.alerte:
        return AlertLevel.ALERTE
    if share >= limits.vigilance:
        return AlertLevel.VIGILANCE
    return AlertLevel.NORMAL


def _consumed(cost: Decimal, margin: Decimal) -> Decimal | None:
    return percent_of(cost, margin) if margin > 0 else None


def _check_ids(items: list[ChangeRequest], as_of: date | None) -> None:
    seen: set[str] = set()
    for request in items:
        if request.id in seen:
            raise OpenAMOError(f"Demande d'évolution « {request.id} » en double.")
        seen.add(request.id)
        if as_of is not None and request.requested_on > as_of:
            raise OpenAMOError(
                f"Demande d'évolution « {request.id} » datée du {request.requested_on:%d/%m/%Y}, "
                f"après la date du tableau de bord ({as_of:%d/%m/%Y})."
            )


def _net_additions(accepted: list[ChangeRequest]) -> int:
    additions = sum(1 for r in accepted if r.kind is ChangeKind.AJOUT)
    return additions - sum(1 for r in accepted if r.kind is ChangeKind.SUPPRESSION)


def _scope_share(baseline: Baseline, count: int) -> Decimal:
    """``count`` features in % of the features in the baseline scope."""
    scope = len(baseline.in_scope)
    if scope == 0:
        return Decimal(0)
    return quantize(Decimal(count) * 100 / Decimal(scope), 2)


def _timeline(baseline: Baseline, accepted: list[ChangeRequest]) -> list[DriftPoint]:
    points = []
    cumulative = Decimal(0)
    for request in accepted:
        cumulative += request.cost_ht
        points.append(
            DriftPoint(
                decided_on=request.decided_on or request.requested_on,
                change_id=request.id,
                cost_ht=request.cost_ht,
                cumulative_cost_ht=bounded_amount(cumulative, "dérive cumulée"),
                budget_drift_percent=percent_of(cumulative, baseline.budget_ht),
                margin_consumed_percent=_consumed(cumulative, baseline.margin_ht),
                alert=alert_level(cumulative, baseline.margin_ht),
            )
        )
    return points


def _low_value(request: ChangeRequest) -> bool:
    return request.cost_ht > 0 and request.value in (ChangeValue.FAIBLE, ChangeValue.NULLE)


def _alerts(
    alert: AlertLevel,
    projected: AlertLevel,
    consumed: Decimal | None,
    projected_consumed: Decimal | None,
    margin: Decimal,
    cost: Decimal,
) -> list[str]:
    messages = []
    if consumed is not None and alert is not AlertLevel.NORMAL:
        messages.append(
            f"{alert.label.capitalize()} : {french_percent(consumed / 100)} de la marge de "
            f"{format_euros(margin)} consommée par les évolutions acceptées."
        )
    elif consumed is None and cost > 0:
        messages.append("Dépassement : aucune marge n'était prévue et des évolutions coûtent.")
    if projected.rank > alert.rank and projected_consumed is not None:
        messages.append(
            f"Si les demandes en attente sont acceptées : {french_percent(projected_consumed / 100)}"
            f" de la marge consommée ({projected.label}) — arbitrer avant de décider."
        )
    return messages


def _warnings(accepted: list[ChangeRequest], pending: list[ChangeRequest]) -> list[str]:
    warnings = []
    for request in accepted:
        if _low_value(request):
            warnings.append(
                f"« {request.title} » ({request.id}) acceptée pour {format_euros(request.cost_ht)}"
                f" avec une valeur {request.value.value} : dérive sans valeur (« scope creep »)."
            )
    for request in pending:
        if request.kind is ChangeKind.AJOUT and request.cost_ht > 0:
            warnings.append(
                f"« {request.title} » ({request.id}) attend une décision : proposer de la "
                "compenser par le retrait d'une fonctionnalité souhaitable."
            )
    return warnings
