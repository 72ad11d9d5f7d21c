"""Quality in execution: service orders, reception with reserves, penalties (computed by
``openamo.pricing.penalties`` from the contract's clause) and the evaluation of the holder.

The AMO and the buyer's staff prepare; the buyer's own maître d'ouvrage issues the orders,
pronounces the reception, lifts the reserves and applies the penalties.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TypeVar

from django.db import transaction
from django.db.models import Max, Sum
from django.http import Http404
from django.utils import timezone

from openamo.errors import ErrorDetail, OpenAMOError
from openamo.evaluation import average_mark
from openamo.pricing import penalties
from openamo.validation import chronology_error, french_errors, implausible_date
from openamo.web.audit.models import Action
from openamo.web.audit.services import snapshot
from openamo.web.contracts.access import ContractAccess
from openamo.web.contracts.mappers import penalty_input, stored_input
from openamo.web.contracts.models import (
    Contract,
    Evaluation,
    Penalty,
    PenaltyStatus,
    Reception,
    ReceptionDecision,
    Reserve,
    ServiceOrder,
)
from openamo.web.contracts.requests import (
    DecisionOnReception,
    EvaluationEntry,
    Issue,
    Lifting,
    PenaltyRequest,
    ReceptionDraft,
    ReserveEntry,
    ServiceOrderDraft,
)
from openamo.web.contracts.services.journal import update, write
from openamo.web.softdelete import alive_through
from openamo.web.users import AuthenticatedUser

CRITERIA = [
    ("qualite", "Qualité des prestations"),
    ("delais", "Respect des délais"),
    ("reactivite", "Réactivité et disponibilité"),
    ("relation", "Relation et communication avec l'acheteur"),
    ("administratif", "Gestion administrative et facturation"),
    ("engagements", "Respect des engagements sociaux et environnementaux"),
]
"""Criteria of the supplier evaluation, marked from 1 (très insuffisant) to 5 (très bien)."""
MARKS = [
    (1, "1 — Très insuffisant"),
    (2, "2 — Insuffisant"),
    (3, "3 — Satisfaisant"),
    (4, "4 — Bien"),
    (5, "5 — Très bien"),
]

MO_ONLY = "Seul un maître d'ouvrage de l'acheteur {what} ; l'AMO prépare, le lecteur consulte."


def _mo(access: ContractAccess, what: str) -> None:
    access.require(access.can_validate, MO_ONLY.format(what=what))


_Row = TypeVar("_Row", ServiceOrder, Reception, Penalty)


def _live(model: type[_Row], access: ContractAccess, pk: int, label: str) -> _Row:
    found = model.objects.alive().filter(pk=pk, contract=access.contract).first()
    if found is None:
        raise Http404(f"{label} introuvable.")
    return found


# Service orders -----------------------------------------------------------------------------


def service_orders_of(contract: Contract) -> list[ServiceOrder]:
    return list(ServiceOrder.objects.alive().filter(contract=contract).select_related("issued_by"))


def live_service_order(access: ContractAccess, pk: int) -> ServiceOrder:
    found: ServiceOrder = _live(ServiceOrder, access, pk, "Ordre de service")
    return found


@transaction.atomic
def prepare_service_order(
    access: ContractAccess, user: AuthenticatedUser, draft: ServiceOrderDraft
) -> ServiceOrder:
    """A draft order, numbered after the last one; it takes effect once issued."""
    access.require_edit()
    last = ServiceOrder.objects.filter(contract=access.contract).aggregate(n=Max("number"))["n"]
    order = ServiceOrder.objects.create(
        contract=access.contract,
        created_by=user,
        number=(last or 0) + 1,
        kind=draft.kind,
        subject=draft.subject,
        description=draft.description,
        effective_on=draft.effective_on,
    )
    write(user, Action.CREATE, order, access.contract, after=snapshot(order))
    return order


@transaction.atomic
def issue_service_order(
    access: ContractAccess, user: AuthenticatedUser, order: ServiceOrder, issue: Issue
) -> ServiceOrder:
    _mo(access, "signe et émet un ordre de service")
    if order.issued_on is not None:
        raise OpenAMOError("Cet ordre de service a déjà été émis.", code="already_issued")
    values = {
        "issued_on": issue.issued_on,
        "issued_by": user,
        "acknowledged_on": issue.acknowledged_on,
        "effective_on": order.effective_on or issue.issued_on,
    }
    update(user, order, access.contract, values, action=Action.DECIDE)
    return order


# Reception and reserves ---------------------------------------------------------------------


def receptions_of(contract: Contract) -> list[Reception]:
    return list(Reception.objects.alive().filter(contract=contract).select_related("decided_by"))


def reserves_of(receptions: list[Reception]) -> dict[int, list[Reserve]]:
    by_reception: dict[int, list[Reserve]] = {r.pk: [] for r in receptions}
    for reserve in (
        Reserve.objects.alive().filter(reception__in=receptions).select_related("lifted_by")
    ):
        by_reception[reserve.reception_id].append(reserve)
    return by_reception


def live_reception(access: ContractAccess, pk: int) -> Reception:
    found: Reception = _live(Reception, access, pk, "Réception")
    return found


def live_reserve(access: ContractAccess, pk: int) -> Reserve:
    found = (
        Reserve.objects.alive()
        .filter(alive_through("reception"), pk=pk, reception__contract=access.contract)
        .first()
    )
    if found is None:
        raise Http404("Réserve introuvable.")
    return found


@transaction.atomic
def prepare_reception(
    access: ContractAccess, user: AuthenticatedUser, draft: ReceptionDraft
) -> Reception:
    access.require_edit()
    reception = Reception.objects.create(
        contract=access.contract,
        created_by=user,
        label=draft.label,
        inspected_on=draft.inspected_on,
        note=draft.note,
    )
    write(user, Action.CREATE, reception, access.contract, after=snapshot(reception))
    return reception


@transaction.atomic
def add_reserve(
    access: ContractAccess, user: AuthenticatedUser, reception: Reception, entry: ReserveEntry
) -> Reserve:
    """Reserves are noted at the inspection, before or with the decision."""
    access.require_edit()
    if reception.decision not in {ReceptionDecision.A_DECIDER, ReceptionDecision.AVEC_RESERVES}:
        raise OpenAMOError(
            "Des réserves ne s'ajoutent qu'à une réception à décider ou prononcée avec réserves.",
            code="closed_reception",
        )
    reserve = Reserve.objects.create(
        reception=reception,
        created_by=user,
        description=entry.description,
        due_on=entry.due_on,
    )
    write(user, Action.CREATE, reserve, access.contract, after=snapshot(reserve))
    return reserve


def _chronology(field: str, error: str | None) -> None:
    """Refuse a date out of order (inspection ≤ reception decision ≤ lifting of reserves) or
    implausible, for every caller (page, API), next to the field."""
    if error:
        raise OpenAMOError(error, code="chronology", details=[ErrorDetail(field, error)])


@transaction.atomic
def decide_reception(
    access: ContractAccess,
    user: AuthenticatedUser,
    reception: Reception,
    asked: DecisionOnReception,
) -> Reception:
    _mo(access, "prononce, ajourne ou refuse la réception")
    if reception.decision != ReceptionDecision.A_DECIDER:
        raise OpenAMOError("La décision sur cette réception a déjà été prise.", code="decided")
    decision = asked.decision
    open_reserves = (
        Reserve.objects.alive().filter(reception=reception, lifted_on__isnull=True).exists()
    )
    if decision == ReceptionDecision.AVEC_RESERVES and not open_reserves:
        raise OpenAMOError(
            "Une réception avec réserves suppose au moins une réserve : notez-la d'abord.",
            code="no_reserve",
        )
    if decision == ReceptionDecision.SANS_RESERVE and open_reserves:
        raise OpenAMOError(
            "Des réserves sont notées : prononcez la réception avec réserves, ou levez-les.",
            code="open_reserves",
        )
    decided_on = asked.decided_on or timezone.localdate()
    _chronology(
        "decided_on",
        implausible_date(decided_on, timezone.localdate(), not_after_today=True)
        or chronology_error(
            reception.inspected_on,
            decided_on,
            f"La décision ne peut précéder les opérations de vérification du "
            f"{reception.inspected_on:%d/%m/%Y} : la réception se prononce après elles.",
        ),
    )
    values = {
        "decision": decision,
        "effective_on": asked.effective_on,
        "decided_on": decided_on,
        "decided_by": user,
        "note": asked.note or reception.note,
    }
    update(user, reception, access.contract, values, action=Action.DECIDE)
    return reception


@transaction.atomic
def lift_reserve(
    access: ContractAccess, user: AuthenticatedUser, reserve: Reserve, lifting: Lifting
) -> Reserve:
    _mo(access, "constate la levée d'une réserve")
    if reserve.lifted_on is not None:
        raise OpenAMOError("Cette réserve est déjà levée.", code="already_lifted")
    reception = reserve.reception
    lifted_on = lifting.lifted_on
    # The reception takes effect on its effective date when one is given (the decision may be
    # recorded later), else on its decision; never before the inspection.
    start = max(
        reception.inspected_on,
        reception.effective_on or reception.decided_on or reception.inspected_on,
    )
    _chronology(
        "lifted_on",
        implausible_date(lifted_on, timezone.localdate(), not_after_today=True)
        or chronology_error(
            start,
            lifted_on,
            f"La levée ne peut précéder la réception du {start:%d/%m/%Y} qui a noté la réserve.",
        ),
    )
    values = {
        "lifted_on": lifted_on,
        "lifting_note": lifting.lifting_note,
        "lifted_by": user,
    }
    update(user, reserve, access.contract, values, action=Action.DECIDE)
    return reserve


# Penalties ----------------------------------------------------------------------------------


def penalties_of(contract: Contract) -> list[Penalty]:
    return list(Penalty.objects.alive().filter(contract=contract).select_related("decided_by"))


def live_penalty(access: ContractAccess, pk: int) -> Penalty:
    found: Penalty = _live(Penalty, access, pk, "Pénalité")
    return found


def applied_total(contract: Contract) -> Decimal:
    total = (
        Penalty.objects.alive()
        .filter(contract=contract, status=PenaltyStatus.VALIDEE)
        .aggregate(total=Sum("penalty_ht"))["total"]
    )
    return total or Decimal(0)


@transaction.atomic
def compute_penalty(
    access: ContractAccess, user: AuthenticatedUser, asked: PenaltyRequest
) -> Penalty:
    """The domain computes the penalty from the clause, counting the penalties already applied
    (exemption and cap concern their total); the maître d'ouvrage then applies it or not."""
    access.require_edit()
    contract = access.contract
    if not contract.penalty_clause:
        raise OpenAMOError(
            "Indiquez d'abord la clause de pénalités du marché (fiche du marché).",
            code="no_clause",
        )
    with french_errors():
        domain_input = penalty_input(contract, asked, applied_total(contract))
    result = penalties.penalty(domain_input)
    penalty = Penalty.objects.create(
        contract=contract,
        created_by=user,
        reason=asked.reason,
        due_on=asked.due_on,
        delivered_on=asked.delivered_on,
        late_value_ht=asked.late_value_ht,
        days_late=result.days_late,
        penalty_ht=result.penalty_ht,
        input=stored_input(domain_input),
        result=result.model_dump(mode="json"),
    )
    write(user, Action.CREATE, penalty, contract, after=snapshot(penalty))
    return penalty


