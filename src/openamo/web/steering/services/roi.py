"""Cost of drift with and without AMO: defaults from the baseline, simulations kept."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from openamo.steering import (
    RoiInput,
    compute_roi,
)
from openamo.steering.roi import resolve_hypotheses
from openamo.web.audit.models import Action
from openamo.web.audit.services import record, snapshot
from openamo.web.operations.access import OperationAccess
from openamo.web.operations.models import Operation
from openamo.web.steering.inputs import (
    RoiFigures,
)
from openamo.web.steering.models import (
    RoiSimulation,
)
from openamo.web.steering.services.state import (
    SteeringState,
)
from openamo.web.users import AuthenticatedUser


def last_simulation(operation: Operation) -> RoiSimulation | None:
    return RoiSimulation.objects.filter(operation=operation).select_related("created_by").first()


def roi_defaults(state: SteeringState) -> RoiFigures:
    """Initial values of the simulation form: the project's figures, then the domain's defaults.

    The AMO cost proposed is the one the worked example's claim implies for this budget (the
    savings divided by 1.7 € of drift prevented per euro), as computed by the domain.
    """
    summary = state.baseline.summary_of() if state.baseline and state.baseline.summary else None
    budget = summary.budget_ht if summary and summary.budget_ht else _need_budget(state)
    margin = summary.margin_rate if summary and summary.margin_rate else None
    months = _duration_months(summary.planned_duration_days if summary else None)

    def probe(runs: int | None) -> RoiInput:
        return RoiInput(
            baseline_budget_ht=budget.quantize(CENT),
            amo_cost_ht=Decimal(1),
            runs=runs,
            baseline_duration_months=months or 12,
            claimed_drift_prevented_per_euro=Decimal("1.7"),
            margin_rate=margin,
        )

    hypotheses = resolve_hypotheses(probe(1))
    implied = compute_roi(probe(None)).implied_amo_cost_ht
    hundred = Decimal(100)
    return RoiFigures(
        mode="monte_carlo",
        runs=100_000,
        seed=2026,
        baseline_budget_ht=budget,
        amo_cost_ht=implied if implied and implied > 0 else None,
        margin_percent=hypotheses.margin_rate * hundred,
        drift_without_percent=hypotheses.drift_without * hundred,
        drift_with_percent=hypotheses.drift_with * hundred,
        cost_dispersion=hypotheses.cost_dispersion,
        baseline_duration_months=months,
        delay_without_percent=_percent(hypotheses.delay_without) if months else None,
        delay_with_percent=_percent(hypotheses.delay_with) if months else None,
    )


CENT = Decimal("0.01")


def _percent(fraction: Decimal | None) -> Decimal | None:
    return None if fraction is None else fraction * 100


def _need_budget(state: SteeringState) -> Decimal:
    need = getattr(state.operation, "need", None)
    if need is not None and need.estimated_amount_ht > 0:
        return Decimal(need.estimated_amount_ht)
    return Decimal("75000.00")


def _duration_months(days: int | None) -> int | None:
    """Planned duration kick-off → go-live in whole months (at least one)."""
    if not days:
        return None
    return max(1, round(days / 30.4375))


@transaction.atomic
def simulate_roi(access: OperationAccess, user: AuthenticatedUser, data: RoiInput) -> RoiSimulation:
    """Run the domain's cost-of-drift model (seeded) and keep its input and result."""
    access.require_edit()
    result = compute_roi(data)
    stored = data.model_dump(mode="json", exclude_none=True)
    simulation = RoiSimulation.objects.create(
        operation=access.operation,
        input=stored,
        result=result.model_dump(mode="json"),
        mode=result.mode.value,
        savings_ht=result.savings_ht,
        drift_prevented_per_euro=result.drift_prevented_per_euro,
        created_by=user,
    )
    record(
        user,
        Action.CREATE,
        simulation,
        operation_id=access.operation.pk,
        after={
            **snapshot(simulation, ["mode", "savings_ht", "drift_prevented_per_euro"]),
            "input": stored,
        },
    )
    return simulation


# ---------------------------------------------------------------------------------------------
# Steering committee report
