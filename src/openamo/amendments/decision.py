"""The verdict without the words: what the check decides, computed by the same predicates.

``decide`` is the fast path for what needs numbers and flags only — the live verdict of a form
as the user types, the chart of cumulative percentages, audits of thousands of modifications
from open data. ``check_amendment`` adds the reasons, references and explanation on top of the
same rule functions (``bases.open_basis``, ``caps``, ``duties``); a property test holds both to
the same answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openamo.amendments._context import situation_for
from openamo.amendments.bases import open_basis
from openamo.amendments.duties import cao_required, decp_requirement, notice_required
from openamo.amendments.enums import Basis, Verdict
from openamo.amendments.models import AmendmentCheckInput
from openamo.validation import parse_input


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    basis: Basis | None
    modification_percent: Decimal
    cumulative_percent: Decimal
    faible_montant_cumulative_percent: Decimal
    new_amount_ht: Decimal
    cao_opinion_required: bool
    modification_notice_required: bool
    decp_update_required: bool
    decp_deadline_on: dt.date | None

    @property
    def new_procedure_required(self) -> bool:
        return self.basis is None


def decide_from_dict(data: Any) -> Decision:
    return decide(parse_input(AmendmentCheckInput, data))


def decide(data: AmendmentCheckInput) -> Decision:
    situation = situation_for(data)
    figures = situation.figures
    basis = open_basis(situation)
    cao = notice = decp = False
    deadline: dt.date | None = None
    if basis is not None:
        cao = cao_required(situation, basis)
        notice = notice_required(situation, basis)
        decp, deadline = decp_requirement(situation)
    return Decision(
        verdict=Verdict.AUTORISEE if basis else Verdict.INTERDITE,
        basis=basis,
        modification_percent=figures.percent(figures.amount),
        cumulative_percent=figures.percent(figures.cumulative_change),
        faible_montant_cumulative_percent=figures.percent(figures.faible_montant_cumul),
        new_amount_ht=figures.new_amount,
        cao_opinion_required=cao,
        modification_notice_required=notice,
        decp_update_required=decp,
        decp_deadline_on=deadline,
    )
