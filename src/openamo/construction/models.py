"""Inputs and outputs of the ``amo travaux`` commands (CLI JSON contract)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import Field, StrictBool, model_validator

from openamo.construction.enums import (
    Buyer,
    EnvelopeAlert,
    MoeProcedure,
    OrderKind,
    Organisation,
    Phase,
    PhaseDecision,
    ReceptionDecision,
    WorkKind,
)
from openamo.pricing.enums import PaymentBuyer
from openamo.validation import Amount, InputModel, OutputModel, SignedAmount

Percent = Decimal  # a percentage as written by users ("10" for 10 %), bounded per field
Days = int


class Explained(OutputModel):
    """What every verdict carries: its warnings, the open points, the buyer's choices, the law."""

    buyer_choices: list[str]
    warnings: list[str]
    ambiguities: list[str]
    references: list[str]
    explanation: str


class Step(OutputModel):
    """One dated step of a calendar: when it is due, whether it happened in time, and why."""

    key: str
    label: str
    by: str
    due_on: dt.date | None
    done_on: dt.date | None
    status: str  # "a_venir", "respecte", "depasse", "en_retard", "sans_objet"
    consequence: str
    reference: str


# --- amo travaux moe ---------------------------------------------------------------------------


class MoeInput(InputModel):
    date: dt.date
    buyer: Buyer = Buyer.COLLECTIVITE
    work_kind: WorkKind
    estimated_fee_ht: Amount
    design_mission: StrictBool = True
    studies_estimate_ht: Amount | None = None
    candidates: int = Field(default=3, ge=1, le=20)
    jury_members: int | None = Field(default=None, ge=3, le=40)


class Jury(OutputModel):
    members: int | None
    qualified_members_minimum: int | None
    composition: list[str]


class MoeResult(Explained):
    date: dt.date
    estimated_fee_ht: Amount
    eu_threshold_ht: Amount
    dispense_threshold_ht: Amount
    procedure: MoeProcedure
    contest_mandatory: bool
    contest_exception: str | None
    allowed_procedures: list[str]
    prime_minimum_ht: Amount | None
    primes_total_minimum_ht: Amount | None
    jury: Jury | None
    steps: list[str]


# --- amo travaux honoraires --------------------------------------------------------------------


class FeeInput(InputModel):
    date: dt.date
    provisional_fee_ht: Amount
    provisional_works_cost_ht: Amount
    committed_works_cost_ht: Amount | None = None
    tolerance_percent: Percent | None = Field(default=None, ge=0, le=50)
    consultation_works_cost_ht: Amount | None = None
    unforeseeable_circumstances: StrictBool = False
    final_works_cost_ht: Amount | None = None
    final_tolerance_percent: Percent | None = Field(default=None, ge=0, le=50)
    penalty_share_percent: Percent | None = Field(default=None, gt=0, le=100)
    post_award_fee_ht: Amount | None = None

    @model_validator(mode="after")
    def _consistent(self) -> FeeInput:
        if self.provisional_works_cost_ht == 0:
            raise ValueError(
                "le coût prévisionnel provisoire des travaux doit être strictement positif"
            )
        later = self.consultation_works_cost_ht or self.final_works_cost_ht
        if later is not None and self.committed_works_cost_ht is None:
            raise ValueError(
                "indiquez le coût prévisionnel des travaux sur lequel le maître d'œuvre s'est "
                "engagé pour contrôler un coût de travaux"
            )
        if self.consultation_works_cost_ht is not None and self.tolerance_percent is None:
            raise ValueError(
                "indiquez le taux de tolérance écrit dans le marché pour contrôler le résultat de "
                "la consultation des entreprises : c'est le marché qui le fixe (CCP R2432-2) et "
                "aucun taux par défaut du CCAG-MOE n'a été vérifié"
            )
        if self.final_works_cost_ht is not None and self.final_tolerance_percent is None:
            raise ValueError(
                "indiquez le second taux de tolérance du marché (sur le coût réalisé) pour "
                "contrôler le coût réalisé : c'est le marché qui le fixe (CCP R2432-2) et aucun "
                "taux par défaut du CCAG-MOE n'a été vérifié"
            )
        return self


