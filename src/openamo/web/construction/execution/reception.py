"""The reception of the works: its deadlines, the completion notice and the decision."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.http import Http404

from openamo.construction import reception_calendar
from openamo.construction.enums import ReceptionDecision
from openamo.construction.models import (
    ReceptionInput,
    ReceptionResult,
)
from openamo.errors import OpenAMOError
from openamo.web.audit.services import audited_update
from openamo.web.construction.access import require_propose
from openamo.web.construction.models import (
    CompletionNotice,
    WorksPossession,
)
from openamo.web.construction.presenters import StepLine
from openamo.web.construction.requests import (
    NoticeRequest,
    PossessionRequest,
    columns,
)
from openamo.web.construction.services import today
from openamo.web.contracts import quality
from openamo.web.contracts.models import (
    Contract,
    Reception,
    Reserve,
)
from openamo.web.operations.access import OperationAccess
from openamo.web.users import AuthenticatedUser

RECEPTION_DECISIONS = {
    "sans_reserve": ReceptionDecision.SANS_RESERVE,
    "avec_reserves": ReceptionDecision.AVEC_RESERVES,
    "refusee": ReceptionDecision.REFUS,
}


@dataclass
class ReceptionLine:
    reception: Reception
    reserves: list[Reserve]
    result: ReceptionResult | None
    error: str | None = None
    notice: CompletionNotice | None = None
    calendar: list[StepLine] = field(default_factory=list)
    possession: WorksPossession | None = None

    @property
    def early_possession(self) -> bool:
        """Possession taken before the reception takes effect (or while none has)."""
        return self.possession is not None and _before_reception(
            self.reception, self.possession.possession_on
        )

    @property
    def open_reserves(self) -> int:
        return sum(1 for reserve in self.reserves if reserve.lifted_on is None)


def reception_result(
    contract: Contract, reception: Reception, reserves: list[Reserve]
) -> ReceptionResult:
    """The contracts app's reception read by the CCAG calendar: the pre-acceptance inspection
    is the row's ``inspected_on``, the holder's completion notice this app's (without one the
    inspection stands for it, so the OPR deadline is not judged), the decision notified on
    ``decided_on``, the reserves' deadline the latest one fixed, lifted when every reserve is."""
    notice = completion_notice(reception)
    possession = works_possession(reception)
    decision = RECEPTION_DECISIONS.get(reception.decision)
    lifted = [r.lifted_on for r in reserves]
    deadlines = [r.due_on for r in reserves if r.due_on]
    all_lifted = bool(reserves) and all(lifted)
    return reception_calendar(
        ReceptionInput(
            consultation_date=contract.consultation_on or contract.notified_on,
            completion_notice_on=notice.notice_on if notice else reception.inspected_on,
            announced_completion_on=notice.announced_completion_on if notice else None,
            opr_on=reception.inspected_on,
            decision=decision,
            decision_notified_on=reception.decided_on if decision else None,
            effective_on=reception.effective_on if decision else None,
            reserves_deadline_on=max(deadlines) if deadlines and decision else None,
            reserves_lifted_on=max(d for d in lifted if d)
            if all_lifted and decision is ReceptionDecision.AVEC_RESERVES
            else None,
            possession_on=possession.possession_on if possession else None,
            condition_survey_on=possession.condition_survey_on if possession else None,
            as_of=today(),
        )
    )


def completion_notice(reception: Reception) -> CompletionNotice | None:
    return CompletionNotice.objects.filter(reception=reception).first()


@transaction.atomic
def record_completion_notice(
    access: OperationAccess,
    user: AuthenticatedUser,
    contract: Contract,
    reception: Reception,
    request: NoticeRequest,
) -> CompletionNotice:
    """The holder's notice of completion as received (CCAG-Travaux 2021, art. 41.1)."""
    require_propose(access)
    if request.notice_on > reception.inspected_on:
        raise OpenAMOError(
            "L'avis d'achèvement précède les opérations préalables à la réception "
            f"({reception.inspected_on:%d/%m/%Y}) : vérifiez la date."
        )
    notice = completion_notice(reception) or CompletionNotice(reception=reception)
    audited_update(user, notice, {**columns(request), "recorded_by": user},
                   operation_id=access.operation.pk, contract_id=contract.pk)  # fmt: skip
    return notice


def works_possession(reception: Reception) -> WorksPossession | None:
    return WorksPossession.objects.filter(reception=reception).first()


def _before_reception(reception: Reception, day: datetime.date) -> bool:
    decided = RECEPTION_DECISIONS.get(reception.decision)
    if decided is None or decided is ReceptionDecision.REFUS:
        return True
    effective = reception.effective_on or reception.decided_on
    return effective is None or day < effective


@transaction.atomic
def record_possession(
    access: OperationAccess,
    user: AuthenticatedUser,
    contract: Contract,
    reception: Reception,
    request: PossessionRequest,
) -> WorksPossession:
    """The buyer's taking possession of the works, with the contradictory condition survey that
    must precede it when it comes before the reception (CCAG-Travaux 2021, art. 41.8, 42.2). A
    survey drawn up after the possession is recorded as it happened; the calendar says it came
    too late."""
    access.require_edit()
    for label, day in (
        ("La prise de possession", request.possession_on),
        ("L'état des lieux contradictoire", request.condition_survey_on),
    ):
        if day is not None and day < contract.notified_on:
            raise OpenAMOError(
                f"{label} ne peut précéder la notification du marché "
                f"({contract.notified_on:%d/%m/%Y}) : vérifiez la date."
            )
    if _before_reception(reception, request.possession_on) and not request.urgency:
        raise OpenAMOError(
            "Prise de possession avant la réception : indiquez le motif de l'urgence, seule "
            "raison qui la permet (CCAG-Travaux 2021, art. 41.8) ; si elle ne vise que certains "
            "ouvrages, faites d'abord prononcer une réception partielle (art. 42.2)."
        )
    row = works_possession(reception) or WorksPossession(reception=reception)
    audited_update(user, row, {**columns(request), "recorded_by": user},
                   operation_id=access.operation.pk, contract_id=contract.pk)  # fmt: skip
    return row


def reception_lines(contract: Contract) -> list[ReceptionLine]:
    receptions = quality.receptions_of(contract)
    reserves = quality.reserves_of(receptions)
    lines = []
    for reception in receptions:
        mine = reserves.get(reception.pk, [])
        notice = completion_notice(reception)
        possession = works_possession(reception)
        try:
            result = reception_result(contract, reception, mine)
        except OpenAMOError as exc:
            line = ReceptionLine(reception, mine, None, exc.message, notice)
        else:
            line = ReceptionLine(reception, mine, result, None, notice)
        line.possession = possession
        lines.append(line)
    return lines


def live_reception(contract: Contract, reception_pk: int) -> ReceptionLine:
    for line in reception_lines(contract):
        if line.reception.pk == reception_pk:
            return line
    raise Http404("Réception introuvable.")
