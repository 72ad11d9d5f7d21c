"""The renewal periods of a contract (one row per period of its clause) and the buyer's
decision on each."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from openamo.errors import OpenAMOError
from openamo.pricing import term
from openamo.web.audit.models import Action
from openamo.web.audit.services import snapshot
from openamo.web.contracts.access import ContractAccess
from openamo.web.contracts.mappers import execution_start
from openamo.web.contracts.models import Contract, Renewal, RenewalDecision
from openamo.web.contracts.services.journal import write
from openamo.web.users import AuthenticatedUser

RENEWAL_FIELDS = ["number", "starts_on", "ends_on", "decision_deadline", "decision", "note"]


def renewal_periods(contract: Contract) -> list[term.RenewalPeriod]:
    """The renewal periods the clause provides, and when each must be decided."""
    return term.renewal_periods(
        execution_start(contract),
        contract.duration_months,
        contract.renewals,
        contract.renewal_duration_months,
        contract.renewal_notice_months,
    )


def live_renewals(contract: Contract) -> list[Renewal]:
    return list(Renewal.objects.alive().filter(contract=contract))


def sync_renewals(contract: Contract, user: AuthenticatedUser) -> None:
    """Keep one row per renewal period of the clause; decisions already taken are kept."""
    existing = {r.number: r for r in live_renewals(contract)}
    expected = {p.number: p for p in renewal_periods(contract)}
    for number, renewal in existing.items():
        if number not in expected:
            renewal.soft_delete()
            write(user, Action.DELETE, renewal, contract, before=snapshot(renewal, RENEWAL_FIELDS))
    for number, period in expected.items():
        found = existing.get(number)
        before = snapshot(found, RENEWAL_FIELDS) if found else None
        renewal = found or Renewal(contract=contract, number=number, created_by=user)
        renewal.starts_on = period.starts_on
        renewal.ends_on = period.ends_on
        renewal.decision_deadline = period.decision_deadline
        after = snapshot(renewal, RENEWAL_FIELDS)
        if before != after:
            renewal.save()
            action = Action.UPDATE if found else Action.CREATE
            write(user, action, renewal, contract, before=before, after=after)


def live_renewal(access: ContractAccess, pk: int) -> Renewal:
    found = Renewal.objects.alive().filter(pk=pk, contract=access.contract).first()
    if found is None:
        raise Http404("Reconduction introuvable.")
    return found


@transaction.atomic
def decide_renewal(
    access: ContractAccess,
    user: AuthenticatedUser,
    renewal: Renewal,
    decision: str,
    note: str,
    decided_on: datetime.date | None = None,
) -> Renewal:
    """The buyer's maître d'ouvrage renews or not; a refusal ends the later periods too."""
    access.require(
        access.can_validate,
        "Seul un maître d'ouvrage de l'acheteur décide de reconduire ou non le marché.",
    )
    if renewal.decision != RenewalDecision.A_DECIDER:
        raise OpenAMOError("Cette reconduction a déjà été décidée.", code="already_decided")
    previous = (
        Renewal.objects.alive().filter(contract=access.contract, number=renewal.number - 1).first()
    )
    if previous is not None and previous.decision != RenewalDecision.RECONDUIT:
        raise OpenAMOError(
            f"Décidez d'abord la reconduction n° {previous.number} : les périodes se suivent.",
            code="previous_pending",
        )
    today = decided_on or timezone.localdate()
    _decide(user, renewal, decision, note, today)
    if decision == RenewalDecision.NON_RECONDUIT:
        for later in Renewal.objects.alive().filter(
            contract=access.contract, number__gt=renewal.number, decision=RenewalDecision.A_DECIDER
        ):
            reason = f"Sans objet : la reconduction n° {renewal.number} n'a pas été décidée."
            _decide(user, later, RenewalDecision.NON_RECONDUIT, reason, today)
    return renewal


def _decide(
    user: AuthenticatedUser, renewal: Renewal, decision: str, note: str, today: datetime.date
) -> None:
    before = snapshot(renewal, RENEWAL_FIELDS)
    renewal.decision = decision
    renewal.note = note
    renewal.decided_on = today
    renewal.decided_by = user
    renewal.save()
    write(
        user,
        Action.DECIDE,
        renewal,
        renewal.contract,
        before=before,
        after=snapshot(renewal, RENEWAL_FIELDS),
    )