class FeeResult(Explained):
    date: dt.date
    fee_rate_percent: Decimal
    provisional_fee_ht: Amount
    definitive_fee_ht: Amount | None
    fee_change_ht: SignedAmount | None
    consultation_ceiling_ht: Amount | None
    consultation_excess_ht: SignedAmount | None
    studies_adaptation_may_be_required: bool
    final_ceiling_ht: Amount | None
    final_excess_ht: SignedAmount | None
    penalty_ht: Amount
    penalty_cap_ht: Amount | None
    penalty_capped: bool
    fee_after_penalty_ht: Amount | None


# --- amo travaux organisation ------------------------------------------------------------------


class Actor(InputModel):
    name: str = Field(min_length=1, max_length=200)
    roles: list[str] = Field(min_length=1, max_length=6)


class OrganisationInput(InputModel):
    date: dt.date
    buyer: Buyer = Buyer.COLLECTIVITE
    in_house_skills: str = Field(pattern="^(aucune|partielles|completes)$")
    wants_acts_in_its_name: StrictBool = False
    complex_operation: StrictBool = False
    works_cost_ht: Amount | None = None
    actors: list[Actor] = Field(default_factory=list, max_length=30)


class OrganisationOption(OutputModel):
    organisation: Organisation
    label: str
    what_it_does: str
    acts_in_buyer_name: bool
    procurement: str
    reference: str


class Incompatibility(OutputModel):
    actor: str
    roles: list[str]
    reason: str
    reference: str


class OrganisationResult(Explained):
    date: dt.date
    recommended: Organisation
    options: list[OrganisationOption]
    non_delegable: list[str]
    delegable_to_mandatary: list[str]
    mandate_must_state: list[str]
    incompatibilities: list[Incompatibility]


# --- amo travaux reception ---------------------------------------------------------------------


class ReceptionInput(InputModel):
    consultation_date: dt.date
    completion_notice_on: dt.date
    announced_completion_on: dt.date | None = None
    contractor_letter_on: dt.date | None = None
    opr_on: dt.date | None = None
    moe_proposals_on: dt.date | None = None
    decision: ReceptionDecision | None = None
    decision_notified_on: dt.date | None = None
    effective_on: dt.date | None = None
    reserves_deadline_on: dt.date | None = None
    reserves_lifted_on: dt.date | None = None
    guarantee_months: int | None = Field(default=None, ge=0, le=120)
    possession_on: dt.date | None = None
    condition_survey_on: dt.date | None = None
    as_of: dt.date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ReceptionInput:
        if self.condition_survey_on and self.possession_on is None:
            raise ValueError(
                "un état des lieux contradictoire se rapporte à une prise de possession des "
                "ouvrages : indiquez sa date"
            )
        if self.opr_on and self.opr_on < self.completion_notice_on:
            raise ValueError(
                "la date des opérations préalables à la réception est antérieure à l'avis d'achèvement"
            )
        if self.decision_notified_on and not self.decision:
            raise ValueError(
                "une date de notification de la décision de réception suppose la décision elle-même"
            )
        if self.moe_proposals_on and (self.opr_on is None or self.moe_proposals_on < self.opr_on):
            raise ValueError(
                "les propositions du maître d'œuvre suivent le procès-verbal des opérations "
                "préalables à la réception : indiquez une date d'OPR antérieure"
            )
        if self.decision and self.opr_on is None:
            raise ValueError(
                "indiquez la date des opérations préalables à la réception avec la décision"
            )
        if self.decision_notified_on and self.opr_on and self.decision_notified_on < self.opr_on:
            raise ValueError(
                "la notification de la décision de réception est antérieure aux opérations préalables"
            )
        if self.reserves_lifted_on and self.decision not in {
            ReceptionDecision.AVEC_RESERVES,
            ReceptionDecision.SOUS_RESERVE,
        }:
            raise ValueError(
                "une date de levée des réserves suppose une réception avec réserves ou sous réserve"
            )
        return self


