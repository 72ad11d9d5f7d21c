"""The steering demo: the HR software project framed, validated and steered, loaded once."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from openamo.steering import FramingAnswers
from openamo.steering.enums import Priority
from openamo.web.audit.models import Action, AuditEvent
from openamo.web.demo_context import DemoContext
from openamo.web.operations.models import Operation
from openamo.web.steering import demo
from openamo.web.steering.models import (
    ChangeRequest,
    KpiMeasurement,
    MilestoneProgress,
    Risk,
    RoiSimulation,
)
from openamo.web.steering.services import state as state_service
from tests.integration.web.conftest import Cast


def context(cast: Cast, operation: Operation) -> DemoContext:
    users = {"marie.dupont": cast.mo, "alice.bernard": cast.consultant}
    return DemoContext(
        cast.commune, cast.amo_firm, cast.outsider, users, operation, operation,
        previous_catering=operation, reference_day=datetime.date.today(),
    )  # fmt: skip


def test_the_demo_steers_the_software_project_and_loads_only_once(
    cast: Cast, operation: Operation
) -> None:
    demo.load(context(cast, operation))
    counts = (
        AuditEvent.objects.count(),
        ChangeRequest.objects.count(),
        KpiMeasurement.objects.count(),
        Risk.objects.count(),
        RoiSimulation.objects.count(),
    )
    demo.load(context(cast, operation))
    assert (
        AuditEvent.objects.count(),
        ChangeRequest.objects.count(),
        KpiMeasurement.objects.count(),
        Risk.objects.count(),
        RoiSimulation.objects.count(),
    ) == counts

    state = state_service.load_state(operation)
    assert state.validated and state.baseline is not None
    assert state.baseline.budget_ht == Decimal("38000.00")
    assert state.baseline.validated_by == cast.mo
    assert [c.decision for c in state.changes] == ["acceptee", "refusee", "en_attente"]
    assert all(c.decided_by == cast.mo for c in state.changes if not c.is_pending)
    report = state.report
    assert report is not None
    # The accepted option (2 500 €) on 38 000 €: 6.58 %, two thirds of the margin.
    assert report.changes.budget_drift_percent == Decimal("6.58")
    assert report.changes.projected_alert.value == "depassement"
    adoption = next(k for k in report.kpis if k.is_adoption)
    assert len(adoption.series) == 4  # measured over four months since go-live
    assert {r.id for r in report.risks} >= {"dependance_integrateur", "risque_1"}
    assert RoiSimulation.objects.get().result["mode"] == "monte_carlo"
    # Everything went through the services: the audit trail tells the story.
    actions = set(AuditEvent.objects.filter(operation=operation).values_list("action", flat=True))
    assert {Action.CREATE, Action.VALIDATE, Action.DECIDE} <= actions


def test_the_demo_framing_is_the_domain_s_typed_answers() -> None:
    go_live = datetime.date(2026, 8, 4)
    answers = demo._framing(datetime.date(2026, 12, 4), go_live)
    assert answers.budget is not None and answers.budget.maximum_ht == Decimal("38000.00")
    excluded = [f for f in answers.features if f.priority is Priority.EXCLUE]
    assert sum(f.estimated_cost_ht or Decimal(0) for f in excluded) == Decimal("6000")
    assert answers.schedule is not None and answers.schedule.go_live_on == go_live
    stored = answers.model_dump(mode="json", exclude_unset=True, exclude_none=True)
    assert FramingAnswers.model_validate(stored) == answers


def test_the_demo_baseline_precedes_the_plan_it_validates(cast: Cast, operation: Operation) -> None:
    """The baseline read « validée le » the day the demo was loaded, months after the kickoff it
    plans and after the go-live already reached: it is validated before the kickoff, and the
    project is shown live, its go-live reached before the reference day."""
    demo.load(context(cast, operation))
    state = state_service.load_state(operation)
    baseline = state.baseline
    assert baseline is not None and baseline.validated_at is not None
    reached = {p.milestone: p.actual_on for p in MilestoneProgress.objects.all() if p.actual_on}
    validated_on = timezone.localtime(baseline.validated_at).date()
    assert baseline.produced_at < baseline.validated_at
    assert validated_on < reached["lancement"] < reached["mise_en_service"] < datetime.date.today()
    assert all(validated_on < c.requested_on for c in state.changes)
