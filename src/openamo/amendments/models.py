"""Input and output of the amendment check (CLI JSON contract ``amo avenant check``).

The contract fields of ARCHITECTURE.md come first; optional additions are documented below and
all have defaults, so a minimal contract input stays valid:

``contract``
    ``consultation_launched_on`` — date the consultation was engaged; when given it decides the
    regime (décret n° 2016-360 or CCP), otherwise ``notified_on`` does. ``estimated_value_ht`` —
    the estimated value at launch (default: the initial amount), which decides with the EU
    threshold of that date whether the contract is « soumis à la CAO » (CGCT L1414-2).
    ``attributed_by_cao`` — whether the CAO attributed it: needed only for an entité
    adjudicatrice that is a local authority; for a collectivité a voluntary CAO (below the
    threshold) does not make L1414-4 apply.
    ``reference``, ``object`` — for people and documents.
``previous_modifications[]``
    ``date``, ``object`` — for people and documents; amounts may be negative (moins-values).
``modification``
    ``major_inconvenience`` — second condition of R2194-2 (see the ambiguity in the output);
    ``price_only`` — the modification only changes prices (price drift, CE avis n° 405540);
    ``form`` — ``avenant`` (default) or ``decision_unilaterale`` (no CAO opinion);
    ``clause_reference`` — the review clause or option relied on (R2194-1);
    ``transfer_cause`` and ``new_contractor_meets_initial_conditions`` — R2194-6;
    ``cited_references`` — texts the draft or the guide cites (obsolete ones are flagged, e.g.
    « article 8 de la loi n° 95-127 »); ``object`` — what the modification does.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import Field, PlainSerializer, StrictBool, field_validator, model_validator

from openamo.amendments.enums import (
    Basis,
    ContractProcedure,
    ModificationForm,
    ModificationKind,
    PriceRoute,
    SubstantialCondition,
    TransferCause,
    Verdict,
)
from openamo.procurement.enums import Buyer, Nature
from openamo.validation import Amount, InputModel, OutputModel, SignedAmount


def _format_percent(value: Decimal) -> str:
    return f"{value:.2f}"


Percent = Annotated[Decimal, PlainSerializer(_format_percent, return_type=str)]
"""A percentage rounded to two decimals, written as a string ("12.50")."""

ShortText = Annotated[str, Field(min_length=1, max_length=500)]


class ContractInput(InputModel):
    nature: Nature
    buyer: Buyer
    procedure: ContractProcedure
    initial_amount_ht: Amount
    notified_on: dt.date
    revised_initial_amount_ht: Amount | None = None
    estimated_value_ht: Amount | None = None
    consultation_launched_on: dt.date | None = None
    attributed_by_cao: StrictBool | None = None
    reference: ShortText | None = None
    object: ShortText | None = None

    @field_validator("initial_amount_ht", "revised_initial_amount_ht", "estimated_value_ht")
    @classmethod
    def _strictly_positive(cls, value: Decimal | None) -> Decimal | None:
        if value is not None and value <= 0:
            raise ValueError("le montant du marché doit être strictement positif")
        return value

    @model_validator(mode="after")
    def _launch_before_notification(self) -> ContractInput:
        launched = self.consultation_launched_on
        if launched is not None and launched > self.notified_on:
            raise ValueError(
                "la date de lancement de la consultation est postérieure à la date de "
                "notification du marché : la consultation ne peut pas être lancée après"
            )
        return self


class PreviousModification(InputModel):
    amount_ht: SignedAmount
    basis: Basis
    date: dt.date | None = None
    object: ShortText | None = None


class ModificationInput(InputModel):
    date: dt.date
    amount_ht: SignedAmount
    kind: ModificationKind
    changes_object: StrictBool = False
    separable: StrictBool | None = None
    foreseeable: StrictBool | None = None
    substantial_conditions: list[SubstantialCondition] | None = Field(default=None, max_length=4)
    major_inconvenience: StrictBool | None = None
    price_only: StrictBool = False
    form: ModificationForm = ModificationForm.AVENANT
    clause_reference: ShortText | None = None
    transfer_cause: TransferCause | None = None
    new_contractor_meets_initial_conditions: StrictBool | None = None
    cited_references: list[Annotated[str, Field(max_length=300)]] = Field(
        default_factory=list, max_length=50
    )
    object: ShortText | None = None

    @field_validator("substantial_conditions")
    @classmethod
    def _unique_conditions(
        cls, value: list[SubstantialCondition] | None
    ) -> list[SubstantialCondition] | None:
        if value is None:
            return None
        return list(dict.fromkeys(value))


class AmendmentCheckInput(InputModel):
    contract: ContractInput
    previous_modifications: list[PreviousModification] = Field(default_factory=list, max_length=500)
    modification: ModificationInput

    @model_validator(mode="after")
    def _dates_in_order(self) -> AmendmentCheckInput:
        if self.modification.date < self.contract.notified_on:
            raise ValueError("la date de la modification précède la notification du marché")
        return self


class BasisCheck(OutputModel):
    """One case of L2194-1 examined for this modification, and why it is (not) open."""

    basis: Basis
    available: bool
    reasons: list[str]


class PriceDriftAdvice(OutputModel):
    """Which route a price change takes: revision clause, modification or imprévision."""

    route: PriceRoute
    explanation: str
    references: list[str]


class Limits(OutputModel):
    """The figures the modification was compared with, as in force on their dates."""

    faible_montant_percent: Percent
    faible_montant_limit_ht: Amount
    eu_threshold_ht: Amount
    cap_percent: Percent | None
    cap_base_ht: Amount
    cap_limit_ht: Amount | None
    cao_percent: Percent


class AmendmentCheckResult(OutputModel):
    verdict: Verdict
    basis: Basis | None
    modification_percent: Percent
    cumulative_percent: Percent
    new_amount_ht: Amount
    new_procedure_required: bool
    cao_opinion_required: bool
    modification_notice_required: bool
    reasons: list[str]
    references: list[str]
    explanation: str
    # Additions to the contract:
    new_procedure_reasons: list[str]
    faible_montant_cumulative_percent: Percent
    deliberating_body_information_required: bool
    decp_update_required: bool
    decp_deadline_on: dt.date | None
    price_drift: PriceDriftAdvice | None
    bases_examined: list[BasisCheck]
    limits: Limits
    regime: str
    regime_date: dt.date
    warnings: list[str]
    ambiguities: list[str]