class ReceptionResult(Explained):
    consultation_date: dt.date
    decision: ReceptionDecision | None
    reception_effective_on: dt.date | None
    guarantee_ends_on: dt.date | None
    final_draft_due_on: dt.date | None
    equipment_guarantee_ends_on: dt.date | None
    ten_year_liability_ends_on: dt.date | None
    steps: list[Step]


# --- amo travaux dgd ---------------------------------------------------------------------------


class CcapDays(InputModel):
    """Deadlines the CCAP set instead of the CCAG's (art. 12), in days."""

    final_draft: Days | None = Field(default=None, ge=1, le=365)
    general_account: Days | None = Field(default=None, ge=1, le=365)
    contractor_return: Days | None = Field(default=None, ge=1, le=365)
    tacit: Days | None = Field(default=None, ge=1, le=365)


class DgdInput(InputModel):
    consultation_date: dt.date
    buyer: Buyer = Buyer.COLLECTIVITE
    reception_notified_on: dt.date
    reception_decision: ReceptionDecision = ReceptionDecision.SANS_RESERVE
    reserves_lifted_on: dt.date | None = None
    final_draft_received_by_moe_on: dt.date | None = None
    final_draft_received_by_buyer_on: dt.date | None = None
    general_account_notified_on: dt.date | None = None
    contractor_returned_on: dt.date | None = None
    contractor_reserves: StrictBool = False
    claim_received_on: dt.date | None = None  # the mémoire en réclamation, received by the buyer
    tacit_draft_notified_on: dt.date | None = None
    ccap_days: CcapDays | None = None
    as_of: dt.date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> DgdInput:
        if self.reception_decision is ReceptionDecision.REFUS:
            raise ValueError("pas de décompte final sans réception : la réception a été refusée")
        if (
            self.reception_decision is ReceptionDecision.SOUS_RESERVE
            and not self.reserves_lifted_on
        ):
            raise ValueError(
                "réception sous réserve : indiquez la date de levée des réserves (le délai du "
                "décompte final court de cette levée)"
            )
        if self.contractor_returned_on and not self.general_account_notified_on:
            raise ValueError(
                "le retour du décompte général signé par le titulaire suppose sa notification"
            )
        returned = self.contractor_returned_on
        notified = self.general_account_notified_on
        if returned and notified and returned < notified:
            raise ValueError(
                "la date de retour du décompte général signé par le titulaire est antérieure à "
                "sa notification"
            )
        claim = self.claim_received_on
        if claim and not (self.contractor_reserves and notified):
            raise ValueError(
                "la date de réception du mémoire en réclamation suppose un décompte général "
                "notifié puis renvoyé avec réserves par le titulaire"
            )
        if claim and notified and claim < notified:
            raise ValueError(
                "le mémoire en réclamation sur le décompte général est reçu avant la notification "
                "de ce décompte"
            )
        return self


class DgdResult(Explained):
    consultation_date: dt.date
    start_on: dt.date
    state: str  # "en_cours", "dgd", "dgd_tacite", "reclamation"
    final_account_on: dt.date | None
    balance_payment_due_on: dt.date | None
    steps: list[Step]
    contractor_deadline_on: dt.date | None = None
    """Last day for the holder to return the notified décompte général signed or to send its
    mémoire en réclamation (art. 12.4.3, 55.1.1); None before the décompte général exists."""
    deemed_accepted_on: dt.date | None = None
    """The day the holder is deemed to accept the notified décompte général if silent."""
    later_steps: list[Step] = Field(default_factory=list)
    """The steps that follow, each dated as if the one before it took its whole period."""


# --- amo travaux phases ------------------------------------------------------------------------


class Space(InputModel):
    name: str = Field(min_length=1, max_length=200)
    area_m2: Decimal = Field(gt=0, le=1_000_000, max_digits=12, decimal_places=2)


