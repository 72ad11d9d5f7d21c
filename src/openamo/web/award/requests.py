"""What the buyer asks the passation pages to record, typed: the forms produce these
(``form.request()``), the services take them, and the mappers turn them, with the operation's
data, into the domain's input models (``dce.mapping.consultation_input`` → ``ConsultationInput``,
``CriterionRequest.build`` → ``CriterionInput``).

The DCE settings are kept as the form's JSON (``DceSettings.data``): :meth:`DceRequest.to_stored`
writes it, :meth:`DceRequest.from_stored` reads it back (the lists typed one per line stay text,
as typed; :mod:`openamo.web.award.lines` reads them).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from openamo.award import AbnormalOutcome, CriterionKind, OfferStatus, PriceMethod, default_grid
from openamo.award.consultation import ContractForm, PriceForm, ProcedureType
from openamo.award.models import CriterionInput, GridLevel, SubCriterionInput
from openamo.procurement.enums import SocialConditionException
from openamo.web.award import lines
from openamo.web.errors import LocatedErrors

if TYPE_CHECKING:
    from openamo.web.award.models import Candidacy, Offer

StoredValue = str | int | bool | None
"""A value of the DCE settings as the JSON keeps it."""

DEFAULT_RESPONSE_TIME = datetime.time(12, 0)
_OPTIONAL_CHOICES = ("procedure_type", "social_condition_exception")
"""Choices left at « none » are kept as the form posts them: ``""``."""
_LOT_KEY = re.compile(r"^(catering|items|max|requirements)_(\d+)$")


@dataclass(frozen=True)
class DceLotRequest:
    """What the DCE says of one lot (or of the contract without lots)."""

    catering: bool = False
    items: str = ""
    """The bordereau des prix as typed, one article per line (:func:`lines.bpu_items`)."""
    max_amount_ht: Decimal | None = None
    requirements: str = ""
    """The CCTP's technical requirements of the lot as typed, one per line."""


