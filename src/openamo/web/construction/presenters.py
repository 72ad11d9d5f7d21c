"""What the construction pages show, computed from the domain's results (no rule here)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from openamo.construction.enums import EnvelopeAlert, Phase
from openamo.construction.models import (
    DgdResult,
    PhasesResult,
    StatementRow,
    StatementsResult,
    Step,
)
from openamo.errors import OpenAMOError
from openamo.money import format_euros
from openamo.web.charts import Chart, Series, Threshold, bar_chart
from openamo.web.construction.models import MonthlyStatement, PhaseReview

ALERT_BADGES = {
    EnvelopeAlert.OK: "success",
    EnvelopeAlert.VIGILANCE: "warning",
    EnvelopeAlert.DEPASSEMENT: "error",
}
STATUS = {
    "a_venir": ("à venir", "info"),
    "respecte": ("fait dans le délai", "success"),
    "depasse": ("fait en retard", "warning"),
    "en_retard": ("en retard", "error"),
    "sans_objet": ("sans objet", "info"),
}
ORDER_STATUS = {
    "delai_ouvert": ("délai de réserves ouvert", "info"),
    "reserves_dans_le_delai": ("réserves dans le délai", "warning"),
    "reserves_tardives": ("réserves tardives : forclusion", "error"),
    "sans_reserves": ("délai expiré sans réserves", "success"),
    "sans_accuse": ("accusé de réception à obtenir", "warning"),
}
STATEMENT_STATUS = {
    "a_verifier": ("à vérifier par le maître d'œuvre", "info"),
    "a_payer": ("à payer", "warning"),
    "en_retard": ("paiement en retard", "error"),
    "payee": ("payé dans le délai", "success"),
    "payee_en_retard": ("payé en retard", "error"),
}
DGD_STATES = {
    "en_cours": "Décompte en cours d'établissement",
    "dgd": "Décompte général et définitif",
    "dgd_tacite": "Décompte général et définitif tacite",
    "reclamation": "Différend : mémoire en réclamation",
}


def euros(amount: Decimal | None) -> str:
    return "—" if amount is None else format_euros(amount)


def phases_chart(review: PhasesResult) -> Chart:
    """Each phase's estimate against the works part of the envelope (and the 95 % mark)."""
    points = [
        (Phase(row.phase).name, row.estimate_ht)
        for row in review.rows
        if row.estimate_ht is not None
    ]
    envelope = review.envelope_works_ht
    return bar_chart(
        "Estimation des travaux à chaque phase face à l'enveloppe",
        [Series("Estimation HT", [(label, value) for label, value in points])],
        thresholds=[Threshold("Part travaux de l'enveloppe", envelope)],
        unit="€",
    )


@dataclass(frozen=True)
class Refused:
    """What a page shows instead of a result the domain refused to compute (``.error``)."""

    error: str


T = TypeVar("T")


def safe(compute: Callable[[], T]) -> T | Refused:
    """The result of ``compute``, or the domain's French refusal to show in its place."""
    try:
        return compute()
    except OpenAMOError as exc:
        return Refused(exc.message)


@dataclass(frozen=True)
class PhaseLine:
    """One element of the MOE's mission on the dashboard: the stored row and its review."""

    row: PhaseReview
    label: str
    estimate: str
    share: str
    alert: str
    badge: str
    decision: str
    stale: list[dict[str, str]]
    approval: str


def phase_rows(review: PhasesResult | None, rows: list[PhaseReview]) -> list[PhaseLine]:
    by_phase = {row.phase.value: row for row in review.rows} if review else {}
    table = []
    for stored in rows:
        computed = by_phase.get(stored.phase)
        alert = computed.alert if computed else None
        label = Phase(stored.phase).label
        table.append(PhaseLine(
            row=stored,
            label=label,
            estimate=euros(stored.estimate_ht),
            share=f"{computed.share_percent} %".replace(".", ",") if computed and computed.share_percent is not None else "—",
            alert=alert.label if alert else "",
            badge=ALERT_BADGES[alert] if alert else "",
            decision=stored.get_decision_display() if stored.decision else (
                "à décider" if stored.submitted_on else "pas encore remise"
            ),
            stale=stored.stale_changes,
            approval=f"Approbation de la phase « {label} »",
        ))  # fmt: skip
    return table


@dataclass(frozen=True)
class StepLine:
    """One dated step of a calendar with its French status and badge."""

    step: Step
    status: str
    badge: str
    late: bool


def steps(items: list[Step]) -> list[StepLine]:
    return [
        StepLine(
            step=item,
            status=STATUS[item.status][0],
            badge=STATUS[item.status][1],
            late=item.status in {"depasse", "en_retard"},
        )
        for item in items
    ]


@dataclass(frozen=True)
class DgdSummary:
    state: str
    final_on: datetime.date | None
    payment_due: datetime.date | None
    steps: list[StepLine] = field(default_factory=list)
    later: list[StepLine] = field(default_factory=list)
    """The following steps dated at the latest (each previous one taking its whole period)."""
    contractor_deadline: datetime.date | None = None
    deemed_accepted: datetime.date | None = None


def dgd_summary(result: DgdResult) -> DgdSummary:
    return DgdSummary(
        state=DGD_STATES[result.state],
        final_on=result.final_account_on,
        payment_due=result.balance_payment_due_on,
        steps=steps(result.steps),
        later=steps(result.later_steps),
        contractor_deadline=result.contractor_deadline_on,
        deemed_accepted=result.deemed_accepted_on,
    )


@dataclass(frozen=True)
class StatementLine:
    """One monthly statement as stored, what the domain computed on it and its status."""

    row: MonthlyStatement
    computed: StatementRow | None
    status: tuple[str, str] | None


def statement_lines(
    rows: list[MonthlyStatement], result: StatementsResult | None
) -> list[StatementLine]:
    computed = {row.number: row for row in result.statements} if result else {}
    return [
        StatementLine(
            row,
            computed.get(row.number),
            STATEMENT_STATUS.get(computed[row.number].status) if row.number in computed else None,
        )
        for row in rows
    ]
