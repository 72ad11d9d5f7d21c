"""Demonstration construction operation: the new school canteen of the demo commune.

The commune (Marie Dupont, maître d'ouvrage) builds a 450 m² canteen next to its elementary
school, with the AMO firm (Alice Bernard) at its side. The file tells the whole story through
the services, so the operation's history is filled:

- the programme of L2421-2 (needs, constraints, surfaces, environmental targets) and the
  financial envelope, raised once at the APD by the municipal council with its reason;
- the organisation decided (an AMO, the commune keeping every decision);
- the MOE consultation (estimated fee below the EU threshold: MAPA, no mandatory contest);
- the maître d'œuvre's phases, ESQ to ACT approved with their estimates, DET under way;
- the MOE contract held by the architects' firm, designated by the commune: its member
  (Louis Garnier) proposes phases and statements on the construction pages;
- three works lots (gros œuvre, clos-couvert, lots techniques) and their contracts, with an
  ordre de service each (reserves of the holder on one of them), monthly statements (two paid,
  one to pay), an advance on each lot (5 %, repaid by précompte on the statements), a
  first-demand guarantee instead of the retention money on the clos-couvert (R2191-36), a
  reception with reserves on the gros œuvre (completion notice, one reserve lifted, the
  parfait achèvement guarantee running one year from the reception, art. 44.1) and its final
  account under way;
- the envelope raised again by the council in November 2026, after the last approved phase,
  whose approval is then « à revalider ».

Idempotent: nothing is added once the operation exists.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from openamo.construction.enums import PhaseDecision, ReceptionDecision, WorkKind
from openamo.construction.models import Programme
from openamo.pricing.enums import RetentionSubstitute
from openamo.procurement.enums import Nature
from openamo.web.construction import services
from openamo.web.construction.access import construction_access
from openamo.web.construction.execution.orders import answer_reserves, record_reserves
from openamo.web.construction.execution.reception import record_completion_notice
from openamo.web.construction.execution.statements import (
    decide_statement,
    propose_statement,
    record_guarantee,
)
from openamo.web.construction.models import Project
from openamo.web.construction.requests import (
    EnvelopeDecision,
    FinalAccountDates,
    GuaranteeRequest,
    MoeEstimates,
    NoticeRequest,
    OrganisationAnswers,
    OrganisationDecision,
    PhaseProposal,
    PhaseVerdict,
    ProgrammeRequest,
    ProjectStart,
    ReservesAnswer,
    ReservesReceived,
    StatementPayment,
    StatementRequest,
)
from openamo.web.contracts import quality
from openamo.web.contracts.access import contract_access
from openamo.web.contracts.models import Contract
from openamo.web.contracts.requests import (
    ContractEntry,
    DecisionOnReception,
    Issue,
    Lifting,
    ReceptionDraft,
    ReserveEntry,
    ServiceOrderDraft,
)
from openamo.web.contracts.services import contract as contract_service
from openamo.web.demo import MOE_FIRM, MOE_SIRET
from openamo.web.demo_context import DemoContext
from openamo.web.operations import services as operations
from openamo.web.operations.access import OperationAccess, operation_access
from openamo.web.operations.kinds import OperationKind
from openamo.web.operations.models import Lot, Operation
from openamo.web.operations.requests import Circumstances, LotEntry, NeedEntry, OperationEntry
from openamo.web.organisations.models import Organisation

TITLE = "Construction d'un restaurant scolaire"
MOE_TEAM = "Atelier Lignes & Sols, architectes (mandataire) — BET Fluides Ouest"
# The mandataire's establishment: the SIRET and address its contract and notices carry.
MOE_ADDRESS = "8 rue de la Monnaie\n35000 Rennes"

PROGRAMME = Programme.model_validate(
    {
        "objectives": [
            "Servir 420 repas par jour en deux services dans un bâtiment neuf attenant à l'école "
            "élémentaire, à la place des préfabriqués actuels",
            "Mettre en œuvre la liaison chaude depuis la cuisine de production sur place",
        ],
        "needs": [
            "Salle de restauration de 220 places assises (maternelles servies à table, "
            "élémentaires en self)",
            "Cuisine de production pour 420 repas, légumerie, plonge, stockage froid et sec",
            "Vestiaires et sanitaires du personnel, local d'entretien",
        ],
        "constraints": [
            "Travaux en site occupé : l'école reste ouverte, accès chantier séparé par la rue "
            "des Tilleuls",
            "Parcelle AB 142 en zone UE du PLU, hauteur limitée à 9 m",
            "Livraison pour la rentrée scolaire 2027",
        ],
        "functional_requirements": [
            "Marche en avant de la réception des denrées à la distribution (règlement CE 852/2004)",
            "Accessibilité aux personnes handicapées de tous les espaces ouverts au public",
        ],
        "technical_requirements": [
            "Temps de réverbération de la salle inférieur à 0,6 s",
            "Ventilation double flux de la salle, hotte à compensation en cuisine",
        ],
        "environmental_targets": [
            "Bâtiment soumis à la RE2020 : seuil 2025 de l'indicateur Ic construction",
            "Toiture équipée de panneaux photovoltaïques en autoconsommation",
            "Tri des biodéchets à la source et table de tri pour les convives",
        ],
        "performance_targets": [
            "Consommation d'énergie primaire inférieure de 10 % au seuil RE2020",
        ],
        "spaces": [
            {"name": "Salle de restauration", "area_m2": "260"},
            {"name": "Cuisine de production et légumerie", "area_m2": "95"},
            {"name": "Plonge et laverie", "area_m2": "30"},
            {"name": "Chambres froides et réserves", "area_m2": "35"},
            {"name": "Vestiaires et sanitaires du personnel", "area_m2": "30"},
        ],
    }
)

# (name, estimate HT, holder, SIRET, amount of the contract HT)
LOTS = [
    ("Gros œuvre, maçonnerie", Decimal("520000.00"), "Bâtiments du Val Construction SAS",
     "41225873500012", Decimal("508400.00")),
    ("Clos et couvert : charpente, couverture, menuiseries extérieures", Decimal("410000.00"),
     "Charpentes et Toitures de l'Ouest SARL", "52014763900018", Decimal("421750.00")),
    ("Lots techniques : chauffage, ventilation, plomberie, électricité", Decimal("590000.00"),
     "Thermique et Fluides Services SAS", "48392016500027", Decimal("579300.00")),
]  # fmt: skip

# (phase, started, submitted, estimate of the works HT, decision, decided on, note)
PHASES = [
    ("esq", "2025-06-02", "2025-07-04", "1365000.00", "approuvee", "2025-07-15", ""),
    ("aps", "2025-07-21", "2025-09-19", "1420000.00", "approuvee", "2025-10-01", ""),
    ("apd", "2025-10-06", "2025-11-28", "1532000.00", "approuvee_avec_observations",
     "2025-12-17", "Approuvé après la délibération du 15/12/2025 qui porte l'enveloppe à "
     "1 540 000 € HT ; le maître d'œuvre s'engage sur ce coût prévisionnel."),
    ("pro", "2026-01-05", "2026-02-13", "1528000.00", "approuvee", "2026-02-24", ""),
    ("act", "2026-02-25", "2026-04-10", "1509450.00", "approuvee", "2026-04-14",
     "Trois lots attribués pour 1 509 450 € HT, sous l'estimation du PRO."),
    ("visa", "2026-04-27", None, None, "", None, ""),
    ("det", "2026-05-04", None, None, "", None, ""),
]  # fmt: skip


def _day(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _when(text: str | None) -> datetime.date:
    assert text is not None
    return datetime.date.fromisoformat(text)


def load(context: DemoContext) -> None:
    if Operation.objects.filter(organisation=context.commune, title=TITLE).exists():
        return
    mo, amo = context.users["marie.dupont"], context.users["alice.bernard"]
    operation = operations.create_operation(
        mo,
        context.commune,
        OperationEntry(
            TITLE,
            kind=OperationKind.TRAVAUX,
            description=(
                "Restaurant scolaire neuf de 450 m² pour l'école élémentaire Jules-Ferry "
                f"(420 repas par jour). Maîtrise d'œuvre : {MOE_TEAM}."
            ),
        ),
    )
    operations.share_operation(operation_access(mo, operation.pk), mo, context.amo_firm)
    prepared = operation_access(amo, operation.pk)
    deciding = operation_access(mo, operation.pk)
    operations.save_need(
        prepared,
        amo,
        NeedEntry(
            object="Construction d'un restaurant scolaire de 450 m² (trois lots de travaux)",
            nature=Nature.TRAVAUX,
            estimated_amount_ht=sum((lot[1] for lot in LOTS), Decimal(0)),
            duration_months=8,
            renewals=0,
            options_amount_ht=Decimal(0),
            social_and_specific_services=False,
            constraints="Travaux en site occupé à côté de l'école ; livraison à l'été 2027.",
        ),
    )
    lots = [
        operations.add_lot(prepared, amo, LotEntry(name, estimate)) for name, estimate, *_ in LOTS
    ]
    # The works were put out to tender on 27/02/2026 (the lots' consultation date): the
    # procedure the AMO proposed and the maître d'ouvrage validated before the launch.
    operations.analyse_procedure(
        prepared, amo, Circumstances(datetime.date(2026, 2, 27), electronic_submission=True)
    )
    operations.validate_procedure(deciding, mo)
    project = services.start_project(prepared, amo, ProjectStart(WorkKind.BATIMENT_NEUF))
    project = Project.objects.get(pk=project.pk)  # as saved by the last step
    services.save_programme(
        prepared, amo, project, ProgrammeRequest(WorkKind.BATIMENT_NEUF, PROGRAMME)
    )
    project = Project.objects.get(pk=project.pk)  # as saved by the last step
    services.set_envelope(
        deciding,
        mo,
        project,
        EnvelopeDecision(datetime.date(2025, 2, 10), works_ht=Decimal("1450000.00"),
                         total_ht=Decimal("1960000.00")),
    )  # fmt: skip
    project = Project.objects.get(pk=project.pk)  # as saved by the last step
    services.decide_organisation(
        deciding,
        mo,
        project,
        OrganisationDecision(OrganisationAnswers("partielles")),
    )  # fmt: skip
    project = Project.objects.get(pk=project.pk)  # as saved by the last step
    services.save_moe_inputs(
        prepared,
        amo,
        project,
        MoeEstimates(Decimal("168000.00")),
    )  # fmt: skip
    for phase, started, submitted, estimate, decision, decided, note in PHASES:
        row = services.phase_row(project, phase)
        services.propose_phase(
            prepared,
            amo,
            project,
            row,
            PhaseProposal(_day(started), _day(submitted),
                          Decimal(estimate) if estimate else None),
        )  # fmt: skip
        if phase == "apd":
            # The council raised the envelope on 15/12/2025, during the APD: the approval of the
            # APS, made on the former envelope, is approved again before the APD is decided.
            project = Project.objects.get(pk=project.pk)  # as saved by the last step
            services.set_envelope(
                deciding,
                mo,
                project,
                EnvelopeDecision(
                    datetime.date(2025, 12, 15), works_ht=Decimal("1540000.00"),
                    total_ht=Decimal("2080000.00"),
                    decided_by_label="Conseil municipal (délibération n° 2025-87)",
                    reason="Étude de sol : fondations sur micropieux (+ 48 000 €) et hotte de "
                    "cuisine à compensation demandée par le service de santé (+ 34 000 €)."),
            )  # fmt: skip
            services.decide_phase(
                deciding, mo, project, services.phase_row(project, "aps"),
                PhaseVerdict(PhaseDecision.APPROUVEE, datetime.date(2025, 12, 15),
                             "Approuvé le 01/10/2025, approuvé à nouveau sur l'enveloppe portée "
                             "à 1 540 000 € HT par la délibération n° 2025-87."),
            )  # fmt: skip
        if decision:
            services.decide_phase(
                deciding, mo, project, row,
                PhaseVerdict(PhaseDecision(decision), _when(decided), note),
            )  # fmt: skip
    _moe_contract(context, deciding, project)
    _contracts(context, deciding, lots)
    _envelope_raised_again(context, deciding)


def _envelope_raised_again(context: DemoContext, deciding: OperationAccess) -> None:
    """The council raises the envelope once more, after the last approved phase: that approval,
    made on the former envelope, waits « à revalider » on the maître d'ouvrage's dashboard."""
    mo = context.users["marie.dupont"]
    project = Project.objects.get(operation=deciding.operation)
    services.set_envelope(
        deciding,
        mo,
        project,
        EnvelopeDecision(
            datetime.date(2026, 11, 20), works_ht=Decimal("1600000.00"),
            reason="Reprise du dallage de la cuisine après le sondage du gros œuvre",
            decided_by_label="Conseil municipal (délibération n° 2026-64)"),
    )  # fmt: skip


def _moe_contract(context: DemoContext, deciding: OperationAccess, project: Project) -> None:
    mo = context.users["marie.dupont"]
    contract = contract_service.create_contract(
        mo,
        ContractEntry(
            reference="2025-MOE-RS",
            title="Maîtrise d'œuvre du restaurant scolaire",
            nature="services",
            procedure="mapa",
            holder_name=MOE_TEAM,
            holder_siret=MOE_SIRET,
            holder_address=MOE_ADDRESS,
            initial_amount_ht=Decimal("168000.00"),
            vat_rate=Decimal("20.00"),
            notified_on=datetime.date(2025, 5, 20),
            start_on=datetime.date(2025, 6, 2),
            duration_months=30,
            price_form="revisable",
            payment_buyer="collectivite",
            consultation_on=datetime.date(2025, 3, 3),
            penalty_clause="ccag_moe",
        ),
        operation_access=deciding,
    )
    # The firm has an account: linked as the contracts app links an invited holder.
    contract.holder_organisation = Organisation.objects.get(name=MOE_FIRM)
    contract.save(update_fields=["holder_organisation"])
    services.set_moe_contract(deciding, mo, Project.objects.get(pk=project.pk), contract)


def _contracts(context: DemoContext, deciding: OperationAccess, lots: list[Lot]) -> None:
    mo, amo = context.users["marie.dupont"], context.users["alice.bernard"]
    created: list[Contract] = []
    for number, (lot, (name, _, holder, siret, amount)) in enumerate(zip(lots, LOTS, strict=True)):
        created.append(
            contract_service.create_contract(
                mo,
                ContractEntry(
                    lot=lot,
                    reference=f"2026-TRAV-RS-0{number + 1}",
                    title=f"Restaurant scolaire — lot {number + 1} : {name}",
                    nature="travaux",
                    procedure="mapa",
                    holder_name=holder,
                    holder_siret=siret,
                    holder_is_sme=True,
                    initial_amount_ht=amount,
                    vat_rate=Decimal("20.00"),
                    notified_on=datetime.date(2026, 4, 20),
                    start_on=datetime.date(2026, 5, 4),
                    duration_months=7,
                    price_form="revisable",
                    payment_buyer="collectivite",
                    consultation_on=datetime.date(2026, 2, 27),
                    advance_rate_percent=Decimal("5.00"),
                    retention_rate_percent=Decimal("5.00"),
                    penalty_clause="ccag_travaux",
                ),
                operation_access=deciding,
            )
        )
    for contract in created:
        order = quality.prepare_service_order(
            contract_access(amo, contract.pk),
            amo,
            ServiceOrderDraft(
                kind="demarrage",
                subject="Démarrage des travaux",
                description="Période de préparation de quatre semaines puis installation de "
                "chantier, accès par la rue des Tilleuls.",
                effective_on=datetime.date(2026, 5, 4),
            ),
        )
        quality.issue_service_order(
            contract_access(mo, contract.pk),
            mo,
            order,
            Issue(issued_on=datetime.date(2026, 4, 27), acknowledged_on=datetime.date(2026, 4, 28)),
        )
    _order_with_reserves(context, deciding, created[0])
    _retention_guarantee(context, deciding, created[1])
    _statements(context, deciding, created)
    _reception(context, created[0].pk, deciding.operation.pk)


def _order_with_reserves(
    context: DemoContext, deciding: OperationAccess, contract: Contract
) -> None:
    """OS n° 2 on the gros œuvre: micropiles; the holder's reserves on the price, answered."""
    mo, amo = context.users["marie.dupont"], context.users["alice.bernard"]
    order = quality.prepare_service_order(
        contract_access(amo, contract.pk),
        amo,
        ServiceOrderDraft(
            kind="prestations",
            subject="Fondations sur micropieux",
            description="Remplacer les semelles filantes de la salle par 24 micropieux "
            "(étude de sol G2 PRO du 02/06/2026) ; prix provisoire : 2 000 € HT le micropieu.",
            effective_on=datetime.date(2026, 6, 15),
        ),
    )
    quality.issue_service_order(
        contract_access(mo, contract.pk),
        mo,
        order,
        Issue(issued_on=datetime.date(2026, 6, 9), acknowledged_on=datetime.date(2026, 6, 10)),
    )
    moe = construction_access(context.users["louis.garnier"], deciding.operation.pk)
    record_reserves(
        moe, context.users["louis.garnier"], order,
        ReservesReceived(datetime.date(2026, 6, 22),
                         "Le prix provisoire ne couvre pas l'amenée de la foreuse : nous "
                         "demandons 2 350 € HT le micropieu et cinq jours de délai "
                         "supplémentaires."),
    )  # fmt: skip
    answer_reserves(
        deciding, mo, order,
        ReservesAnswer(datetime.date(2026, 7, 1),
                       "Délai de cinq jours accordé ; prix définitif de 2 180 € HT le "
                       "micropieu, amenée comprise, à reprendre par avenant."),
    )  # fmt: skip


