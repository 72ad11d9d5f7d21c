"""The price clause in execution: the revision formula, the index values (entered or imported
from an official series) and the revisions computed by ``openamo.pricing``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db import transaction
from django.http import Http404

from openamo.errors import ErrorDetail, OpenAMOError
from openamo.pricing import IndexSeriesResult, read_index_series, revise, term
from openamo.pricing.indices import BadLine, bad_lines, decode
from openamo.pricing.periods import parse_period
from openamo.pricing.revision import check_weights
from openamo.pricing.schedule import index_month, revision_dates
from openamo.validation import french_errors
from openamo.web.audit.models import Action
from openamo.web.audit.services import entry_fields, snapshot
from openamo.web.contracts.access import ContractAccess
from openamo.web.contracts.mappers import (
    execution_start,
    initial_end,
    renewal_decisions,
    revision_input,
    stored_input,
)
from openamo.web.contracts.models import (
    Contract,
    IndexSource,
    IndexValue,
    PriceForm,
    PriceRevision,
    Renewal,
    RevisionTerm,
)
from openamo.web.contracts.requests import Formula, IndexValueEntry, RevisionRequest, TermEntry
from openamo.web.contracts.services.journal import write
from openamo.web.users import AuthenticatedUser

FORMULA_FIELDS = entry_fields(Formula)


def live_terms(contract: Contract) -> list[RevisionTerm]:
    return list(RevisionTerm.objects.alive().filter(contract=contract))


def live_values(contract: Contract) -> list[IndexValue]:
    return list(IndexValue.objects.alive().filter(contract=contract))


def revisions_of(contract: Contract) -> list[PriceRevision]:
    return list(
        PriceRevision.objects.alive().filter(contract=contract).select_related("created_by")
    )


def live_term(access: ContractAccess, pk: int) -> RevisionTerm:
    found = RevisionTerm.objects.alive().filter(pk=pk, contract=access.contract).first()
    if found is None:
        raise Http404("Terme introuvable.")
    return found


def live_revision(access: ContractAccess, pk: int) -> PriceRevision:
    found = PriceRevision.objects.alive().filter(pk=pk, contract=access.contract).first()
    if found is None:
        raise Http404("Révision introuvable.")
    return found


def formula_check(contract: Contract, terms: list[RevisionTerm]) -> tuple[list[str], str | None]:
    """The domain's check of a + Σ bᵢ = 1: (warnings, error message or None)."""
    if not terms:
        return [], None
    try:
        return check_weights(contract.fixed_part, [t.weight for t in terms]), None
    except OpenAMOError as exc:
        return [], exc.message


@transaction.atomic
def save_formula(access: ContractAccess, user: AuthenticatedUser, formula: Formula) -> Contract:
    access.require_edit()
    contract = Contract.objects.select_for_update().get(pk=access.contract.pk)
    before = snapshot(contract, FORMULA_FIELDS)
    for name in FORMULA_FIELDS:
        setattr(contract, name, getattr(formula, name))
    contract.save()
    after = snapshot(contract, FORMULA_FIELDS)
    write(user, Action.UPDATE, contract, contract, before=before, after=after)
    # The page's access object carries the contract: keep it current for what follows.
    access.contract.refresh_from_db()
    return contract


@transaction.atomic
def add_term(access: ContractAccess, user: AuthenticatedUser, entry: TermEntry) -> RevisionTerm:
    access.require_edit()
    term = RevisionTerm(
        contract=access.contract,
        created_by=user,
        index_name=entry.index_name,
        label=entry.label,
        weight=entry.weight,
        base_period=_period(entry.base_period, "base_period"),
    )
    term.save()
    write(user, Action.CREATE, term, access.contract, after=snapshot(term))
    return term


@transaction.atomic
def remove_term(access: ContractAccess, user: AuthenticatedUser, term: RevisionTerm) -> None:
    access.require_edit()
    term.soft_delete()
    write(user, Action.DELETE, term, access.contract, before=snapshot(term))


def _period(text: str, field: str) -> str:
    period = parse_period(text)
    if period is None:
        raise OpenAMOError(
            f"Période illisible « {text} » (attendu par exemple « 2025-09 » ou « 09/2025 »).",
            details=[ErrorDetail(field, f"période illisible « {text} »")],
        )
    return period


def _upsert(
    contract: Contract,
    user: AuthenticatedUser,
    series: str,
    period: str,
    value: Decimal,
    *,
    provisional: bool,
    source: str,
) -> str:
    """Create or update one value; returns « created », « updated » or « same »."""
    found = (
        IndexValue.objects.alive().filter(contract=contract, series=series, period=period).first()
    )
    if found is not None and found.value == value and found.provisional == provisional:
        return "same"
    before = snapshot(found) if found else None
    row = found or IndexValue(contract=contract, series=series, period=period, created_by=user)
    row.value, row.provisional, row.source = value, provisional, source
    row.save()
    if source == IndexSource.SAISIE:
        action = Action.UPDATE if found else Action.CREATE
        write(user, action, row, contract, before=before, after=snapshot(row))
    return "updated" if found else "created"


