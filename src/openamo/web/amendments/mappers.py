"""Explicit mapping between stored rows and the amendment domain's typed inputs.

:class:`Proposal` is what the proposal form answers, typed (stored with the amendment as
JSON); ``check_input`` builds the domain's :class:`AmendmentCheckInput` from the contract, the
amendments concluded before and a proposal; ``document_input`` builds the
:class:`AvenantDocumentInput` from what was checked plus the parties and the CAO opinion.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Annotated

from pydantic import Field, StrictBool

from openamo.amendments import (
    Action,
    AmendmentCheckInput,
    AmendmentCheckResult,
    Basis,
    ContractInput,
    ContractProcedure,
    ModificationInput,
    ModificationKind,
    PreviousModification,
    Role,
    SubstantialCondition,
    TransferCause,
)
from openamo.documents.avenant import (
    AvenantDocumentInput,
    CaoOpinion,
    ContractDocument,
    ModificationDocument,
    Party,
    PreviousModificationDocument,
)
from openamo.procurement.enums import Buyer, Nature, ProcedureKind
from openamo.validation import Amount, InputModel, SignedAmount, french_errors, parse_input
from openamo.web.amendments.models import Amendment, AmendmentEvent
from openamo.web.audit.services import JSONValue
from openamo.web.award.letters import buyer_postal, postal_line
from openamo.web.contracts.models import Contract


class Proposal(InputModel):
    """The answers of the proposal form, typed: what the avenant says and what the legal check
    asks (``None`` = not answered: the check then presumes the fact and says so)."""

    object: Annotated[str, Field(min_length=1, max_length=500)]
    description: str = ""
    kind: ModificationKind
    amount_ht: SignedAmount
    modification_date: datetime.date
    deadline_effect: str = ""
    changes_object: StrictBool = False
    substantial_conditions: list[SubstantialCondition] | None = None
    separable: StrictBool | None = None
    foreseeable: StrictBool | None = None
    major_inconvenience: StrictBool | None = None
    new_contractor_meets_initial_conditions: StrictBool | None = None
    clause_reference: str | None = None
    transfer_cause: TransferCause | None = None
    price_only: StrictBool = False
    revised_initial_amount_ht: Amount | None = None
    consultation_launched_on: datetime.date | None = None
    cited_references: list[str] = Field(default_factory=list)

    @classmethod
    def from_stored(cls, answers: Mapping[str, JSONValue]) -> Proposal:
        """The proposal stored with an amendment (``Amendment.answers``)."""
        return parse_input(cls, answers)

    def stored(self) -> dict[str, JSONValue]:
        """The answers as JSON values, as ``Amendment.answers`` keeps them."""
        return self.model_dump(mode="json")

    def to_domain(self) -> ModificationInput:
        """The ``modification`` of the legal check."""
        return ModificationInput(
            date=self.modification_date,
            amount_ht=self.amount_ht,
            kind=self.kind,
            changes_object=self.changes_object,
            separable=self.separable,
            foreseeable=self.foreseeable,
            substantial_conditions=self.substantial_conditions,
            major_inconvenience=self.major_inconvenience,
            price_only=self.price_only,
            clause_reference=self.clause_reference,
            transfer_cause=self.transfer_cause,
            new_contractor_meets_initial_conditions=self.new_contractor_meets_initial_conditions,
            cited_references=self.cited_references,
            object=self.object,
        )


def buyer_of(contract: Contract) -> Buyer:
    return Buyer(contract.organisation.buyer_category())


def procedure_of(contract: Contract) -> ContractProcedure:
    # A contract awarded without publicity nor competition (R2122-8 …) was not passed by formal
    # procedure: for the CAO and the modification notice it counts as a MAPA.
    if contract.procedure == ProcedureKind.FORMALISEE.value:
        return ContractProcedure.FORMALISEE
    return ContractProcedure.MAPA


def contract_input(contract: Contract, proposal: Proposal | None = None) -> ContractInput:
    """The ``contract`` of the check; R2194-4 and the launch date come from the proposal.

    Raises :class:`OpenAMOError` (French, located under ``contract``) on a value the domain
    refuses."""
    with french_errors("contract"):
        return ContractInput(
            nature=Nature(contract.nature),
            buyer=buyer_of(contract),
            procedure=procedure_of(contract),
            initial_amount_ht=contract.initial_amount_ht,
            notified_on=contract.notified_on,
            reference=contract.reference[:500] or None,
            object=contract.title[:500] or None,
            revised_initial_amount_ht=proposal.revised_initial_amount_ht if proposal else None,
            consultation_launched_on=proposal.consultation_launched_on if proposal else None,
        )


def previous_input(previous: Iterable[Amendment]) -> list[PreviousModification]:
    """Concluded amendments as ``previous_modifications``, on the basis the check retained."""
    with french_errors("previous_modifications"):
        return [
            PreviousModification(
                amount_ht=amendment.amount_ht,
                basis=Basis(amendment.basis),
                date=amendment.modification_date,
                object=amendment.object[:500] or None,
            )
            for amendment in previous
        ]


def check_input(
    contract: Contract, previous: Iterable[Amendment], proposal: Proposal
) -> AmendmentCheckInput:
    """The whole input of the legal check; French :class:`OpenAMOError` on a refused value."""
    contract_part = contract_input(contract, proposal)
    previous_part = previous_input(previous)
    with french_errors("modification"):
        modification = proposal.to_domain()
    with french_errors():
        return AmendmentCheckInput(
            contract=contract_part,
            previous_modifications=previous_part,
            modification=modification,
        )


def stored_check_input(amendment: Amendment) -> AmendmentCheckInput:
    """The input the stored verdict was made on (``Amendment.check_input``)."""
    return parse_input(AmendmentCheckInput, amendment.check_input)


def stored_check_result(amendment: Amendment) -> AmendmentCheckResult:
    """The stored verdict (``Amendment.check_result``)."""
    return AmendmentCheckResult.model_validate(amendment.check_result)


def document_input(amendment: Amendment, events: list[AmendmentEvent]) -> AvenantDocumentInput:
    """What the avenant shows: the checked input, the parties, signatories and CAO opinion."""
    contract = amendment.contract
    checked = stored_check_input(amendment)
    current = _since_last_revision(events)
    postal = (
        buyer_postal(contract.operation)
        if contract.operation is not None
        else postal_line(contract.organisation.postal_address)
    )
    with french_errors():
        return AvenantDocumentInput(
            contract=ContractDocument(
                **checked.contract.model_dump(exclude={"reference", "object"}),
                reference=contract.reference or f"OpenAMO-{contract.pk}",
                object=contract.title[:500],
                duration=f"{contract.duration_months} mois" if contract.duration_months else None,
            ),
            previous_modifications=[
                PreviousModificationDocument(**item.model_dump(), number=number)
                for item, number in zip(
                    checked.previous_modifications, amendment.previous_numbers, strict=True
                )
            ],
            modification=ModificationDocument(
                **checked.modification.model_dump(exclude={"object"}),
                object=amendment.object,
                number=amendment.number,
                description=amendment.description[:5000] or None,
                deadline_effect=amendment.deadline_effect or None,
            ),
            buyer=Party(
                name=contract.organisation.name,
                address=postal["address"] if postal else None,
                siret=contract.organisation.siret or None,
                **_signatory(current, Role.ACHETEUR),
            ),
            contractor=Party(
                name=contract.holder_name,
                address=_one_line(contract.holder_address),
                siret=contract.holder_siret or None,
                **_signatory(current, Role.TITULAIRE),
            ),
            vat_rate=contract.vat_rate / Decimal(100),
            cao_opinion=_cao_opinion(current),
            place=postal["city"][:300] if postal else None,
        )


def _one_line(address: str) -> str | None:
    lines = [line.strip() for line in address.splitlines() if line.strip()]
    return ", ".join(lines)[:500] or None


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


def _cao_opinion(events: list[AmendmentEvent]) -> CaoOpinion | None:
    opinions = [e for e in events if e.action == Action.RECUEILLIR_AVIS_CAO.value]
    if not opinions:
        return None
    details = opinions[-1].details
    return CaoOpinion(date=datetime.date.fromisoformat(details["date"]), opinion=details["avis"])