def _retention_guarantee(
    context: DemoContext, deciding: OperationAccess, contract: Contract
) -> None:
    """The clos-couvert's holder gives a first-demand guarantee before its first payment request:
    its statements bear no retention money (CCP R2191-36)."""
    amo = context.users["alice.bernard"]
    record_guarantee(
        operation_access(amo, deciding.operation.pk), amo, contract,
        GuaranteeRequest(RetentionSubstitute.GARANTIE_PREMIERE_DEMANDE,
                         "Banque régionale des artisans de l'Ouest (agence de Saint-Exemple)",
                         datetime.date(2026, 5, 12)),
    )  # fmt: skip


# (lot index, month, received by the MOE, claimed, accepted, ordered on, paid on)
STATEMENTS = [
    (0, "2026-05-31", "2026-06-01", "61000.00", "61000.00", "2026-06-12", "2026-06-24"),
    (0, "2026-06-30", "2026-07-01", "158500.00", "152300.00", "2026-07-15", "2026-07-28"),
    (1, "2026-10-31", "2026-11-02", "212400.00", "208900.00", None, None),
]  # fmt: skip


def _statements(context: DemoContext, deciding: OperationAccess, created: list[Contract]) -> None:
    """Monthly statements: two paid on the gros œuvre (one corrected by the MOE), one to pay on
    the clos-couvert."""
    mo, architect = context.users["marie.dupont"], context.users["louis.garnier"]
    prepared = construction_access(architect, deciding.operation.pk)  # the MOE proposes
    for index, month, received, claimed, accepted, ordered, paid in STATEMENTS:
        statement = propose_statement(
            prepared, architect, created[index],
            StatementRequest(_when(month), _when(received), Decimal(claimed),
                             accepted_cumulative_ht=Decimal(accepted)),
        )  # fmt: skip
        if ordered:
            decide_statement(deciding, mo, statement, StatementPayment(_when(ordered), _day(paid)))