@dataclass(frozen=True)
class DceRequest:
    """The DCE settings as typed on their form; blank texts stay blank (``""``)."""

    reference: str = ""
    cpv: str = ""
    procedure_type: ProcedureType | None = None
    contract_form: ContractForm = ContractForm.ORDINAIRE
    ccag: str = ""
    response_time: datetime.time = DEFAULT_RESPONSE_TIME
    validity_days: int = 120
    winners: int = 1
    subsequent_response_days: int | None = None
    """Days the holders have to answer a remise en concurrence (R2162-10 2°), multi-holder."""
    mixed_split: str = ""
    """Which services are ordered and which are subsequent contracts (mixed, R2162-3)."""
    tie_break: str = ""
    variants_allowed: bool = False
    negotiation: bool = False
    site_visit: bool = False
    buyer_address: str = ""
    buyer_representative: str = ""
    buyer_profile_url: str = ""
    buyer_court: str = ""
    buyer_contact: str = ""
    buyer_accountant: str = ""
    delivery_sites: str = ""
    price_form: PriceForm = PriceForm.FERME
    revision_fixed_part: Decimal | None = None
    revision_terms: str = ""
    revision_base_month: str = ""
    revision_periodicity: str = ""
    penalties: str = ""
    advance_percent: Decimal | None = None
    retention_percent: Decimal | None = None
    environmental_conditions: str = ""
    social_conditions: str = ""
    social_condition_exception: SocialConditionException | None = None
    technical_memo: str = ""
    economic_capacity: str = ""
    technical_capacity: str = ""
    egalim_quality_percent: Decimal | None = None
    egalim_organic_percent: Decimal | None = None
    lots: Mapping[int, DceLotRequest] = field(default_factory=dict)
    """By scope key (the lot's identifier, ``GLOBAL`` without lots)."""

    def lot(self, key: int) -> DceLotRequest:
        return self.lots.get(key, DceLotRequest())

    def to_stored(self) -> dict[str, StoredValue]:
        """The JSON ``DceSettings.data`` keeps (and the form's initial values)."""
        stored: dict[str, StoredValue] = {}
        for item in fields(self):
            if item.name != "lots":
                stored[item.name] = _stored(getattr(self, item.name))
        for name in _OPTIONAL_CHOICES:
            stored[name] = stored[name] or ""
        for key, lot in self.lots.items():
            stored[f"catering_{key}"] = lot.catering
            stored[f"items_{key}"] = lot.items
            stored[f"max_{key}"] = _stored(lot.max_amount_ht)
            stored[f"requirements_{key}"] = lot.requirements
        return stored

    @classmethod
    def from_stored(cls, data: Mapping[str, object]) -> DceRequest:
        """The settings kept by :meth:`to_stored` (or by an earlier version: what is missing
        takes its default)."""
        return cls(
            reference=_text(data, "reference"),
            cpv=_text(data, "cpv"),
            procedure_type=ProcedureType(_text(data, "procedure_type"))
            if data.get("procedure_type")
            else None,
            contract_form=ContractForm(
                str(data.get("contract_form") or ContractForm.ORDINAIRE.value)
            ),
            ccag=_text(data, "ccag"),
            response_time=datetime.time.fromisoformat(
                _text(data, "response_time") or DEFAULT_RESPONSE_TIME.isoformat()
            ),
            validity_days=_count(data.get("validity_days")) or 120,
            winners=_count(data.get("winners")) or 1,
            subsequent_response_days=_count(data.get("subsequent_response_days")),
            mixed_split=_text(data, "mixed_split"),
            tie_break=_text(data, "tie_break"),
            variants_allowed=bool(data.get("variants_allowed")),
            negotiation=bool(data.get("negotiation")),
            site_visit=bool(data.get("site_visit")),
            buyer_address=_text(data, "buyer_address"),
            buyer_representative=_text(data, "buyer_representative"),
            buyer_profile_url=_text(data, "buyer_profile_url"),
            buyer_court=_text(data, "buyer_court"),
            buyer_contact=_text(data, "buyer_contact"),
            buyer_accountant=_text(data, "buyer_accountant"),
            delivery_sites=_text(data, "delivery_sites"),
            price_form=PriceForm(str(data.get("price_form") or PriceForm.FERME.value)),
            revision_fixed_part=_decimal(data.get("revision_fixed_part")),
            revision_terms=_text(data, "revision_terms"),
            revision_base_month=_text(data, "revision_base_month"),
            revision_periodicity=_text(data, "revision_periodicity"),
            penalties=_text(data, "penalties"),
            advance_percent=_decimal(data.get("advance_percent")),
            retention_percent=_decimal(data.get("retention_percent")),
            environmental_conditions=_text(data, "environmental_conditions"),
            social_conditions=_text(data, "social_conditions"),
            social_condition_exception=SocialConditionException(
                _text(data, "social_condition_exception")
            )
            if data.get("social_condition_exception")
            else None,
            technical_memo=_text(data, "technical_memo"),
            economic_capacity=_text(data, "economic_capacity"),
            technical_capacity=_text(data, "technical_capacity"),
            egalim_quality_percent=_decimal(data.get("egalim_quality_percent")),
            egalim_organic_percent=_decimal(data.get("egalim_organic_percent")),
            lots=_stored_lots(data),
        )


def _stored_lots(data: Mapping[str, object]) -> dict[int, DceLotRequest]:
    keys = sorted({int(match[2]) for name in data if (match := _LOT_KEY.match(name))})
    return {
        key: DceLotRequest(
            catering=bool(data.get(f"catering_{key}")),
            items=_text(data, f"items_{key}"),
            max_amount_ht=_decimal(data.get(f"max_{key}")),
            requirements=_text(data, f"requirements_{key}"),
        )
        for key in keys
    }


def _stored(value: object) -> StoredValue:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, ContractForm | PriceForm | ProcedureType | SocialConditionException):
        return value.value
    if value is None or isinstance(value, str | int | bool):
        return value
    raise TypeError(f"unexpected DCE setting {value!r}")