class Programme(InputModel):
    """The programme of L2421-2: what the operation must achieve and under which constraints."""

    objectives: list[str] = Field(default_factory=list, max_length=50)
    needs: list[str] = Field(default_factory=list, max_length=100)
    constraints: list[str] = Field(default_factory=list, max_length=100)
    functional_requirements: list[str] = Field(default_factory=list, max_length=100)
    technical_requirements: list[str] = Field(default_factory=list, max_length=100)
    environmental_targets: list[str] = Field(default_factory=list, max_length=50)
    performance_targets: list[str] = Field(default_factory=list, max_length=50)
    spaces: list[Space] = Field(default_factory=list, max_length=300)


class EnvelopeChange(InputModel):
    date: dt.date
    works_ht: Amount
    decided_by: str = Field(min_length=2, max_length=200)
    reason: str = Field(min_length=3, max_length=2000)


class PhaseEntry(InputModel):
    phase: Phase
    started_on: dt.date | None = None
    submitted_on: dt.date | None = None
    estimate_ht: Amount | None = None
    decision: PhaseDecision | None = None
    decided_on: dt.date | None = None
    decided_by: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _dated(self) -> PhaseEntry:
        if self.decision and not self.decided_on:
            raise ValueError("une décision sur une phase porte sa date (date de la décision)")
        if self.decided_on and self.submitted_on and self.decided_on < self.submitted_on:
            raise ValueError("la date de la décision est antérieure à la remise de la phase")
        return self


class PhasesInput(InputModel):
    date: dt.date
    work_kind: WorkKind
    complex_operation: StrictBool = False
    programme: Programme | None = None
    envelope_works_ht: Amount
    envelope_total_ht: Amount | None = None
    envelope_set_on: dt.date
    envelope_changes: list[EnvelopeChange] = Field(default_factory=list, max_length=100)
    phases: list[PhaseEntry] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _consistent(self) -> PhasesInput:
        if self.envelope_works_ht == 0:
            raise ValueError("la part travaux de l'enveloppe doit être strictement positive")
        seen = [entry.phase for entry in self.phases]
        if len(seen) != len(set(seen)):
            raise ValueError("chaque phase ne figure qu'une fois")
        dates = [change.date for change in self.envelope_changes]
        if dates != sorted(dates) or (dates and dates[0] < self.envelope_set_on):
            raise ValueError(
                "les évolutions de l'enveloppe sont datées après sa fixation, dans l'ordre"
            )
        return self


class EnvelopeStep(OutputModel):
    date: dt.date
    works_ht: Amount
    change_ht: SignedAmount
    decided_by: str
    reason: str
    during: Phase | None
    moe_amendment_needed: bool


class PhaseRow(OutputModel):
    phase: Phase
    label: str
    estimate_ht: Amount | None
    envelope_works_ht: Amount
    share_percent: Decimal | None
    gap_ht: SignedAmount | None
    alert: EnvelopeAlert | None
    decision: PhaseDecision | None
    decided_on: dt.date | None
    decided_by: str | None


class PhasesResult(Explained):
    date: dt.date
    envelope_works_ht: Amount
    envelope_history: list[EnvelopeStep]
    programme_gaps: list[str]
    surface_total_m2: Decimal | None
    rows: list[PhaseRow]
    latest_estimate_ht: Amount | None
    alert: EnvelopeAlert
    missing_mission_elements: list[Phase]


# --- amo travaux ordres-de-service -------------------------------------------------------------


