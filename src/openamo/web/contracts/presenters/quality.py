"""Service orders, receptions, penalties and the evaluations of the holders."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from openamo.validation import siret_display
from openamo.web.contracts import models as m
from openamo.web.contracts.access import ContractAccess
from openamo.web.contracts.presenters.labels import badge, contract_url, day, euros, number
from openamo.web.contracts.quality import CRITERIA, overdue
from openamo.web.tables import Cell, Table
from openamo.wording import count

if TYPE_CHECKING:
    from openamo.web.contracts.queries import HolderSummary


def service_orders_table(orders: list[m.ServiceOrder], access: ContractAccess) -> Table:
    header = ["N°", "Nature", "Objet", "Effet le", "Émis le", "Reçu le"]
    rows: list[list[Cell]] = []
    for order in orders:
        issued: Cell = {"text": day(order.issued_on)}
        if order.issued_on is None:
            issued = badge("new", "Projet à signer")
            if access.can_validate:
                issued = {
                    "links": [
                        {
                            "text": "Signer et émettre",
                            "url": contract_url(order.contract, "service_order_issue", order.pk),
                            "label": f"ordre de service n° {order.number}",
                        }
                    ]
                }
        rows.append(
            [
                {"text": str(order.number)},
                {"text": order.get_kind_display()},
                {"text": order.subject, "hint": order.description},
                {"text": day(order.effective_on)},
                issued,
                {"text": day(order.acknowledged_on)},
            ]
        )
    return {"header": header, "rows": rows}


def reception_badge(reception: m.Reception) -> dict[str, str]:
    kinds = {
        m.ReceptionDecision.A_DECIDER: "new",
        m.ReceptionDecision.SANS_RESERVE: "success",
        m.ReceptionDecision.AVEC_RESERVES: "warning",
        m.ReceptionDecision.AJOURNEE: "warning",
        m.ReceptionDecision.REFUSEE: "error",
    }
    return {
        "type": kinds[m.ReceptionDecision(reception.decision)],
        "label": reception.get_decision_display(),
    }


@dataclass(frozen=True)
class ReserveView:
    reserve: m.Reserve
    late: bool
    """Still to lift after its deadline."""


@dataclass(frozen=True)
class ReceptionView:
    reception: m.Reception
    badge: dict[str, str]
    open: bool
    """Reserves may still be added (to decide, or pronounced with reserves)."""
    reserves: list[ReserveView]


def receptions_view(
    receptions: list[m.Reception], reserves: dict[int, list[m.Reserve]], today: datetime.date
) -> list[ReceptionView]:
    return [
        ReceptionView(
            reception=reception,
            badge=reception_badge(reception),
            open=reception.decision
            in {m.ReceptionDecision.A_DECIDER, m.ReceptionDecision.AVEC_RESERVES},
            reserves=[
                ReserveView(reserve, reserve.lifted_on is None and overdue(reserve.due_on, today))
                for reserve in reserves.get(reception.pk, [])
            ],
        )
        for reception in receptions
    ]


def penalties_table(penalties: list[m.Penalty], access: ContractAccess) -> Table:
    header = ["Manquement", "Retard", "Pénalité HT", "Statut", "Décision"]
    kinds = {"proposee": "new", "validee": "warning", "abandonnee": "info"}
    rows: list[list[Cell]] = []
    for penalty in penalties:
        decision: Cell = {"text": day(penalty.decided_on)}
        if penalty.status == m.PenaltyStatus.PROPOSEE and access.can_validate:
            decision = {
                "links": [
                    {
                        "text": "Décider",
                        "url": contract_url(penalty.contract, "penalty_decide", penalty.pk),
                        "label": penalty.reason,
                    }
                ]
            }
        rows.append(
            [
                {"text": penalty.reason, "hint": penalty.result.get("explanation", "")},
                {"text": count(penalty.days_late, "jour")},
                {"text": euros(penalty.penalty_ht)},
                badge(kinds[penalty.status], penalty.get_status_display()),
                decision,
            ]
        )
    return {"header": header, "rows": rows}


def marks_text(marks: dict[str, int]) -> str:
    labels = dict(CRITERIA)
    return " ; ".join(f"{labels.get(code, code)} : {mark}/5" for code, mark in marks.items())


def evaluations_table(evaluations: Iterable[m.Evaluation], *, with_contract: bool = False) -> Table:
    header = ["Évaluée le", "Moment", "Moyenne", "Notes", "Appréciation"]
    if with_contract:
        header = ["Titulaire", "Marché", *header]
    rows = []
    for evaluation in evaluations:
        row: list[Cell] = [
            {"text": day(evaluation.evaluated_on)},
            {"text": f"{evaluation.get_stage_display()} — {evaluation.milestone}"},
            {"text": f"{number(evaluation.average, 2)}/5"},
            {"text": marks_text(evaluation.marks)},
            {"text": evaluation.comments or "—"},
        ]
        if with_contract:
            contract = evaluation.contract
            row = [
                {"text": contract.holder_name, "hint": siret_display(contract.holder_siret)},
                {"text": str(contract), "url": contract_url(contract)},
                *row,
            ]
        rows.append(row)
    return {"header": header, "rows": rows}


def holders_table(summary: list[HolderSummary]) -> Table:
    rows: list[list[Cell]] = [
        [
            {"text": line.name, "hint": siret_display(line.siret)},
            {"text": str(line.count)},
            {"text": f"{number(line.mean, 2)}/5"},
            {"text": day(line.last)},
        ]
        for line in summary
    ]
    header = ["Titulaire", "Évaluations", "Moyenne", "Dernière évaluation"]
    return {"header": header, "rows": rows}