def _text(data: Mapping[str, object], key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value)


def _count(value: object) -> int | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        return int(str(value))
    except ValueError:
        return None


def _decimal(value: object) -> Decimal | None:
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


# --- Criteria ----------------------------------------------------------------------------------


def plain(value: Decimal) -> Decimal:
    """``value`` as typed without its trailing zeros nor an exponent: « 20 », not « 2E+1 » or
    « 20.0000 » (the criteria's JSON keeps numbers as they read)."""
    return Decimal(format(value.normalize(), "f"))


def _plain_or_none(value: Decimal | None) -> Decimal | None:
    return None if value is None else plain(value)


@dataclass(frozen=True)
class GridRow:
    """One level of a marking grid as typed: its mark, its label, the justification expected."""

    mark: Decimal | None
    label: str
    expected: str = ""

    def to_domain(self) -> GridLevel:
        return GridLevel(
            mark=_plain_or_none(self.mark), label=self.label, expected=self.expected or None
        )

    @classmethod
    def from_domain(cls, level: GridLevel) -> GridRow:
        return cls(mark=level.mark, label=level.label, expected=level.expected or "")


def suggested_grid(scale: Decimal) -> tuple[GridRow, ...]:
    """The domain's five-level grid on ``scale``."""
    return tuple(GridRow.from_domain(level) for level in default_grid(scale))


def _grid(
    rows: tuple[GridRow, ...] | None, errors: LocatedErrors, within: str
) -> list[GridLevel] | None:
    if rows is None:
        return None
    built = [errors.build(f"{within}.grid[{k}]", row.to_domain) for k, row in enumerate(rows)]
    return [level for level in built if level is not None]


@dataclass(frozen=True)
class SubCriterionRow:
    """A sub-criterion as typed (its weight in points of the total)."""

    name: str
    weight: Decimal | None
    environmental: bool = False
    disclosed: bool = True
    description: str = ""
    max_score: Decimal | None = None
    grid: tuple[GridRow, ...] | None = None

    def build(self, errors: LocatedErrors, within: str) -> SubCriterionInput | None:
        """The domain's sub-criterion, or ``None`` with its refusals kept in ``errors``."""
        before = len(errors.details)
        grid = _grid(self.grid, errors, within)
        if len(errors.details) > before:
            return None
        return errors.build(
            within,
            lambda: SubCriterionInput(
                name=self.name,
                weight=_plain_or_none(self.weight),
                max_score=_plain_or_none(self.max_score),
                environmental=self.environmental,
                disclosed=self.disclosed,
                description=self.description or None,
                grid=grid,
            ),
        )

    @classmethod
    def from_domain(cls, sub: SubCriterionInput) -> SubCriterionRow:
        return cls(
            name=sub.name,
            weight=sub.weight,
            environmental=sub.environmental,
            disclosed=sub.disclosed,
            description=sub.description or "",
            max_score=sub.max_score,
            grid=None if sub.grid is None else tuple(GridRow.from_domain(g) for g in sub.grid),
        )


