"""Demonstration contracts, built through the services (so the journal is filled):

- the catering contract of 2025 (organic products) with « Restauration du Val SAS », in the
  operation of its own consultation (May 2025), not in the one renewing it:
  framework agreement with orders, revisable price (formula, an index series imported from CSV,
  a revision whose invoiced price drifts), three invoices (one paid late: interest and the 40 €
  indemnity, one due soon), an ordre de service, a reception with reserves, a penalty (flat
  amount per day, the CCAP's clause) awaiting the maître d'ouvrage, a supplier evaluation, a renewal decided;
- the IT contract of the HR software operation (firm price, CCAG-TIC penalties), with an
  invoice paid on time and one unpaid past its deadline.

Idempotent: a contract found by its number is left as it is.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from openamo.web.contracts import payments, prices, quality
from openamo.web.contracts.access import ContractAccess, contract_access
from openamo.web.contracts.models import Contract, Renewal
from openamo.web.contracts.requests import (
    ContractEntry,
    DecisionOnReception,
    EvaluationEntry,
    Formula,
    IndexValueEntry,
    InvoiceEntry,
    Issue,
    Lifting,
    OrderEntry,
    PenaltyRequest,
    ReceptionDraft,
    ReserveEntry,
    RevisionRequest,
    ServiceOrderDraft,
    SubcontractorEntry,
    TermEntry,
)
from openamo.web.contracts.services import contract as contract_service
from openamo.web.contracts.services import renewals as renewal_service
from openamo.web.contracts.services import subcontractors as subcontractor_service
from openamo.web.demo_context import DemoContext
from openamo.web.operations.access import operation_access
from openamo.web.operations.models import Consultation, Lot, Operation
from openamo.web.users import AuthenticatedUser

CATERING_REFERENCE = "2025-REST-BIO-01"
SOFTWARE_REFERENCE = "2026-SI-RH-01"
CONTRACTOR_SIRET = "73282932000074"
CONTRACTOR_ADDRESS = "12 rue des Halles\n35000 Rennes"
CATERING_AMOUNT_HT = Decimal("61480.00")
"""The holder's offer of 2025 (its DQE), below the framework maximum of 80 000 € HT."""

IPAG_CSV = """Libellé;Indice de prix de production de l'industrie alimentaire (démonstration)
Période;Valeur;Statut
2025-06;128,7;A
2025-07;129,0;A
2025-08;129,3;A
2025-09;129,6;A
2025-10;130,0;A
2025-11;130,2;A
2025-12;130,5;A
2026-01;130,8;A
2026-02;131,0;A
2026-03;131,2;A
2026-04;131,5;A
2026-05;131,7;A
2026-06;131,9;P
"""
"""A series in the shape of an INSEE export (the figures are the demonstration's own)."""


def load(context: DemoContext) -> None:
    if not _exists(context.previous_catering, CATERING_REFERENCE):
        _catering(context)
    if not _exists(context.software, SOFTWARE_REFERENCE):
        _software(context)


def _exists(operation: Operation, reference: str) -> bool:
    return Contract.objects.filter(operation=operation, reference=reference).exists()


def _catering(context: DemoContext) -> None:
    amo, mo = context.users["alice.bernard"], context.users["marie.dupont"]
    operation = context.previous_catering
    lot = Lot.objects.alive().filter(operation=operation).order_by("number").first()
    consultation = Consultation.objects.get(operation=operation)
    data = ContractEntry(
        lot=lot,
        reference=CATERING_REFERENCE,
        title="Fourniture de produits issus de l'agriculture biologique pour la restauration "
        "scolaire",
        nature="fournitures",
        procedure=consultation.procedure,
        holder_organisation=context.contractor,
        holder_is_sme=True,
        vat_rate=Decimal("5.50"),
        notified_on=datetime.date(2025, 8, 25),
        start_on=datetime.date(2025, 9, 1),
        duration_months=12,
        renewals=3,
        renewal_duration_months=12,
        renewal_notice_months=3,
        price_form="revisable",
        is_framework=True,
        minimum_amount_ht=Decimal("20000.00"),
        maximum_amount_ht=Decimal("80000.00"),
        payment_buyer="collectivite",
        consultation_on=consultation.launch_date,
        advance_rate_percent=Decimal("5.00"),
        retention_rate_percent=Decimal("3.00"),
        penalty_clause="forfait_journalier",
        penalty_daily_amount_ht=Decimal("150.00"),
        penalty_cap_percent=Decimal("10"),
        holder_name=context.contractor.name,
        holder_siret=context.contractor.siret or CONTRACTOR_SIRET,
        holder_address=CONTRACTOR_ADDRESS,
        initial_amount_ht=CATERING_AMOUNT_HT,
    )
    # The maître d'ouvrage records it: opening it to the holder's account is its decision.
    contract = contract_service.create_contract(
        mo, data, operation_access=operation_access(mo, operation.pk)
    )
    access = contract_access(amo, contract.pk)
    subcontractor_service.save_subcontractor(
        access,
        amo,
        SubcontractorEntry(
            name="Transports Frigorifiques de l'Ouest",
            siret="55208131766522",
            services="Livraison en camion frigorifique aux deux écoles et au multi-accueil",
            amount_ht=Decimal("4800.00"),
            direct_payment=True,
            accepted_on=datetime.date(2025, 9, 15),
        ),
    )
    _prices(access, amo)
    _orders_and_invoices(access, amo)
    _quality(contract, amo, mo)
    first = Renewal.objects.alive().filter(contract=contract, number=1).first()
    if first is not None:
        renewal_service.decide_renewal(
            contract_access(mo, contract.pk),
            mo,
            first,
            "reconduit",
            "Prestations satisfaisantes ; besoin inchangé pour l'année scolaire 2026-2027.",
            datetime.date(2026, 5, 12),
        )


