"""A contract's term: its initial period, the renewal periods its clause provides (R2112-4:
the number, duration and conditions of renewals are fixed by the contract) and how far the
buyer is bound.

A renewal period starts the day after the previous one ends; when the clause gives a notice
(« le pouvoir adjudicateur fait connaître sa décision … mois avant l'échéance »), the decision
is due that many months before the period starts, otherwise on its eve.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from openamo.dates import add_months


@dataclass(frozen=True)
class RenewalPeriod:
    number: int
    starts_on: date
    ends_on: date
    decision_deadline: date


def renewal_length(duration_months: int, renewal_duration_months: int | None) -> int:
    """Months of one renewal period: the clause's own length, otherwise the initial duration
    (« reconductible par périodes identiques », the usual reading of a clause silent on it)."""
    return renewal_duration_months or duration_months


def initial_end(start: date, duration_months: int | None) -> date | None:
    """Last day of the initial period, when its duration is known."""
    if not duration_months:
        return None
    return add_months(start, duration_months) - timedelta(days=1)


def renewal_periods(
    start: date,
    duration_months: int | None,
    renewals: int,
    renewal_duration_months: int | None = None,
    notice_months: int | None = None,
) -> list[RenewalPeriod]:
    """The renewal periods of the clause, each lasting ``renewal_duration_months`` (the initial
    duration when the clause gives none), with the date its decision is due."""
    if not duration_months or not renewals:
        return []
    months = renewal_length(duration_months, renewal_duration_months)
    periods = []
    for number in range(1, renewals + 1):
        starts = add_months(start, duration_months + (number - 1) * months)
        ends = add_months(start, duration_months + number * months) - timedelta(days=1)
        if notice_months:
            deadline = add_months(starts, -notice_months)
        else:
            deadline = starts - timedelta(days=1)
        periods.append(RenewalPeriod(number, starts, ends, deadline))
    return periods


def bound_until(
    end_of_initial: date, renewals: Iterable[tuple[bool | None, date]], *, undecided: bool
) -> date:
    """The end of the periods that count, from the initial one and the renewals in order, each
    given as (decision, end): ``True`` renewed, ``False`` not renewed, ``None`` not decided yet.

    A refusal ends the contract at the end of the period before it. ``undecided=False`` gives
    the periods the buyer is committed to (a framework's orders, its maximum): a renewal not
    decided yet binds nobody. ``undecided=True`` gives the periods still foreseeable (the
    revision schedule): a renewal not refused may still happen."""
    end = end_of_initial
    for decision, ends_on in renewals:
        if decision is False or (decision is None and not undecided):
            break
        end = ends_on
    return end


def last_possible_day(
    start: date,
    duration_months: int | None,
    renewals: int,
    renewal_duration_months: int | None = None,
) -> date | None:
    """The last day the contract may run, every renewal taken, when its duration is known."""
    periods = renewal_periods(start, duration_months, renewals, renewal_duration_months)
    return periods[-1].ends_on if periods else initial_end(start, duration_months)


def outside_term(day: date, notified_on: date, last_day: date | None, what: str) -> str | None:
    """Why ``what`` dated ``day`` cannot belong to the contract (French), or None: before its
    notification, or after its last possible day (``last_day``, None when unknown)."""
    if day < notified_on:
        return (
            f"{what} est daté du {day:%d/%m/%Y}, avant la notification du marché "
            f"({notified_on:%d/%m/%Y}) : vérifiez la date ou le marché."
        )
    if last_day is not None and day > last_day:
        return (
            f"{what} est daté du {day:%d/%m/%Y}, après la fin du marché, reconductions "
            f"comprises ({last_day:%d/%m/%Y}) : vérifiez la date ou le marché."
        )
    return None