@dataclass(frozen=True)
class CriterionRequest:
    """An award criterion as typed on its row, with its sub-criteria and marking grid."""

    name: str
    kind: CriterionKind
    weight: Decimal | None
    method: PriceMethod | None = None
    max_score: Decimal | None = None
    environmental: bool = False
    linked_to_object: bool = True
    description: str = ""
    sub_criteria: tuple[SubCriterionRow, ...] = ()
    grid: tuple[GridRow, ...] | None = None

    def build(self, errors: LocatedErrors, within: str) -> CriterionInput | None:
        """The domain's criterion, or ``None`` with its refusals kept in ``errors``, located
        under ``within`` (``criteres[1].sub_criteria[0].weight``)."""
        before = len(errors.details)
        subs = [
            sub.build(errors, f"{within}.sub_criteria[{j}]")
            for j, sub in enumerate(self.sub_criteria)
        ]
        grid = _grid(self.grid, errors, within)
        if len(errors.details) > before:
            return None
        return errors.build(
            within,
            lambda: CriterionInput(
                name=self.name,
                weight=_plain_or_none(self.weight),
                kind=self.kind,
                method=self.method,
                max_score=_plain_or_none(self.max_score),
                environmental=self.environmental,
                linked_to_object=self.linked_to_object,
                description=self.description or None,
                sub_criteria=[sub for sub in subs if sub is not None],
                grid=grid,
            ),
        )

    @classmethod
    def from_domain(cls, criterion: CriterionInput) -> CriterionRequest:
        return cls(
            name=criterion.name,
            kind=criterion.kind,
            weight=criterion.weight,
            method=criterion.method,
            max_score=criterion.max_score,
            environmental=criterion.environmental,
            linked_to_object=criterion.linked_to_object,
            description=criterion.description or "",
            sub_criteria=tuple(SubCriterionRow.from_domain(s) for s in criterion.sub_criteria),
            grid=None
            if criterion.grid is None
            else tuple(GridRow.from_domain(level) for level in criterion.grid),
        )


# --- Candidacies and offers --------------------------------------------------------------------


@dataclass(frozen=True)
class CandidacyEntry:
    """A candidacy's checklist as typed on its form (the columns of a
    :class:`~openamo.web.award.models.Candidacy`); ``None``: a piece the RC does not ask for."""

    bidder: str
    siret: str = ""
    postal_address: str = ""
    application_form: bool = False
    declaration_form: bool = False
    sworn_statement: bool = False
    powers_of_signatory: bool | None = None
    economic_capacity: bool | None = None
    technical_capacity: bool | None = None
    capacities_sufficient: bool = True
    exclusion_ground: bool = False
    regularisation_requested: bool = False
    regularisation_requested_on: datetime.date | None = None
    regularisation_due_on: datetime.date | None = None
    regularised: bool = False
    comment: str = ""

    def apply_to(self, candidacy: Candidacy) -> None:
        for item in fields(self):
            setattr(candidacy, item.name, getattr(self, item.name))

    @classmethod
    def of(cls, candidacy: Candidacy) -> CandidacyEntry:
        return cls(**{item.name: getattr(candidacy, item.name) for item in fields(cls)})


@dataclass(frozen=True)
class OfferEntry:
    """An offer as typed on its form (the columns of an
    :class:`~openamo.web.award.models.Offer`, its DQE as typed lines)."""

    bidder: str
    price_ht: Decimal
    siret: str = ""
    postal_address: str = ""
    dqe: tuple[lines.DqeRow, ...] = ()
    status: OfferStatus = OfferStatus.REGULIERE
    status_reason: str = ""
    regularised: bool = False
    abnormally_low_requested_on: datetime.date | None = None
    abnormally_low_due_on: datetime.date | None = None
    abnormally_low_answered_on: datetime.date | None = None
    abnormally_low_answer: str = ""
    abnormally_low_outcome: AbnormalOutcome | None = None
    abnormally_low_note: str = ""

    def apply_to(self, offer: Offer) -> None:
        for item in fields(self):
            setattr(offer, item.name, getattr(self, item.name))
        offer.dqe = [row.to_stored() for row in self.dqe]
        offer.status = self.status.value
        outcome = self.abnormally_low_outcome
        offer.abnormally_low_outcome = outcome.value if outcome is not None else ""

    @classmethod
    def of(cls, offer: Offer) -> OfferEntry:
        """The offer as its row keeps it (to change a field or two)."""
        names = {item.name for item in fields(cls)} - {"dqe", "status", "abnormally_low_outcome"}
        return cls(
            **{name: getattr(offer, name) for name in names},
            dqe=tuple(lines.DqeRow.from_stored(row) for row in offer.dqe),
            status=OfferStatus(offer.status),
            abnormally_low_outcome=AbnormalOutcome(offer.abnormally_low_outcome)
            if offer.abnormally_low_outcome
            else None,
        )