def _prices(access: ContractAccess, amo: AuthenticatedUser) -> None:
    prices.save_formula(
        access,
        amo,
        Formula(
            price_date=datetime.date(2025, 6, 1),
            fixed_part=Decimal("0.15"),
            coefficient_decimals=4,
            coefficient_rounding="au_plus_proche",
            revision_periodicity_months=12,
            index_lag_months=3,
            safeguard_percent=Decimal("10"),
        ),
    )
    prices.add_term(
        access,
        amo,
        TermEntry(
            index_name="IPAG",
            label="Indice de prix de production de l'industrie alimentaire (INSEE)",
            weight=Decimal("0.60"),
            base_period="2025-06",
        ),
    )
    prices.add_term(
        access,
        amo,
        TermEntry(
            index_name="ICHT-TS",
            label="Indice du coût horaire du travail, transports et entreposage (INSEE)",
            weight=Decimal("0.25"),
            base_period="2025-06",
        ),
    )
    prices.import_index_series(access, amo, "IPAG", IPAG_CSV.encode("utf-8"))
    for period, value in [("2025-06", "132.4"), ("2026-06", "135.8")]:
        prices.save_index_value(
            access, amo, IndexValueEntry(series="ICHT-TS", period=period, value=Decimal(value))
        )
    prices.compute_revision(
        access,
        amo,
        RevisionRequest(
            revised_on=datetime.date(2026, 9, 1),
            base_price_ht=Decimal("2.15"),
            invoiced_price_ht=Decimal("2.31"),
            price_decimals=2,
        ),
    )


def _orders_and_invoices(access: ContractAccess, amo: AuthenticatedUser) -> None:
    orders = {}
    for reference, issued, amount, what in [
        (
            "BC-2025-001",
            datetime.date(2025, 9, 2),
            "15200.00",
            "Denrées biologiques, 1er trimestre",
        ),
        (
            "BC-2025-002",
            datetime.date(2025, 12, 1),
            "14850.00",
            "Denrées biologiques, 2e trimestre",
        ),
        ("BC-2026-001", datetime.date(2026, 3, 2), "16400.00", "Denrées biologiques, 3e trimestre"),
        ("BC-2026-002", datetime.date(2026, 9, 1), "15600.00", "Denrées biologiques, rentrée 2026"),
    ]:
        orders[reference] = payments.save_order(
            access,
            amo,
            OrderEntry(
                reference=reference, issued_on=issued, amount_ht=Decimal(amount), description=what
            ),
        )
    today = timezone.localdate()
    invoices = [
        # Paid 15 days after its deadline: interest at the ECB rate of 01/07/2025 + 8 points.
        ("F-2025-118", datetime.date(2025, 10, 6), "16036.00", "BC-2025-001",
         datetime.date(2025, 11, 20)),
        ("F-2026-012", datetime.date(2026, 2, 9), "15666.75", "BC-2025-002",
         datetime.date(2026, 3, 2)),
        # Received three weeks ago and not yet paid: due within days (dashboard).
        ("F-2026-187", today - datetime.timedelta(days=22), "16458.00", "BC-2026-002", None),
    ]  # fmt: skip
    for reference, received, amount, order, paid in invoices:
        payments.save_invoice(
            access,
            amo,
            InvoiceEntry(
                reference=reference,
                received_on=received,
                amount_ttc=Decimal(amount),
                description=f"Livraisons du bon de commande {order}",
                order=orders[order],
                paid_on=paid,
            ),
        )