@transaction.atomic
def decide_penalty(
    access: ContractAccess, user: AuthenticatedUser, penalty: Penalty, status: str
) -> Penalty:
    """Apply (after the holder's observations) or abandon a proposed penalty."""
    _mo(access, "applique ou abandonne une pénalité")
    if penalty.status != PenaltyStatus.PROPOSEE:
        raise OpenAMOError("Cette pénalité a déjà été décidée.", code="decided")
    if status not in {PenaltyStatus.VALIDEE, PenaltyStatus.ABANDONNEE}:
        raise OpenAMOError("Décision inconnue.", code="unknown_decision")
    values = {"status": status, "decided_on": timezone.localdate(), "decided_by": user}
    update(user, penalty, access.contract, values, action=Action.DECIDE)
    return penalty


# Evaluation of the holder -------------------------------------------------------------------


def evaluations_of(contract: Contract) -> list[Evaluation]:
    return list(Evaluation.objects.alive().filter(contract=contract).select_related("created_by"))


@transaction.atomic
def evaluate(access: ContractAccess, user: AuthenticatedUser, entry: EvaluationEntry) -> Evaluation:
    access.require_edit()
    marks = {code: entry.marks[code] for code, _ in CRITERIA if entry.marks.get(code)}
    if not marks:
        raise OpenAMOError("Notez au moins un critère.", code="no_mark")
    evaluation = Evaluation.objects.create(
        contract=access.contract,
        created_by=user,
        stage=entry.stage,
        milestone=entry.milestone,
        evaluated_on=entry.evaluated_on or timezone.localdate(),
        marks=marks,
        average=average_mark(marks.values()),
        comments=entry.comments,
    )
    write(
        user,
        Action.CREATE,
        evaluation,
        access.contract,
        after=snapshot(evaluation),
    )
    return evaluation


def open_reserves_count(receptions: dict[int, list[Reserve]]) -> int:
    return sum(1 for reserves in receptions.values() for r in reserves if r.lifted_on is None)


def overdue(day: datetime.date | None, today: datetime.date) -> bool:
    return day is not None and day < today
