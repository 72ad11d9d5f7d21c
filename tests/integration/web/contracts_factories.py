"""Shared by the contract tests: Saint-Exemple's catering contract with « Restauration du Val »
(a company whose representative and clerk follow it), furnished with every kind of row the app
keeps, built through the services as a user would."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openamo.web.contracts import payments, prices, quality
from openamo.web.contracts.access import contract_access
from openamo.web.contracts.models import (
    Contract,
    Evaluation,
    Invoice,
    Order,
    Penalty,
    PriceRevision,
    Reception,
    Renewal,
    Reserve,
    RevisionTerm,
    ServiceOrder,
    Subcontractor,
)
from openamo.web.contracts.requests import (
    ContractEntry,
    EvaluationEntry,
    Formula,
    IndexValueEntry,
    InvoiceEntry,
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
from openamo.web.contracts.services import subcontractors as subcontractor_service
from openamo.web.operations.access import operation_access
from openamo.web.operations.models import Lot, Operation
from openamo.web.organisations.models import Organisation, OrganisationKind, Role
from openamo.web.users import AuthenticatedUser
from tests.integration.web.conftest import Cast, fresh, make_user

VALID_SIRET = "73282932000074"
SUB_SIRET = "55208131766522"
OTHER_SIRET = "44306184100047"


@dataclass
class Company:
    organisation: Organisation
    signer: AuthenticatedUser
    clerk: AuthenticatedUser
    other: Organisation
    other_signer: AuthenticatedUser


def make_company(cast: Cast) -> Company:
    # Its account bears the SIRET of the contracts' holder: the buyer invites it by it.
    company = Organisation.objects.create(
        name="Restauration du Val SAS", kind=OrganisationKind.ENTREPRISE, siret=VALID_SIRET
    )
    other = Organisation.objects.create(
        name="Bâtiments du Val", kind=OrganisationKind.ENTREPRISE, siret=OTHER_SIRET
    )
    return Company(
        organisation=company,
        signer=make_user("emma", company, Role.MAITRE_OUVRAGE),
        clerk=make_user("lucas", company, Role.LECTEUR),
        other=other,
        other_signer=make_user("bruno", other, Role.MAITRE_OUVRAGE),
    )


def contract_data(lot: Lot | None = None, **changes: Any) -> ContractEntry:
    data: dict[str, Any] = {
        "lot": lot,
        "reference": "2026-REST-01",
        "title": "Fourniture de denrées biologiques pour la restauration scolaire",
        "nature": "fournitures",
        "procedure": "mapa",
        "holder_name": "Restauration du Val SAS",
        "holder_siret": VALID_SIRET,
        "holder_organisation": None,
        "holder_is_sme": True,
        "initial_amount_ht": Decimal("62000.00"),
        "vat_rate": Decimal("5.50"),
        "notified_on": datetime.date(2025, 8, 25),
        "start_on": datetime.date(2025, 9, 1),
        "duration_months": 12,
        "renewals": 3,
        "renewal_duration_months": 12,
        "renewal_notice_months": 3,
        "price_form": "revisable",
        "is_framework": True,
        "minimum_amount_ht": Decimal("20000.00"),
        "maximum_amount_ht": Decimal("80000.00"),
        "payment_buyer": "collectivite",
        "penalty_clause": "ccag_fcs",
        "retention_rate_percent": Decimal("5"),
        "advance_rate_percent": Decimal("10"),
    }
    data.update(changes)
    return ContractEntry(**data)


def make_contract(
    cast: Cast, operation: Operation, holder: Organisation | None = None, **changes: Any
) -> Contract:
    mo = fresh(cast.mo)
    lot = Lot.objects.alive().filter(operation=operation).first()
    return contract_service.create_contract(
        mo,
        contract_data(lot, holder_organisation=holder, **changes),
        operation_access=operation_access(mo, operation.pk),
    )


@dataclass
class Furnished:
    contract: Contract
    renewal: Renewal
    subcontractor: Subcontractor
    term: RevisionTerm
    revision: PriceRevision
    order: Order
    late_invoice: Invoice
    service_order: ServiceOrder
    reception: Reception
    reserve: Reserve
    penalty: Penalty
    evaluation: Evaluation


def furnish(cast: Cast, contract: Contract) -> Furnished:
    """One row of each kind, prepared by the AMO (the decisions are left to the MO)."""
    amo = fresh(cast.internal_amo)
    access = contract_access(amo, contract.pk)
    sub = subcontractor_service.save_subcontractor(
        access,
        amo,
        SubcontractorEntry(
            name="Transports Frigorifiques de l'Ouest",
            siret=SUB_SIRET,
            services="Livraison en camion frigorifique",
            amount_ht=Decimal("4800.00"),
            direct_payment=True,
            accepted_on=datetime.date(2025, 9, 15),
        ),
    )
    prices.save_formula(
        access,
        amo,
        Formula(
            price_date=datetime.date(2025, 6, 1),
            fixed_part=Decimal("0.125"),
            coefficient_decimals=4,
            coefficient_rounding="au_plus_proche",
            revision_periodicity_months=12,
            index_lag_months=3,
        ),
    )
    term = prices.add_term(
        access,
        amo,
        TermEntry(
            index_name="IPAG",
            label="Produits alimentaires",
            weight=Decimal("0.875"),
            base_period="2025-06",
        ),
    )
    for period, value in [("2025-06", "131.4"), ("2026-06", "134.9")]:
        prices.save_index_value(
            access, amo, IndexValueEntry(series="IPAG", period=period, value=Decimal(value))
        )
    revision = prices.compute_revision(
        access,
        amo,
        RevisionRequest(
            revised_on=datetime.date(2026, 9, 1),
            base_price_ht=Decimal("3.85"),
            invoiced_price_ht=Decimal("4.10"),
            price_decimals=2,
        ),
    )
    order = payments.save_order(
        access,
        amo,
        OrderEntry(
            reference="BC-2025-001",
            issued_on=datetime.date(2025, 9, 2),
            amount_ht=Decimal("15200.00"),
            description="Denrées de septembre",
        ),
    )
    late = payments.save_invoice(
        access,
        amo,
        InvoiceEntry(
            reference="F-2025-118",
            received_on=datetime.date(2025, 10, 6),
            amount_ttc=Decimal("16036.00"),
            order=order,
            paid_on=datetime.date(2025, 11, 20),
        ),
    )
    service_order = quality.prepare_service_order(
        access, amo, ServiceOrderDraft(kind="demarrage", subject="Démarrage des livraisons")
    )
    reception = quality.prepare_reception(
        access,
        amo,
        ReceptionDraft(
            label="Admission du premier trimestre", inspected_on=datetime.date(2025, 12, 5)
        ),
    )
    reserve = quality.add_reserve(
        access,
        amo,
        reception,
        ReserveEntry(description="Yaourts livrés à 9 °C", due_on=datetime.date(2025, 12, 20)),
    )
    penalty = quality.compute_penalty(
        access,
        amo,
        PenaltyRequest(
            reason="Livraison du 14/10 en retard",
            due_on=datetime.date(2025, 10, 14),
            delivered_on=datetime.date(2025, 10, 16),
            late_value_ht=Decimal("1800.00"),
        ),
    )
    evaluation = quality.evaluate(
        access,
        amo,
        EvaluationEntry(
            stage="jalon",
            milestone="Premier trimestre",
            evaluated_on=datetime.date(2025, 12, 10),
            comments="Bonne qualité, retards ponctuels.",
            marks={"qualite": 4, "delais": 3},
        ),
    )
    renewal = Renewal.objects.filter(contract=contract).order_by("number").first()
    assert renewal is not None
    return Furnished(
        contract, renewal, sub, term, revision, order, late, service_order, reception, reserve,
        penalty, evaluation,
    )  # fmt: skip
