"""Shared by the steering tests: a complete framing of an HR software project and the steps
that lead a steered operation from framing to a validated baseline."""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal
from typing import Any

from openamo.steering import FramingAnswers, SteeringReport
from openamo.steering.enums import ChangeKind, ChangeValue, Decision
from openamo.web.operations.access import OperationAccess, operation_access
from openamo.web.operations.models import Operation
from openamo.web.steering.inputs import ChangeEntry, DecisionEntry
from openamo.web.steering.models import Baseline
from openamo.web.steering.services import changes as change_service
from openamo.web.steering.services import framing as framing_service
from openamo.web.steering.services import state as state_service
from openamo.web.users import AuthenticatedUser
from tests import clock
from tests.integration.web.conftest import Cast, fresh

TODAY = clock.TODAY


def day(offset: int) -> str:
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


def framing_answers() -> dict[str, Any]:
    """Every question answered completely; kick-off 120 days ago, go-live in 60 days."""
    return {
        "objective": {
            "statement": "Diviser par trois le délai de traitement des demandes de congés.",
            "kpis": [
                {
                    "name": "Délai de traitement d'une demande de congé",
                    "unit": "jours",
                    "baseline_value": "6",
                    "target_value": "2",
                    "direction": "baisse",
                },
                {
                    "name": "Part des agents utilisant le portail",
                    "unit": "%",
                    "baseline_value": "0",
                    "target_value": "80",
                    "direction": "hausse",
                    "is_adoption": True,
                },
            ],
        },
        "irritants": [
            {
                "description": "Double saisie des absences",
                "users": "Gestionnaires",
                "source": "atelier",
            }
        ],
        "features": [
            {"name": "Dossier agent", "priority": "indispensable", "estimated_cost_ht": "16000"},
            {"name": "Interface paie", "priority": "indispensable", "estimated_cost_ht": "6000"},
            {"name": "Portail congés", "priority": "importante", "estimated_cost_ht": "10000"},
            {"name": "Entretiens annuels", "priority": "souhaitable", "estimated_cost_ht": "6000"},
        ],
        "data": {
            "inputs": ["Dossiers de l'ancien logiciel"],
            "outputs": ["Variables de paie"],
            "export_format": "CSV et JSON avec schéma",
            "interfaces": ["Logiciel de paie"],
        },
        "compliance": {
            "personal_data": True,
            "dpo_consulted": True,
            "impact_assessment": "non_requise",
        },
        "budget": {"maximum_ht": "38000.00", "margin_rate": "0.10", "funding_confirmed": True},
        "schedule": {"kickoff_on": day(-120), "acceptance_on": day(30), "go_live_on": day(60)},
        "resources": {
            "sponsor": "Directrice générale des services",
            "project_lead": "Responsable RH",
            "key_users": ["Deux gestionnaires"],
        },
        "adoption": {"training_starts_on": day(20), "communication": ["Lettre aux agents"]},
        "value_measurement": {"review_after_months": 3, "owner": "Responsable RH"},
    }


def steered(cast: Cast, operation: Operation, *, validated: bool = True) -> Baseline:
    """Frame the operation completely, produce its baseline and (by default) validate it."""
    mo = fresh(cast.mo)
    access = operation_access(mo, operation.pk)
    framing_service.save_framing(access, mo, FramingAnswers.model_validate(framing_answers()))
    baseline = framing_service.produce_baseline(access, mo)
    if validated:
        baseline = framing_service.validate_baseline(access, mo)
    return baseline


def access_of(user: AuthenticatedUser, operation: Operation) -> OperationAccess:
    return operation_access(fresh(user), operation.pk)


def change(**overrides: Any) -> ChangeEntry:
    data = ChangeEntry(
        title="Module de gestion des astreintes",
        kind=ChangeKind.AJOUT,
        requested_on=TODAY - datetime.timedelta(days=10),
        requested_by="Services techniques",
        cost_ht=Decimal("2500.00"),
        delay_days=10,
        value=ChangeValue.MOYENNE,
        justification="Suivi papier ressaisi chaque mois.",
    )
    return replace(data, **overrides)


def decision(outcome: str = "acceptee") -> DecisionEntry:
    return DecisionEntry(Decision(outcome), decided_on=TODAY, decision_note="Vu en comité.")


def drifted(cast: Cast, operation: Operation) -> SteeringReport:
    """A steered operation with two accepted changes (1 500 and 1 700 € HT) and one pending
    (900 € HT): its report."""
    steered(cast, operation)
    access = access_of(cast.mo, operation)
    for cost in ("1500.00", "1700.00"):
        request = change_service.create_change_request(
            access, cast.mo, change(cost_ht=Decimal(cost))
        )
        change_service.decide_change_request(access, cast.mo, request, decision())
    change_service.create_change_request(access, cast.mo, change(cost_ht=Decimal("900.00")))
    report = state_service.load_state(operation).report
    assert report is not None
    return report


def management(prefix: str) -> dict[str, str]:
    """The management form of an empty formset (no row posted)."""
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