def _reception(context: DemoContext, contract_pk: int, operation_pk: int) -> None:
    """The gros œuvre's reception with reserves (one lifted since), and its final account under
    way."""
    mo, amo = context.users["marie.dupont"], context.users["alice.bernard"]
    prepared, deciding = contract_access(amo, contract_pk), contract_access(mo, contract_pk)
    operation = operation_access(amo, operation_pk)
    contract = services.works_contract(operation, contract_pk)
    reception = quality.prepare_reception(
        prepared,
        amo,
        ReceptionDraft(
            label="Opérations préalables à la réception du lot 1",
            inspected_on=datetime.date(2026, 10, 16),
            note="Visite avec le maître d'œuvre et l'entreprise ; procès-verbal des OPR signé.",
        ),
    )
    record_completion_notice(
        operation, amo, contract, reception, NoticeRequest(notice_on=datetime.date(2026, 10, 2))
    )
    crack = quality.add_reserve(
        prepared,
        amo,
        reception,
        ReserveEntry(
            description="Fissure en pied de voile du local poubelles à reprendre",
            due_on=datetime.date(2026, 11, 27),
        ),
    )
    quality.add_reserve(
        prepared,
        amo,
        reception,
        ReserveEntry(
            description="Seuil de la porte de livraison non conforme (ressaut de 4 cm)",
            due_on=datetime.date(2026, 11, 27),
        ),
    )
    quality.decide_reception(
        deciding,
        mo,
        reception,
        DecisionOnReception(
            decision="avec_reserves",
            effective_on=datetime.date(2026, 10, 16),
            decided_on=datetime.date(2026, 10, 23),
        ),
    )
    quality.lift_reserve(
        deciding, mo, crack,
        Lifting(datetime.date(2026, 11, 20),
                "Fissure reprise par injection de résine, constatée avec le maître d'œuvre"),
    )  # fmt: skip
    # The holder sent its projet de décompte final on 13/11/2026: the MOE has it in hand.
    services.save_final_account(
        operation,
        amo,
        contract,
        FinalAccountDates(datetime.date(2026, 10, 23), ReceptionDecision.AVEC_RESERVES,
                          final_draft_received_by_moe_on=datetime.date(2026, 11, 13)),
    )  # fmt: skip