def _quality(contract: Contract, amo: AuthenticatedUser, mo: AuthenticatedUser) -> None:
    prepared = contract_access(amo, contract.pk)
    deciding = contract_access(mo, contract.pk)
    order = quality.prepare_service_order(
        prepared,
        amo,
        ServiceOrderDraft(
            kind="demarrage",
            subject="Démarrage des livraisons",
            description="Premières livraisons le 1er septembre 2025 à 7 h 30, cuisine centrale.",
            effective_on=datetime.date(2025, 9, 1),
        ),
    )
    quality.issue_service_order(
        deciding,
        mo,
        order,
        Issue(issued_on=datetime.date(2025, 8, 27), acknowledged_on=datetime.date(2025, 8, 28)),
    )
    reception = quality.prepare_reception(
        prepared,
        amo,
        ReceptionDraft(
            label="Admission des livraisons du premier trimestre",
            inspected_on=datetime.date(2025, 12, 5),
            note="Contrôle à réception des livraisons et des bons de livraison.",
        ),
    )
    lifted = quality.add_reserve(
        prepared,
        amo,
        reception,
        ReserveEntry(
            description="Étiquetage bio absent sur deux colis de pommes",
            due_on=datetime.date(2025, 12, 19),
        ),
    )
    quality.add_reserve(
        prepared,
        amo,
        reception,
        ReserveEntry(
            description="Yaourts livrés à 9 °C au lieu de +4 °C au plus",
            due_on=datetime.date(2026, 1, 9),
        ),
    )
    quality.decide_reception(
        deciding,
        mo,
        reception,
        DecisionOnReception(
            decision="avec_reserves",
            effective_on=datetime.date(2025, 12, 5),
            decided_on=datetime.date(2025, 12, 8),
        ),
    )
    quality.lift_reserve(
        deciding,
        mo,
        lifted,
        Lifting(lifted_on=datetime.date(2025, 12, 16), lifting_note="Certificats fournis."),
    )
    quality.compute_penalty(
        prepared,
        amo,
        PenaltyRequest(
            reason="Livraison du 14/10/2025 arrivée avec deux jours de retard",
            due_on=datetime.date(2025, 10, 14),
            delivered_on=datetime.date(2025, 10, 16),
            late_value_ht=Decimal("1850.00"),
        ),
    )
    quality.evaluate(
        prepared,
        amo,
        EvaluationEntry(
            stage="jalon",
            milestone="Fin du premier trimestre d'exécution",
            evaluated_on=datetime.date(2025, 12, 10),
            comments="Produits de bonne qualité ; deux retards de livraison et une rupture de "
            "la chaîne du froid à surveiller.",
            marks={
                "qualite": 4,
                "delais": 3,
                "reactivite": 4,
                "relation": 5,
                "administratif": 4,
                "engagements": 4,
            },
        ),
    )


def _software(context: DemoContext) -> None:
    mo = context.users["marie.dupont"]
    contract = contract_service.create_contract(
        mo,
        ContractEntry(
            reference=SOFTWARE_REFERENCE,
            title="Acquisition, paramétrage et maintenance d'un logiciel de gestion RH",
            nature="services",
            procedure="mapa",
            holder_name="Logiciels Publics Services",
            holder_siret="44306184100047",
            holder_address="Parc technologique, 3 rue Ada Lovelace\n44300 Nantes",
            initial_amount_ht=Decimal("36500.00"),
            vat_rate=Decimal("20.00"),
            notified_on=datetime.date(2026, 3, 2),
            start_on=datetime.date(2026, 3, 16),
            duration_months=48,
            price_form="ferme",
            payment_buyer="collectivite",
            penalty_clause="ccag_tic",
            retention_rate_percent=Decimal("5.00"),
        ),
        operation_access=operation_access(mo, context.software.pk),
    )
    access = contract_access(mo, contract.pk)
    payments.save_invoice(
        access,
        mo,
        InvoiceEntry(
            reference="LPS-2026-0412",
            received_on=datetime.date(2026, 5, 4),
            amount_ttc=Decimal("18600.00"),
            description="Licences et paramétrage (tranche 1)",
            paid_on=datetime.date(2026, 5, 27),
        ),
    )
    # Received seven weeks ago and still unpaid: late (the dashboard shows it).
    payments.save_invoice(
        access,
        mo,
        InvoiceEntry(
            reference="LPS-2026-0918",
            received_on=timezone.localdate() - datetime.timedelta(days=50),
            amount_ttc=Decimal("7440.00"),
            description="Reprise des données et formation",
        ),
    )
    order = quality.prepare_service_order(
        access,
        mo,
        ServiceOrderDraft(
            kind="demarrage",
            subject="Lancement du paramétrage",
            effective_on=datetime.date(2026, 3, 16),
        ),
    )
    quality.issue_service_order(access, mo, order, Issue(issued_on=datetime.date(2026, 3, 10)))
