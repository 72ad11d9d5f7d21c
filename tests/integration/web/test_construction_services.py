"""The construction workflow through its services: roles, decisions, history, refusals."""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import User

from openamo.construction.enums import PhaseDecision, ReceptionDecision
from openamo.errors import OpenAMOError
from openamo.web.audit.models import Action, AuditEvent
from openamo.web.construction import services
from openamo.web.construction.models import EnvelopeChange, PhaseReview
from openamo.web.construction.requests import (
    EnvelopeDecision,
    FinalAccountDates,
    MoeEstimates,
    PhaseProposal,
    PhaseVerdict,
)
from openamo.web.operations.access import OperationAccess, PermissionRefused, operation_access
from openamo.web.operations.models import Operation
from tests.integration.web.conftest import Cast, fresh
from tests.integration.web.construction_data import canteen

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2027, 3, 15, 10, tzinfo=datetime.UTC)
APPROVED = PhaseDecision.APPROUVEE


def access_of(user: User, canteen_operation: Operation) -> OperationAccess:
    return operation_access(fresh(user), canteen_operation.pk)


@time_machine.travel(TODAY, tick=False)
def test_opening_a_new_building_creates_the_basic_mission(cast: Cast) -> None:
    site = canteen(cast)
    phases = set(PhaseReview.objects.filter(project=site.project).values_list("phase", flat=True))
    assert phases == {"esq", "aps", "apd", "pro", "act", "visa", "det", "aor"}


@time_machine.travel(TODAY, tick=False)
def test_the_moe_proposes_the_buyer_decides_and_every_step_is_in_the_history(cast: Cast) -> None:
    site = canteen(cast)
    consultant = fresh(cast.consultant)
    access = operation_access(consultant, site.operation.pk)
    services.propose_phase(access, consultant, site.project, site.phase("aps"), PhaseProposal(
        datetime.date(2026, 10, 1), datetime.date(2026, 12, 20), Decimal("2300000.00")))  # fmt: skip
    with pytest.raises(PermissionRefused):
        services.decide_phase(access, consultant, site.project, site.phase("aps"),
                              PhaseVerdict(APPROVED, datetime.date(2027, 1, 5)))  # fmt: skip
    mo = fresh(cast.mo)
    services.decide_phase(operation_access(mo, site.operation.pk), mo, site.project, site.phase("aps"),
                          PhaseVerdict(APPROVED, datetime.date(2027, 1, 5), "Conforme"))  # fmt: skip
    row = site.phase("aps")
    assert (row.decision, row.decided_by, row.proposed_by) == ("approuvee", mo, consultant)
    assert AuditEvent.objects.filter(object_type="phasereview", action=Action.DECIDE).count() == 1
    with pytest.raises(OpenAMOError, match="déjà fait l'objet d'une décision"):
        services.propose_phase(
            access, consultant, site.project, row, PhaseProposal(estimate_ht=Decimal(1))
        )


@time_machine.travel(TODAY, tick=False)
def test_an_envelope_change_keeps_who_decided_and_why_and_only_the_buyer_may(cast: Cast) -> None:
    site = canteen(cast)
    amo = fresh(cast.internal_amo)
    data = EnvelopeDecision(datetime.date(2026, 12, 14), Decimal("2550000.00"),
                            reason="Salle périscolaire", decided_by_label="Conseil municipal")  # fmt: skip
    with pytest.raises(PermissionRefused):
        services.set_envelope(operation_access(amo, site.operation.pk), amo, site.project, data)
    mo = fresh(cast.mo)
    services.set_envelope(operation_access(mo, site.operation.pk), mo, site.project, data)
    change = EnvelopeChange.objects.get(project=site.project)
    assert (change.decided_by, change.decided_by_label, change.reason) == (
        mo,
        "Conseil municipal",
        "Salle périscolaire",
    )
    state = services.load_state(site.project)
    assert state.review is not None and state.review.envelope_works_ht == Decimal("2550000.00")


@time_machine.travel(TODAY, tick=False)
def test_a_change_dated_before_the_envelope_is_refused_and_nothing_is_saved(cast: Cast) -> None:
    site = canteen(cast)
    mo = fresh(cast.mo)
    with pytest.raises(OpenAMOError, match="après sa fixation"):
        services.set_envelope(operation_access(mo, site.operation.pk), mo, site.project,
                              EnvelopeDecision(datetime.date(2026, 1, 1), Decimal("1.00"),
                                               reason="Erreur"))  # fmt: skip
    assert not EnvelopeChange.objects.filter(project=site.project).exists()


@time_machine.travel(TODAY, tick=False)
def test_an_estimate_above_the_envelope_raises_the_alert(cast: Cast) -> None:
    site = canteen(cast)
    mo = fresh(cast.mo)
    access = operation_access(mo, site.operation.pk)
    services.propose_phase(access, mo, site.project, site.phase("apd"), PhaseProposal(
        submitted_on=datetime.date(2027, 3, 1), estimate_ht=Decimal("2450000.00")))  # fmt: skip
    state = services.load_state(site.project)
    assert state.review is not None and state.review.alert.value == "depassement"


@time_machine.travel(TODAY, tick=False)
def test_the_moe_verdict_uses_the_buyers_threshold(cast: Cast) -> None:
    site = canteen(cast)
    mo = fresh(cast.mo)
    services.save_moe_inputs(operation_access(mo, site.operation.pk), mo, site.project,
                             MoeEstimates(Decimal("310000.00"), Decimal("18000.00")))  # fmt: skip
    verdict = services.moe_verdict(site.project)
    assert verdict is not None and verdict.procedure.value == "concours"
    assert verdict.prime_minimum_ht == Decimal("14400.00")


@time_machine.travel(TODAY, tick=False)
def test_the_final_account_is_computed_from_the_stored_dates(cast: Cast) -> None:
    site = canteen(cast)
    mo = fresh(cast.mo)
    access = operation_access(mo, site.operation.pk)
    data = FinalAccountDates(datetime.date(2027, 7, 9), ReceptionDecision.AVEC_RESERVES,
            final_draft_received_by_moe_on=datetime.date(2027, 8, 2),
            final_draft_received_by_buyer_on=datetime.date(2027, 8, 3),
            general_account_notified_on=datetime.date(2027, 8, 30),
            contractor_returned_on=datetime.date(2027, 9, 29))  # fmt: skip
    account = services.save_final_account(access, mo, site.contract, data)
    result = services.dgd_result(site.contract, FinalAccountDates.from_row(account))
    assert (result.state, result.final_account_on) == ("dgd", datetime.date(2027, 9, 29))
    with pytest.raises(OpenAMOError, match="antérieure"):
        services.save_final_account(
            access,
            mo,
            site.contract,
            replace(data, contractor_returned_on=datetime.date(2027, 8, 1)),
        )
