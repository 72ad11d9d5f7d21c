"""Shared by the amendment tests: a contract of Saint-Exemple held by « Restauration du Val »,
whose representative may sign and whose clerk only reads, and a proposal's form answers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openamo.amendments import Action as Step
from openamo.web.amendments import services
from openamo.web.amendments.mappers import Proposal
from openamo.web.amendments.models import Amendment
from openamo.web.contracts.access import contract_access
from openamo.web.contracts.models import Contract
from openamo.web.operations.models import Operation
from openamo.web.organisations.models import Organisation, OrganisationKind, Role
from openamo.web.users import AuthenticatedUser
from tests.integration.web.conftest import Cast, fresh, make_user

MODIFICATION_DATE = datetime.date(2026, 11, 23)


@dataclass
class Holders:
    company: Organisation
    signer: AuthenticatedUser
    clerk: AuthenticatedUser
    other_company: Organisation
    other_signer: AuthenticatedUser


def make_holders(cast: Cast) -> Holders:
    company = Organisation.objects.create(
        name="Restauration du Val SAS", kind=OrganisationKind.ENTREPRISE
    )
    other = Organisation.objects.create(name="Bâtiments du Val", kind=OrganisationKind.ENTREPRISE)
    return Holders(
        company=company,
        signer=make_user("emma", company, Role.MAITRE_OUVRAGE),
        clerk=make_user("lucas", company, Role.LECTEUR),
        other_company=other,
        other_signer=make_user("bruno", other, Role.MAITRE_OUVRAGE),
    )


def make_contract(
    cast: Cast,
    holders: Holders | None,
    operation: Operation | None = None,
    *,
    holder: Organisation | None = None,
    **fields: Any,
) -> Contract:
    values: dict[str, Any] = {
        "organisation": cast.commune,
        "operation": operation,
        "reference": "2026-REST-01",
        "title": "Fourniture de denrées biologiques pour la restauration scolaire",
        "nature": "fournitures",
        "procedure": "mapa",
        "holder_name": "Restauration du Val SAS",
        "holder_siret": "73282932000074",
        "holder_organisation": holder or (holders.company if holders is not None else None),
        "initial_amount_ht": Decimal("62000.00"),
        "vat_rate": Decimal("5.50"),
        "notified_on": datetime.date(2026, 1, 5),
        "duration_months": 12,
    }
    values.update(fields)
    return Contract.objects.create(**values)


def answers(**changes: Any) -> Proposal:
    """The proposal form's answers as the service receives them (``ProposalForm.proposal``),
    from their stored JSON form."""
    data: dict[str, Any] = {
        "object": "Ajout de fromages AOP biologiques au bordereau des prix",
        "description": "Demande de la commission des menus du 12 octobre 2026.",
        "kind": "faible_montant",
        "amount_ht": "3100.00",
        "modification_date": MODIFICATION_DATE.isoformat(),
        "deadline_effect": "",
        "changes_object": False,
        "substantial_conditions": None,
        "separable": None,
        "foreseeable": None,
        "major_inconvenience": None,
        "new_contractor_meets_initial_conditions": None,
        "clause_reference": None,
        "transfer_cause": None,
        "price_only": False,
        "revised_initial_amount_ht": None,
        "consultation_launched_on": None,
        "cited_references": [],
    }
    data.update(changes)
    return Proposal.from_stored(data)


def form_data(**changes: Any) -> dict[str, Any]:
    """What a browser posts on the proposal page (French amounts, radios, checkboxes)."""
    data: dict[str, Any] = {
        "object": "Ajout de fromages AOP biologiques au bordereau des prix",
        "description": "Demande de la commission des menus du 12 octobre 2026.",
        "kind": "faible_montant",
        "amount_ht": "3 100,00",
        "modification_date": MODIFICATION_DATE.isoformat(),
        "separable": "",
        "foreseeable": "",
        "major_inconvenience": "",
        "new_contractor_meets_initial_conditions": "",
        "transfer_cause": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def propose(cast: Cast, contract: Contract, **changes: Any) -> Amendment:
    user = fresh(cast.consultant if contract.operation_id else cast.internal_amo)
    return services.propose(contract_access(user, contract.pk), user, answers(**changes))


def act(
    user: AuthenticatedUser, amendment: Amendment, action: Step, note: str = "", **details: str
) -> None:
    """Take one step of the avenant's life as ``user`` (rights read afresh)."""
    user = fresh(user)
    services.act(
        contract_access(user, amendment.contract_id), user, amendment, action, note, details
    )