class OrderEntry(InputModel):
    number: int = Field(ge=1, le=10_000)
    kind: OrderKind
    effective_on: dt.date | None = None
    received_on: dt.date | None = None
    reserves_on: dt.date | None = None
    answered_on: dt.date | None = None
    """When the maître d'ouvrage notified its answer to the reserves."""

    @model_validator(mode="after")
    def _dated(self) -> OrderEntry:
        if self.reserves_on and self.received_on and self.reserves_on < self.received_on:
            raise ValueError(
                "la date des réserves est antérieure à la réception de l'ordre de service"
            )
        if self.answered_on and self.reserves_on is None:
            raise ValueError("une réponse est datée sans réserves du titulaire")
        if self.answered_on and self.reserves_on and self.answered_on < self.reserves_on:
            raise ValueError("la réponse aux réserves est antérieure aux réserves")
        return self


class OrdersInput(InputModel):
    consultation_date: dt.date
    orders: list[OrderEntry] = Field(min_length=1, max_length=500)
    as_of: dt.date | None = None

    @model_validator(mode="after")
    def _numbered(self) -> OrdersInput:
        numbers = [order.number for order in self.orders]
        if len(numbers) != len(set(numbers)):
            raise ValueError("chaque ordre de service porte un numéro différent")
        return self


class OrderRow(OutputModel):
    number: int
    kind: OrderKind
    label: str
    effective_on: dt.date | None
    received_on: dt.date | None
    reserves_due_on: dt.date | None
    reserves_on: dt.date | None
    answer_due_on: dt.date | None
    """The day by which the maître d'ouvrage answers the reserves (art. 3.8.2), once received."""
    answered_on: dt.date | None
    status: (
        str  # delai_ouvert, reserves_dans_le_delai, reserves_tardives, sans_reserves, sans_accuse
    )
    foreclosed: bool
    effect: str
    reference: str


class OrdersResult(Explained):
    consultation_date: dt.date
    reserves_days: int
    orders: list[OrderRow]
    interrupted_days: int
    termination_right: bool


# --- amo travaux acomptes ----------------------------------------------------------------------


class StatementEntry(InputModel):
    """One monthly request: the holder's cumulative value, the one the MOE accepted."""

    number: int = Field(ge=1, le=1000)
    month: dt.date
    received_by_moe_on: dt.date
    claimed_cumulative_ht: Amount
    accepted_cumulative_ht: Amount | None = None
    paid_on: dt.date | None = None

    @model_validator(mode="after")
    def _dated(self) -> StatementEntry:
        if self.paid_on and self.paid_on < self.received_by_moe_on:
            raise ValueError("la date du paiement est antérieure à la réception de la demande")
        if self.paid_on and self.accepted_cumulative_ht is None:
            raise ValueError("un acompte payé a d'abord été accepté par le maître d'œuvre")
        return self


class StatementsInput(InputModel):
    consultation_date: dt.date
    buyer: PaymentBuyer = PaymentBuyer.COLLECTIVITE
    sme: StrictBool = False
    initial_amount_ht: Amount
    modifications_ht: Amount = Decimal(0)
    vat_rate_percent: Decimal = Field(default=Decimal(20), ge=0, le=100)
    retention_rate_percent: Percent | None = Field(default=None, ge=0, le=100)
    retention_substitute: StrictBool = False
    retention_substitute_on: dt.date | None = None
    revision_coefficient: Decimal | None = Field(default=None, gt=0, le=10)
    contractual_days: int | None = Field(default=None, ge=1, le=365)
    advance_ttc: Amount | None = None
    advance_repayment_start_percent: Percent | None = Field(default=None, ge=0, lt=100)
    advance_repayment_end_percent: Percent | None = Field(default=None, gt=0, le=100)
    statements: list[StatementEntry] = Field(min_length=1, max_length=240)
    as_of: dt.date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> StatementsInput:
        if self.initial_amount_ht == 0:
            raise ValueError("le montant initial du marché HT doit être strictement positif")
        numbers = [entry.number for entry in self.statements]
        if len(numbers) != len(set(numbers)):
            raise ValueError("chaque acompte porte un numéro différent")
        start = self.advance_repayment_start_percent
        end = self.advance_repayment_end_percent
        if start is not None and end is not None and end <= start:
            raise ValueError(
                "le remboursement de l'avance se termine à un avancement supérieur à celui où "
                "il commence"
            )
        return self


