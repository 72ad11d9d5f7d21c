"""Saint-Exemple's school canteen as a construction operation, built through the services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import time_machine
from django.contrib.auth.models import User

from openamo.construction.enums import WorkKind
from openamo.construction.models import Programme
from openamo.web.construction import services
from openamo.web.construction.execution.statements import propose_statement
from openamo.web.construction.models import MonthlyStatement, PhaseReview, Project
from openamo.web.construction.requests import (
    EnvelopeDecision,
    ProgrammeRequest,
    ProjectStart,
    StatementRequest,
)
from openamo.web.contracts import quality
from openamo.web.contracts.access import contract_access
from openamo.web.contracts.models import Contract, Reception, ServiceOrder
from openamo.web.contracts.requests import (
    DecisionOnReception,
    Issue,
    ReceptionDraft,
    ReserveEntry,
    ServiceOrderDraft,
)
from openamo.web.operations.access import operation_access
from openamo.web.operations.kinds import OperationKind
from openamo.web.operations.models import Operation
from tests.integration.web.conftest import Cast, fresh, make_operation
from tests.integration.web.contracts_factories import make_contract

PROGRAMME = Programme.model_validate(
    {
        "objectives": ["Servir 320 repas par jour"],
        "needs": ["Cuisine de production", "Deux salles"],
        "constraints": ["École en activité"],
        "functional_requirements": ["Marche en avant"],
        "technical_requirements": ["Ventilation double flux"],
        "environmental_targets": ["RE2020"],
        "performance_targets": [],
        "spaces": [{"name": "Cuisine", "area_m2": "180"}, {"name": "Salle", "area_m2": "360"}],
    }
)


@dataclass
class Canteen:
    operation: Operation
    project: Project
    contract: Contract
    order: ServiceOrder
    statement: MonthlyStatement
    reception: Reception

    def phase(self, code: str) -> PhaseReview:
        return PhaseReview.objects.get(project=self.project, phase=code)


def canteen(cast: Cast) -> Canteen:
    operation = make_operation(cast, kind=OperationKind.TRAVAUX, with_lots=True)
    mo = fresh(cast.mo)
    access = operation_access(mo, operation.pk)
    project = services.start_project(access, mo, ProjectStart(WorkKind.BATIMENT_NEUF))
    services.save_programme(
        access, mo, project, ProgrammeRequest(WorkKind.BATIMENT_NEUF, PROGRAMME)
    )
    services.set_envelope(
        access, mo, project, EnvelopeDecision(datetime.date(2026, 6, 15), Decimal("2400000.00"),
                                              total_ht=Decimal("3100000.00")),
    )  # fmt: skip
    contract = make_contract(
        cast, operation, title="Lot 1 — gros œuvre", nature="travaux", reference="2027-T-01",
        holder_name="Bâtiments du Val", is_framework=False, minimum_amount_ht=None,
        maximum_amount_ht=None, renewals=0, renewal_duration_months=None,
        initial_amount_ht=Decimal("980000.00"), vat_rate=Decimal("20.00"),
        notified_on=datetime.date(2027, 9, 1), penalty_clause="ccag_travaux",
        price_form="revisable",
    )  # fmt: skip
    order = quality.prepare_service_order(
        contract_access(mo, contract.pk),
        mo,
        ServiceOrderDraft(
            kind="prestations",
            subject="Reprise des fondations sur micropieux",
            effective_on=datetime.date(2027, 10, 4),
        ),
    )
    quality.issue_service_order(
        contract_access(mo, contract.pk),
        mo,
        order,
        Issue(issued_on=datetime.date(2027, 9, 28), acknowledged_on=datetime.date(2027, 9, 29)),
    )
    statement = propose_statement(
        access, mo, contract,
        StatementRequest(datetime.date(2027, 10, 31), datetime.date(2027, 10, 29),
                         Decimal("84000.00"), accepted_cumulative_ht=Decimal("80500.00")),
    )  # fmt: skip
    with time_machine.travel(datetime.datetime(2027, 12, 10, 10, tzinfo=datetime.UTC), tick=False):
        reception = _reception(mo, contract)  # decided "now", whatever the test's own clock
    return Canteen(
        operation, Project.objects.get(pk=project.pk), contract, order, statement, reception
    )


def _reception(mo: User, contract: Contract) -> Reception:
    """Reception with one reserve, pronounced with effect on 26/11/2027."""
    access = contract_access(mo, contract.pk)
    reception = quality.prepare_reception(
        access,
        mo,
        ReceptionDraft(label="Réception du lot 1", inspected_on=datetime.date(2027, 11, 26)),
    )
    quality.add_reserve(
        access,
        mo,
        reception,
        ReserveEntry(
            description="Joint de dilatation à reprendre", due_on=datetime.date(2028, 1, 31)
        ),
    )
    quality.decide_reception(
        access,
        mo,
        reception,
        DecisionOnReception(
            decision="avec_reserves",
            effective_on=datetime.date(2027, 11, 26),
            decided_on=datetime.date(2027, 12, 3),
        ),
    )
    return reception
