"""Input and output of the offers analysis (CLI JSON contract ``amo offres score``).

The contract's fields (``criteria``, ``offers``, ``estimate_ht`` → ``ranking``,
``abnormally_low``, ``references``, ``explanation``) are kept exactly; everything else is an
optional addition with a default.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from pydantic import (
    BeforeValidator,
    Field,
    PlainSerializer,
    SerializerFunctionWrapHandler,
    StrictBool,
    model_serializer,
    model_validator,
)

from openamo.award.enums import (
    AbnormalOutcome,
    CandidacyVerdict,
    CheckLevel,
    CriterionKind,
    LotOutcome,
    OfferStatus,
    PriceMethod,
)
from openamo.procurement.enums import Nature, ProcedureKind
from openamo.validation import Amount, InputModel, OutputModel

HUNDRED = Decimal(100)
DEFAULT_MAX_SCORE = Decimal(20)

Name = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(max_length=10_000)]
Weight = Annotated[Decimal, Field(gt=0, le=100, allow_inf_nan=False)]
Mark = Annotated[Decimal, Field(ge=0, le=1_000_000, allow_inf_nan=False)]
Positive = Annotated[Decimal, Field(gt=0, le=1_000_000, allow_inf_nan=False)]


def _two_places(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):.2f}"


def _four_places(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.0001'), rounding=ROUND_HALF_UP):.4f}"


Points = Annotated[Decimal, PlainSerializer(_two_places, return_type=str)]
"""A score on the 0–100 scale (or a part of it), written with two decimals: "87.50"."""

Ratio = Annotated[Decimal, PlainSerializer(_four_places, return_type=str)]
"""A normalised score between 0 and 1, written with four decimals: "0.8333"."""


class GridLevel(InputModel):
    """One level of a marking grid: the mark, its label and the justification expected."""

    mark: Mark
    label: Name
    expected: Text | None = None


def _check_grid(grid: list[GridLevel] | None, max_score: Decimal | None, where: str) -> None:
    if not grid:
        return
    marks = [level.mark for level in grid]
    if len(set(marks)) != len(marks):
        raise ValueError(f"{where} : deux niveaux de la grille ont la même note")
    if max_score is not None and max(marks) > max_score:
        raise ValueError(f"{where} : une note de la grille dépasse le barème ({max_score})")


class SubCriterionInput(InputModel):
    """A sub-criterion; its weight is expressed in points of the total (sum = parent weight)."""

    name: Name
    weight: Weight
    max_score: Positive | None = None
    environmental: StrictBool = False
    disclosed: StrictBool = True
    description: Text | None = None
    grid: list[GridLevel] | None = Field(default=None, max_length=20)

    @model_validator(mode="after")
    def _grid(self) -> SubCriterionInput:
        _check_grid(self.grid, self.max_score, f"sous-critère « {self.name} »")
        return self


class CriterionInput(InputModel):
    name: Name
    weight: Weight
    kind: CriterionKind
    method: PriceMethod | None = None
    max_score: Positive | None = None
    environmental: StrictBool = False
    linked_to_object: StrictBool = True
    description: Text | None = None
    sub_criteria: list[SubCriterionInput] = Field(default_factory=list, max_length=20)
    grid: list[GridLevel] | None = Field(default=None, max_length=20)

    @model_validator(mode="after")
    def _coherent(self) -> CriterionInput:
        where = f"critère « {self.name} »"
        if self.method is not None and not self.kind.is_price:
            raise ValueError(f"{where} : « method » ne s'applique qu'aux critères prix ou coût")
        if self.kind.is_price and (self.sub_criteria or self.grid):
            raise ValueError(f"{where} : un critère prix ou coût est calculé, sans sous-critère")
        names = [sub.name for sub in self.sub_criteria]
        if len(set(names)) != len(names):
            raise ValueError(f"{where} : deux sous-critères portent le même nom")
        if self.sub_criteria:
            total = sum((sub.weight for sub in self.sub_criteria), Decimal(0))
            if total != self.weight:
                raise ValueError(
                    f"{where} : la somme des poids des sous-critères ({total}) doit être égale "
                    f"au poids du critère ({self.weight})"
                )
        _check_grid(self.grid, self.scale, where)
        return self

    @property
    def price_method(self) -> PriceMethod:
        return self.method or PriceMethod.PROPORTIONNELLE

    @property
    def scale(self) -> Decimal:
        """The marking scale of a non-price criterion (20 unless stated)."""
        return self.max_score or DEFAULT_MAX_SCORE

    def sub_scale(self, sub: SubCriterionInput) -> Decimal:
        return sub.max_score or self.scale

    @property
    def takes_environment_into_account(self) -> bool:
        if self.kind is CriterionKind.ENVIRONNEMENT or self.environmental:
            return True
        return any(sub.environmental for sub in self.sub_criteria)


class MarkDetail(InputModel):
    """A mark with the written justification that makes it defensible before a judge."""

    mark: Mark
    justification: Text | None = None


def _as_mark(value: Any) -> Any:
    if isinstance(value, dict):
        return value
    return {"mark": value}


def _as_score_entry(value: Any) -> Any:
    """Accept a bare mark, ``{"mark", "justification"}`` or ``{sub-criterion: mark…}``."""
    if isinstance(value, dict) and "mark" not in value:
        return {"sub_marks": {key: _as_mark(item) for key, item in value.items()}}
    return _as_mark(value)


class ScoreEntry(InputModel):
    """What an offer received on one criterion: a mark, or one mark per sub-criterion."""

    mark: Mark | None = None
    justification: Text | None = None
    sub_marks: dict[Name, MarkDetail] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> ScoreEntry:
        if (self.mark is None) == (self.sub_marks is None):
            raise ValueError("indiquez soit une note, soit une note par sous-critère")
        return self

    @model_serializer(mode="wrap")
    def _contract_form(self, handler: SerializerFunctionWrapHandler) -> Any:
        """Written in the form it is read from (``{sub-criterion: mark…}`` for sub-marks), so
        that a dumped input (an analysis kept by the web) parses again."""
        data = handler(self)
        if self.sub_marks is None:
            return {key: value for key, value in data.items() if key != "sub_marks"}
        return data["sub_marks"]


MarkValue = Annotated[ScoreEntry, BeforeValidator(_as_score_entry)]


class DqeLine(InputModel):
    designation: Name
    quantity: Annotated[Decimal, Field(ge=0, le=1_000_000_000, allow_inf_nan=False)]
    unit_price_ht: Amount


class OfferInput(InputModel):
    bidder: Name
    price_ht: Amount
    scores: dict[Name, MarkValue] = Field(default_factory=dict)
    status: OfferStatus = OfferStatus.REGULIERE
    status_reason: Text | None = None
    regularised: StrictBool = False
    abnormally_low_outcome: AbnormalOutcome | None = None
    abnormally_low_note: Text | None = None
    dqe: list[DqeLine] | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def _positive_price(self) -> OfferInput:
        if self.price_ht <= 0:
            raise ValueError(f"offre de « {self.bidder} » : le prix doit être strictement positif")
        if (
            self.abnormally_low_outcome is AbnormalOutcome.REJETEE
            and not (self.abnormally_low_note or "").strip()
        ):
            raise ValueError(
                f"offre de « {self.bidder} » : le rejet d'une offre anormalement basse est une "
                "décision motivée (CCP R2152-4) ; écrivez ses motifs"
            )
        if self.regularised and self.status is not OfferStatus.IRREGULIERE:
            raise ValueError(
                f"offre de « {self.bidder} » : seule une offre irrégulière peut être régularisée "
                "(CCP R2152-2)"
            )
        return self


class CandidacyInput(InputModel):
    """Admissibility checklist of one candidacy (DC1/DC2 or DUME, sworn statement, capacities).

    ``None`` for a capacity means the consultation did not ask for it.
    """

    bidder: Name
    application_form: StrictBool
    declaration_form: StrictBool
    sworn_statement: StrictBool
    powers_of_signatory: StrictBool | None = None
    economic_capacity: StrictBool | None = None
    technical_capacity: StrictBool | None = None
    capacities_sufficient: StrictBool = True
    exclusion_ground: StrictBool = False
    regularisation_requested: StrictBool = False
    regularised: StrictBool = False
    comment: Text | None = None


def _unique_bidders(offers: list[OfferInput], where: str) -> None:
    names = [offer.bidder for offer in offers]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"{where} : soumissionnaire présent deux fois ({', '.join(duplicates)})")


def check_weights(criteria: list[CriterionInput], where: str) -> None:
    total = sum((criterion.weight for criterion in criteria), Decimal(0))
    if total != HUNDRED:
        raise ValueError(
            f"{where} : la somme des poids des critères doit être égale à 100 (reçu : {total})"
        )
    names = [criterion.name for criterion in criteria]
    if len(set(names)) != len(names):
        raise ValueError(f"{where} : deux critères portent le même nom")
    if sum(1 for criterion in criteria if criterion.kind.is_price) > 1:
        raise ValueError(f"{where} : un seul critère prix ou coût est admis")


class LotInput(InputModel):
    name: Name
    criteria: list[CriterionInput] | None = Field(default=None, min_length=1, max_length=30)
    offers: list[OfferInput] = Field(default_factory=list, max_length=500)
    estimate_ht: Amount | None = None
    budget_ht: Amount | None = None
    winners: int = Field(default=1, ge=1, le=50)
    tie_break: Name | None = None

    @model_validator(mode="after")
    def _coherent(self) -> LotInput:
        if self.criteria is not None:
            check_weights(self.criteria, f"lot « {self.name} »")
        _unique_bidders(self.offers, f"lot « {self.name} »")
        return self


class ScoreInput(InputModel):
    """``amo offres score``: criteria and offers of one consultation (or of each of its lots)."""

    date: dt.date | None = None
    procedure: ProcedureKind | None = None
    nature: Nature | None = None
    standardised_purchase: StrictBool | None = None
    criteria: list[CriterionInput] = Field(min_length=1, max_length=30)
    offers: list[OfferInput] | None = Field(default=None, max_length=500)
    estimate_ht: Amount | None = None
    budget_ht: Amount | None = None
    winners: int = Field(default=1, ge=1, le=50)
    tie_break: Name | None = None
    lots: list[LotInput] | None = Field(default=None, min_length=1, max_length=200)
    candidacies: list[CandidacyInput] = Field(default_factory=list, max_length=500)

    @model_validator(mode="after")
    def _coherent(self) -> ScoreInput:
        check_weights(self.criteria, "critères")
        if self.lots is None and self.offers is None:
            raise ValueError("indiquez « offers » (consultation sans lots) ou « lots »")
        if self.lots is not None and self.offers is not None:
            raise ValueError(
                "« offers » et « lots » sont exclusifs : placez les offres dans leur lot"
            )
        if self.offers is not None:
            _unique_bidders(self.offers, "offres")
        if self.lots is not None:
            names = [lot.name for lot in self.lots]
            if len(set(names)) != len(names):
                raise ValueError("deux lots portent le même nom")
        bidders = [candidacy.bidder for candidacy in self.candidacies]
        if len(set(bidders)) != len(bidders):
            raise ValueError("candidatures : un candidat est présent deux fois")
        return self


# --- Output ---------------------------------------------------------------------------------


class RankEntry(OutputModel):
    bidder: str
    rank: int
    total: Points
    by_criterion: dict[str, Points]


class AbnormalEntry(OutputModel):
    bidder: str
    reason: str


class EliminatedEntry(OutputModel):
    bidder: str
    status: str
    reason: str
    references: list[str]


class Check(OutputModel):
    level: CheckLevel
    code: str
    message: str
    references: list[str]


class SubMarkDetail(OutputModel):
    sub_criterion: str
    mark: Points | None
    max_score: Points
    points: Points
    justification: str | None


class CriterionScore(OutputModel):
    criterion: str
    kind: CriterionKind
    weight: Points
    mark: Points | None
    max_score: Points | None
    normalised: Ratio
    points: Points
    justification: str | None
    sub_marks: list[SubMarkDetail]


class OfferDetail(OutputModel):
    bidder: str
    price_ht: Amount
    ranked: bool
    rank: int | None
    total: Points | None
    criteria: list[CriterionScore]
    abnormally_low_signals: list[str]


class MethodNote(OutputModel):
    criterion: str
    method: PriceMethod
    formula: str
    explanation: str


class CandidacyResult(OutputModel):
    bidder: str
    verdict: CandidacyVerdict
    missing: list[str]
    reasons: list[str]
    references: list[str]


class LotResult(OutputModel):
    name: str
    outcome: LotOutcome
    ranking: list[RankEntry]
    abnormally_low: list[AbnormalEntry]
    awarded: list[str]
    eliminated: list[EliminatedEntry]
    offers: list[OfferDetail]
    methods: list[MethodNote]
    criteria_checks: list[Check]
    notes: list[str]
    warnings: list[str]
    explanation: str


class ScoreResult(OutputModel):
    date: dt.date
    procedure: ProcedureKind | None
    ranking: list[RankEntry]
    abnormally_low: list[AbnormalEntry]
    awarded: list[str]
    eliminated: list[EliminatedEntry]
    offers: list[OfferDetail]
    methods: list[MethodNote]
    outcome: LotOutcome | None
    criteria_checks: list[Check]
    compliant: bool
    candidacies: list[CandidacyResult]
    lots: list[LotResult]
    notes: list[str]
    warnings: list[str]
    ambiguities: list[str]
    references: list[str]
    explanation: str
