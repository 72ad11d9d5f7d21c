"""Demonstration data: the HR software project of Saint-Exemple, framed and steered.

The AMO firm's consultant frames the project (38 000 € HT, the 6 000 € of options left out of
the baseline), the maître d'ouvrage validates the baseline; three change requests follow (one
accepted, one refused, one awaiting Marie Dupont's decision), milestones, risks, KPI
measurements over four months since go-live and a cost-of-drift simulation. Dates are relative
to the day the demo is first loaded, so that the dashboard is meaningful whenever it is opened.
Loading again changes nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from openamo.steering import FramingAnswers, RoiInput
from openamo.steering.baseline import Feature, KpiTarget, add_months
from openamo.steering.enums import (
    ChangeKind,
    ChangeValue,
    Decision,
    ImpactAssessment,
    IrritantSource,
    KpiDirection,
    Priority,
    RiskStatus,
)
from openamo.steering.framing import (
    AdoptionAnswer,
    BudgetAnswer,
    Compliance,
    DataFlows,
    Irritant,
    Objective,
    Resources,
    ScheduleAnswer,
    ValueMeasurement,
)
from openamo.web.demo_context import DemoContext, story_day
from openamo.web.operations.access import OperationAccess, operation_access
from openamo.web.operations.models import Operation
from openamo.web.steering.inputs import (
    ChangeEntry,
    DecisionEntry,
    MeasurementEntry,
    MilestoneEntry,
    RiskFields,
)
from openamo.web.steering.models import Baseline, Framing
from openamo.web.steering.services import changes as change_service
from openamo.web.steering.services import follow_up as follow_up_service
from openamo.web.steering.services import framing as framing_service
from openamo.web.steering.services import roi as roi_service
from openamo.web.steering.services import state as state_service
from openamo.web.users import AuthenticatedUser

ADOPTION = "Part des agents qui déposent leurs congés sur le portail"
LEAVE_DELAY = "Délai moyen de traitement d'une demande de congé"


def load(context: DemoContext) -> None:
    operation = context.software
    if Framing.objects.filter(operation=operation).exists():
        return
    mo, amo = context.users["marie.dupont"], context.users["alice.bernard"]
    today = context.reference_day
    go_live = add_months(today, -4)
    prepared = operation_access(amo, operation.pk)
    decided = operation_access(mo, operation.pk)

    framing_service.save_framing(prepared, amo, _framing(today, go_live))
    framing_service.produce_baseline(prepared, amo)
    framing_service.validate_baseline(decided, mo)
    _date_baseline(operation, add_months(go_live, -6))
    _changes(prepared, decided, amo, mo, go_live)
    _milestones(prepared, amo, go_live)
    _risks(prepared, amo)
    _measurements(prepared, amo, go_live, today)
    roi_service.simulate_roi(prepared, amo, _roi(state_service.load_state(operation)))


def _date_baseline(operation: Operation, kickoff: datetime.date) -> None:
    """The baseline was produced and validated before the kickoff it plans, not on the day the
    demo is loaded (its changes, milestones and measurements all come after it)."""

    def at_ten(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))

    Baseline.objects.filter(operation=operation).update(
        produced_at=at_ten(story_day(kickoff, -17)), validated_at=at_ten(story_day(kickoff, -10))
    )


def _framing(today: datetime.date, go_live: datetime.date) -> FramingAnswers:
    kickoff = add_months(go_live, -6)
    return FramingAnswers(
        objective=Objective(
            statement=(
                "Diviser par trois le délai de traitement des demandes de congés et supprimer la "
                "double saisie des absences entre le tableur du service RH et la paie."
            ),
            kpis=[
                KpiTarget(
                    name=LEAVE_DELAY,
                    unit="jours",
                    baseline_value=Decimal("6"),
                    target_value=Decimal("2"),
                    direction=KpiDirection.BAISSE,
                    due_months_after_go_live=6,
                ),
                KpiTarget(
                    name=ADOPTION,
                    unit="%",
                    baseline_value=Decimal("0"),
                    target_value=Decimal("80"),
                    direction=KpiDirection.HAUSSE,
                    is_adoption=True,
                ),
            ],
        ),
        irritants=[
            Irritant(
                description="Double saisie des absences entre le tableur RH et la paie",
                users="Gestionnaires carrière-paie",
                source=IrritantSource.ATELIER,
            ),
            Irritant(
                description="Demandes de congés papier égarées ou validées trop tard",
                users="Agents des services techniques",
                source=IrritantSource.ENQUETE,
            ),
            Irritant(
                description="Aucune vision des absences par service",
                users="Directeurs de pôle",
                source=IrritantSource.ENCADREMENT,
            ),
        ],
        features=[
            _feature(
                "Dossier administratif et carrière des agents", Priority.INDISPENSABLE, "12000"
            ),
            _feature(
                "Export mensuel des variables vers le logiciel de paie",
                Priority.INDISPENSABLE,
                "5500",
            ),
            _feature("Reprise des données de l'ancien logiciel", Priority.INDISPENSABLE, "4500"),
            _feature("Portail agent : congés et absences en ligne", Priority.IMPORTANTE, "9000"),
            _feature("Tableaux de bord RH et rapport social unique", Priority.IMPORTANTE, "4000"),
            _feature("Gestion du plan de formation", Priority.SOUHAITABLE, "3000"),
            _feature("Option : entretiens professionnels dématérialisés", Priority.EXCLUE, "3500"),
            _feature(
                "Option : gestion des astreintes des services techniques", Priority.EXCLUE, "2500"
            ),
        ],
        data=DataFlows(
            inputs=[
                "Dossiers des agents exportés de l'ancien logiciel (CSV)",
                "Organigramme des services",
            ],
            outputs=["Variables de paie mensuelles", "Données du rapport social unique"],
            migration_from="Logiciel RH actuel, dont le support s'arrête",
            export_format="CSV UTF-8 et JSON décrits par un schéma publié, pièces en PDF/A",
            interfaces=["Logiciel de paie (fichier mensuel)", "Annuaire de la commune"],
        ),
        compliance=Compliance(
            personal_data=True,
            sensitive_data=False,
            dpo_consulted=False,
            impact_assessment=ImpactAssessment.A_DETERMINER,
            hosting="Hébergement dans l'Union européenne",
            other_constraints=["Accessibilité RGAA du portail agents"],
        ),
        budget=BudgetAnswer(
            maximum_ht=Decimal("38000.00"), margin_rate=Decimal("0.10"), funding_confirmed=True
        ),
        schedule=ScheduleAnswer(
            kickoff_on=kickoff, acceptance_on=add_months(go_live, -1), go_live_on=go_live
        ),
        resources=Resources(
            sponsor="Directrice générale des services",
            project_lead="Responsable du service des ressources humaines",
            key_users=["Deux gestionnaires carrière-paie", "Un agent référent par pôle"],
            days_per_month=Decimal("3"),
        ),
        adoption=AdoptionAnswer(
            training_starts_on=go_live - datetime.timedelta(days=21),
            training_plan="Référents formés avant la recette, puis une demi-journée par service",
            communication=["Présentation au comité social territorial", "Lettre aux agents"],
            champions=["Un agent référent par pôle"],
        ),
        value_measurement=ValueMeasurement(
            review_after_months=3,
            owner="Responsable du service des ressources humaines",
            method="Statistiques du portail et délais extraits du logiciel, vus en comité",
        ),
    )


def _feature(name: str, priority: Priority, cost: str) -> Feature:
    return Feature(name=name, priority=priority, estimated_cost_ht=Decimal(cost))


def _changes(
    prepared: OperationAccess,
    decided: OperationAccess,
    amo: AuthenticatedUser,
    mo: AuthenticatedUser,
    go_live: datetime.date,
) -> None:
    kickoff = add_months(go_live, -6)
    astreintes = change_service.create_change_request(
        prepared,
        amo,
        ChangeEntry(
            title="Gestion des astreintes des services techniques (option du marché)",
            kind=ChangeKind.AJOUT,
            feature="Option : gestion des astreintes des services techniques",
            requested_on=add_months(kickoff, 2),
            requested_by="Direction des services techniques",
            cost_ht=Decimal("2500.00"),
            delay_days=10,
            value=ChangeValue.MOYENNE,
            justification=(
                "Les astreintes sont aujourd'hui suivies sur papier et ressaisies en paie chaque "
                "mois ; l'option est chiffrée au marché."
            ),
        ),
    )
    change_service.decide_change_request(
        decided,
        mo,
        astreintes,
        DecisionEntry(
            decision=Decision.ACCEPTEE,
            decided_on=add_months(kickoff, 2) + datetime.timedelta(days=12),
            decision_note="Accepté : supprime une ressaisie mensuelle en paie.",
        ),
    )
    mobile = change_service.create_change_request(
        prepared,
        amo,
        ChangeEntry(
            title="Application mobile native pour les agents",
            kind=ChangeKind.AJOUT,
            requested_on=add_months(kickoff, 3),
            requested_by="Service communication",
            cost_ht=Decimal("9800.00"),
            delay_days=45,
            value=ChangeValue.FAIBLE,
            justification="Confort d'usage ; le portail est déjà utilisable sur téléphone.",
        ),
    )
    change_service.decide_change_request(
        decided,
        mo,
        mobile,
        DecisionEntry(
            decision=Decision.REFUSEE,
            decided_on=add_months(kickoff, 3) + datetime.timedelta(days=9),
            decision_note="Refusé : valeur faible, le portail responsive suffit.",
        ),
    )
    change_service.create_change_request(
        prepared,
        amo,
        ChangeEntry(
            title="Signature électronique des arrêtés et des contrats",
            kind=ChangeKind.AJOUT,
            requested_on=timezone.localdate() - datetime.timedelta(days=12),
            requested_by="Service des ressources humaines",
            cost_ht=Decimal("1900.00"),
            delay_days=7,
            value=ChangeValue.FORTE,
            justification=(
                "Près de 600 arrêtés par an signés et numérisés à la main ; la signature "
                "électronique supprime l'impression et les délais de circuit."
            ),
        ),
    )


def _milestones(prepared: OperationAccess, amo: AuthenticatedUser, go_live: datetime.date) -> None:
    kickoff = add_months(go_live, -6)
    steps = {
        "lancement": kickoff,
        "recette": add_months(go_live, -1) + datetime.timedelta(days=12),
        "mise_en_service": go_live + datetime.timedelta(days=10),
        "revue_m3": add_months(go_live, 3) + datetime.timedelta(days=5),
    }
    for milestone, reached in steps.items():
        follow_up_service.update_milestone(
            prepared, amo, milestone, MilestoneEntry(actual_on=reached)
        )


def _risks(prepared: OperationAccess, amo: AuthenticatedUser) -> None:
    follow_up_service.save_risk(
        prepared,
        amo,
        "dependance_integrateur",
        RiskFields(
            title="Dépendance excessive à un intégrateur (verrouillage)",
            description=(
                "Un seul éditeur assure l'hébergement, la maintenance et les interfaces avec la "
                "paie."
            ),
            probability=2,
            impact=5,
            owner="Service de la commande publique, conseillé par l'AMO",
            mitigation=(
                "Plan de réversibilité remis avec l'offre et mis à jour chaque année.\n"
                "Export complet des données (CSV et JSON avec schéma) testé à la recette.\n"
                "Interfaces documentées et accessibles à la commune."
            ),
            status=RiskStatus.EN_TRAITEMENT,
            review_on=timezone.localdate() + datetime.timedelta(days=60),
        ),
    )
    follow_up_service.save_risk(
        prepared,
        amo,
        None,
        RiskFields(
            title="Indisponibilité des gestionnaires de paie pendant la clôture annuelle",
            description="La recette des évolutions tombe pendant la préparation de la DSN.",
            probability=3,
            impact=3,
            owner="Responsable du service des ressources humaines",
            mitigation="Planifier les recettes hors de décembre et janvier.",
            status=RiskStatus.OUVERT,
            review_on=None,
        ),
    )


def _measurements(
    prepared: OperationAccess, amo: AuthenticatedUser, go_live: datetime.date, today: datetime.date
) -> None:
    values = {
        ADOPTION: ["38", "57", "71", "76"],
        LEAVE_DELAY: ["4.6", "3.5", "2.8", "2.4"],
    }
    dates = [add_months(go_live, n) for n in (1, 2, 3)] + [today - datetime.timedelta(days=2)]
    for kpi, series in values.items():
        for measured_on, value in zip(dates, series, strict=True):
            follow_up_service.add_measurement(
                prepared,
                amo,
                MeasurementEntry(kpi=kpi, measured_on=measured_on, value=Decimal(value)),
            )


def _roi(state: state_service.SteeringState) -> RoiInput:
    defaults = roi_service.roi_defaults(state)
    return RoiInput(
        project=state.operation.title,
        baseline_budget_ht=defaults.baseline_budget_ht.quantize(Decimal("0.01")),
        amo_cost_ht=Decimal("4200.00"),
        runs=100_000,
        seed=2026,
        baseline_duration_months=defaults.baseline_duration_months,
        adoption_without_amo=Decimal("0.45"),
        claimed_drift_prevented_per_euro=Decimal("1.7"),
        histogram_bins=12,
    )