class StatementRow(OutputModel):
    number: int
    month: dt.date
    received_by_moe_on: dt.date
    claimed_cumulative_ht: Amount
    accepted_cumulative_ht: Amount | None
    month_ht: SignedAmount
    revision_ht: SignedAmount
    month_ttc: SignedAmount
    retention_ttc: Amount
    advance_repayment_ttc: Amount
    payable_ttc: SignedAmount
    payment_due_on: dt.date | None
    paid_on: dt.date | None
    days_late: int
    interest: Amount | None
    status: str  # a_verifier, a_payer, en_retard, payee, payee_en_retard


class StatementsResult(Explained):
    consultation_date: dt.date
    contract_amount_ht: Amount
    cumulative_ht: Amount
    progress_percent: Decimal
    retention_total_ttc: Amount
    retention_cap_ttc: Amount
    advance_ttc: Amount
    advance_repaid_ttc: Amount
    statements: list[StatementRow]


# --- amo travaux augmentation ------------------------------------------------------------------


class WorksIncreaseInput(InputModel):
    """A works contract whose amount of works may go beyond its contractual amount (CCAG-Travaux
    2021, art. 14). Amounts at the contract's initial prices (new prices included), without price
    updating or revision, HT."""

    consultation_date: dt.date
    lump_sum_contractual_ht: Amount = Decimal(0)
    """Part of the contractual amount (initial contract plus amendments) paid by lump-sum prices."""
    unit_price_contractual_ht: Amount = Decimal(0)
    """Part of the contractual amount paid by unit prices."""
    works_amount_ht: Amount
    """The amount of the works as now assessed (executed and ordered)."""
    probable_reach_on: dt.date | None = None
    """The probable date when the amount of the works will reach the contractual amount."""
    contractor_notice_on: dt.date | None = None
    stop_order_on: dt.date | None = None
    continuation_decided: StrictBool = False
    """An amendment (or a decision to continue) covers the works beyond the contractual amount."""
    needs_changes_ht: Amount | None = None
    """Cumulated works ordered for changes in the needs or conditions of use, since the contract's
    notification or its last amendment, the refused order included."""
    needs_change_order_on: dt.date | None = None
    refusal_on: dt.date | None = None
    as_of: dt.date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> WorksIncreaseInput:
        if self.lump_sum_contractual_ht + self.unit_price_contractual_ht <= 0:
            raise ValueError(
                "indiquez le montant contractuel des travaux (part à prix forfaitaires et/ou part "
                "sur prix unitaires, avenants compris)"
            )
        if (self.needs_change_order_on or self.refusal_on) and self.needs_changes_ht is None:
            raise ValueError(
                "un ordre de service de changement dans les besoins, ou son refus, suppose le "
                "montant cumulé de ces travaux"
            )
        if (
            self.refusal_on
            and self.needs_change_order_on
            and self.refusal_on < self.needs_change_order_on
        ):
            raise ValueError(
                "le refus du titulaire ne peut précéder l'ordre de service qu'il refuse"
            )
        return self


class WorksIncreaseResult(Explained):
    consultation_date: dt.date
    contractual_ht: Amount
    works_amount_ht: Amount
    increase_ht: SignedAmount
    """Works amount minus contractual amount (negative: a decrease, art. 15)."""
    increase_percent: Decimal
    limit_ht: Amount
    """The « augmentation limite »: the sum of each part's limit."""
    ceiling_ht: Amount
    """Contractual amount plus the limit: where the holder stops without an order to continue."""
    beyond_limit_ht: Amount
    """The part of the increase beyond the limit, for which the holder may claim its loss."""
    status: str  # sous_montant_contractuel, dans_augmentation_limite, au_dela_augmentation_limite
    contractor_notice_due_on: dt.date | None
    stop_order_due_on: dt.date | None
    needs_changes_cap_ht: Amount | None
    needs_changes_refusable: bool | None
    refusal_due_on: dt.date | None