@transaction.atomic
def save_index_value(
    access: ContractAccess, user: AuthenticatedUser, entry: IndexValueEntry
) -> IndexValue:
    access.require_edit()
    series = entry.series.strip()
    period = _period(entry.period, "period")
    _upsert(
        access.contract,
        user,
        series,
        period,
        entry.value,
        provisional=entry.provisional,
        source=IndexSource.SAISIE,
    )
    return IndexValue.objects.alive().get(contract=access.contract, series=series, period=period)


@dataclass(frozen=True)
class ImportOutcome:
    series: IndexSeriesResult
    created: int
    updated: int
    rejected_lines: list[BadLine]


def _without_lines(content: bytes, numbers: set[int]) -> bytes:
    """The file without the lines the domain rejected (the user chose to import the rest)."""
    text, _ = decode(content)
    kept = [line for number, line in enumerate(text.splitlines(), 1) if number not in numbers]
    return "\n".join(kept).encode("utf-8")


@transaction.atomic
def import_index_series(
    access: ContractAccess,
    user: AuthenticatedUser,
    name: str,
    content: bytes,
    *,
    partial: bool = False,
) -> ImportOutcome:
    """Read an official series with the domain's importer. A file with a bad line imports
    nothing (the error lists every bad line), unless the user chose to keep the valid ones."""
    access.require_edit()
    rejected: list[BadLine] = []
    try:
        result = read_index_series(content, name)
    except OpenAMOError as exc:
        lines = bad_lines(exc)
        if not partial or not lines:
            raise
        rejected = lines
        result = read_index_series(_without_lines(content, {b.line for b in lines}), name)
    counts = {"created": 0, "updated": 0, "same": 0}
    provisional = set(result.provisional)
    for period, value in result.values.items():
        outcome = _upsert(
            access.contract,
            user,
            name,
            period,
            value,
            provisional=period in provisional,
            source=IndexSource.IMPORT,
        )
        counts[outcome] += 1
    write(
        user,
        Action.IMPORT,
        access.contract,
        access.contract,
        after={
            "série": name,
            "valeurs lues": result.count,
            "valeurs créées": counts["created"],
            "valeurs modifiées": counts["updated"],
            "lignes écartées": len(rejected),
            "de": result.first_period,
            "à": result.last_period,
        },
    )
    return ImportOutcome(result, counts["created"], counts["updated"], rejected)


def default_period(contract: Contract, day: datetime.date) -> str:
    """The index month of a revision on ``day`` under the clause's lag (domain schedule)."""
    return index_month(day, contract.index_lag_months)


@transaction.atomic
def compute_revision(
    access: ContractAccess, user: AuthenticatedUser, asked: RevisionRequest
) -> PriceRevision:
    """Run ``openamo.pricing.revise`` on the clause and the stored index values; keep both
    the input and the result. Raises :class:`OpenAMOError` (French) on what the domain refuses."""
    access.require_edit()
    contract = access.contract
    if contract.price_form == PriceForm.FERME:
        raise OpenAMOError(
            "Prix ferme : le marché ne prévoit ni révision ni actualisation (R2112-9).",
            code="firm_price",
        )
    terms = live_terms(contract)
    if not terms:
        raise OpenAMOError(
            "Décrivez d'abord la formule : au moins un terme indexé.", code="no_terms"
        )
    period = asked.current_period or default_period(contract, asked.revised_on)
    asked = replace(asked, current_period=_period(period, "current_period"))
    with french_errors():
        data = revision_input(contract, terms, live_values(contract), asked)
    result = revise(data)
    revision = PriceRevision.objects.create(
        contract=contract,
        created_by=user,
        revised_on=asked.revised_on,
        current_period=asked.current_period,
        base_price_ht=asked.base_price_ht,
        invoiced_price_ht=asked.invoiced_price_ht,
        coefficient=result.coefficient,
        revised_price_ht=Decimal(result.revised_price_ht),
        drift_alert=bool(result.drift and result.drift.alert),
        input=stored_input(data),
        result=result.model_dump(mode="json"),
    )
    write(user, Action.CREATE, revision, contract, after=snapshot(revision))
    return revision


def schedule(contract: Contract, renewals: list[Renewal]) -> list[datetime.date]:
    """Revision dates of the clause up to the end of the periods not refused (domain)."""
    if not contract.revision_periodicity_months or not contract.duration_months:
        return []
    end = initial_end(contract)
    assert end is not None
    end = term.bound_until(end, renewal_decisions(renewals), undecided=True)
    return revision_dates(execution_start(contract), end, contract.revision_periodicity_months)
