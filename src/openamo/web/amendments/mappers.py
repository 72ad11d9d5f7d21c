"""Explicit mapping between stored rows and the amendment domain's inputs (JSON contract).

``check_input`` builds the ``amo avenant check`` input from the contract, the amendments
recorded before this one and the answers of the proposal form; ``document_input`` builds the
``amo avenant document`` input from what was checked plus the parties and the CAO opinion.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from openamo.amendments import Action, ContractProcedure, Role
from openamo.money import format_amount
from openamo.procurement.enums import ProcedureKind
from openamo.web.amendments.models import Amendment, AmendmentEvent
from openamo.web.award.letters import buyer_postal
from openamo.web.contracts.models import Contract

MODIFICATION_ANSWERS = (
    "kind",
    "changes_object",
    "separable",
    "foreseeable",
    "substantial_conditions",
    "major_inconvenience",
    "price_only",
    "form",
    "clause_reference",
    "transfer_cause",
    "new_contractor_meets_initial_conditions",
    "cited_references",
)
"""Answers of the proposal form passed as they are to ``modification`` (None = not answered)."""


def buyer_of(contract: Contract) -> str:
    return contract.organisation.buyer_category()


def procedure_of(contract: Contract) -> str:
    # A contract awarded without publicity nor competition (R2122-8 …) was not passed by formal
    # procedure: for the CAO and the modification notice it counts as a MAPA.
    if contract.procedure == ProcedureKind.FORMALISEE.value:
        return ContractProcedure.FORMALISEE.value
    return ContractProcedure.MAPA.value


def contract_input(contract: Contract, answers: dict[str, Any] | None = None) -> dict[str, Any]:
    """The ``contract`` object of the check; R2194-4 and the launch date come from the answers."""
    answers = answers or {}
    data: dict[str, Any] = {
        "nature": contract.nature,
        "buyer": buyer_of(contract),
        "procedure": procedure_of(contract),
        "initial_amount_ht": format_amount(contract.initial_amount_ht),
        "notified_on": contract.notified_on.isoformat(),
        "reference": contract.reference[:500] or None,
        "object": contract.title[:500] or None,
        "revised_initial_amount_ht": answers.get("revised_initial_amount_ht"),
        "consultation_launched_on": answers.get("consultation_launched_on"),
    }
    return _present(data)


def previous_input(previous: Iterable[Amendment]) -> list[dict[str, Any]]:
    """Recorded amendments as ``previous_modifications``, on the basis the check retained."""
    return [
        {
            "amount_ht": format_amount(amendment.amount_ht),
            "basis": amendment.basis,
            "date": amendment.modification_date.isoformat(),
            "object": amendment.object[:500],
        }
        for amendment in previous
    ]


def check_input(
    contract: Contract, previous: Iterable[Amendment], answers: dict[str, Any]
) -> dict[str, Any]:
    modification: dict[str, Any] = {
        "date": answers["modification_date"],
        "amount_ht": answers["amount_ht"],
        "object": answers.get("object") or None,
    }
    modification.update({key: answers.get(key) for key in MODIFICATION_ANSWERS})
    return {
        "contract": contract_input(contract, answers),
        "previous_modifications": previous_input(previous),
        "modification": _present(modification),
    }


def document_input(amendment: Amendment, events: list[AmendmentEvent]) -> dict[str, Any]:
    """What the avenant shows: the checked input, the parties, signatories and CAO opinion."""
    contract = amendment.contract
    checked = amendment.check_input
    current = _since_last_revision(events)
    contract_data = {
        **checked["contract"],
        "reference": contract.reference or f"OpenAMO-{contract.pk}",
        "object": contract.title[:500],
    }
    if contract.duration_months:
        contract_data["duration"] = f"{contract.duration_months} mois"
    postal = buyer_postal(contract.operation) if contract.operation is not None else None
    return {
        "contract": contract_data,
        "previous_modifications": [
            {**item, "number": number}
            for item, number in zip(
                checked["previous_modifications"], amendment.previous_numbers, strict=True
            )
        ],
        "modification": _present(
            {
                **checked["modification"],
                "object": amendment.object,
                "number": amendment.number,
                "description": amendment.description[:5000] or None,
                "deadline_effect": amendment.deadline_effect or None,
            }
        ),
        "buyer": _present(
            {
                "name": contract.organisation.name,
                "address": postal["address"] if postal else None,
                "siret": contract.organisation.siret or None,
                **_signatory(current, Role.ACHETEUR),
            }
        ),
        "contractor": _present(
            {
                "name": contract.holder_name,
                "siret": contract.holder_siret or None,
                **_signatory(current, Role.TITULAIRE),
            }
        ),
        "vat_rate": format(contract.vat_rate / Decimal(100), "f"),
        "cao_opinion": _cao_opinion(current),
        **({"place": postal["city"][:300]} if postal else {}),
    }


def _since_last_revision(events: list[AmendmentEvent]) -> list[AmendmentEvent]:
    """Signatures and CAO opinions given before a revision of the draft have lapsed."""
    last = max(
        (i for i, e in enumerate(events) if e.action == Action.REVISER_PROJET.value), default=-1
    )
    return events[last + 1 :]


def _signatory(events: list[AmendmentEvent], role: Role) -> dict[str, str]:
    """Who signed for ``role`` and in which capacity (qualité), once they have."""
    for event in events:
        if event.action == Action.SIGNER.value and event.role == role.value:
            signed = {"representative": event.actor_label[:500]}
            capacity = str(event.details.get("qualite") or "").strip()
            if capacity:
                signed["representative_title"] = capacity[:500]
            return signed
    return {}


def _cao_opinion(events: list[AmendmentEvent]) -> dict[str, str] | None:
    opinions = [e for e in events if e.action == Action.RECUEILLIR_AVIS_CAO.value]
    if not opinions:
        return None
    details = opinions[-1].details
    return {"date": details["date"], "opinion": details["avis"]}


def _present(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value is not None}
