"""The construction workflow: check the role, call ``openamo.construction``, save, audit.

The maître d'œuvre's phases and the AMO's preparation are written by those who prepare
(``can_edit``); the envelope, the organisation and the decisions on phases belong to the
buyer's maître d'ouvrage (``can_validate``). A change the domain refuses raises
:class:`openamo.errors.OpenAMOError` and saves nothing: the review is computed with the change
before it is stored.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from openamo.construction import (
    choose_moe_procedure,
    choose_organisation,
    final_account,
    review_phases,
)
from openamo.construction.enums import Phase, WorkKind
from openamo.construction.models import (
    DgdResult,
    MoeResult,
    OrganisationResult,
    PhasesResult,
)
from openamo.errors import OpenAMOError
from openamo.web.audit.models import Action
from openamo.web.audit.services import audited_update, record, snapshot
from openamo.web.construction import decisions, mappers
from openamo.web.construction.access import require_propose
from openamo.web.construction.models import EnvelopeChange, FinalAccount, PhaseReview, Project
from openamo.web.construction.requests import (
    EnvelopeDecision,
    FinalAccountDates,
    MoeEstimates,
    OrganisationDecision,
    PhaseProposal,
    PhaseVerdict,
    ProgrammeRequest,
    ProjectStart,
    columns,
)
from openamo.web.contracts.models import Contract
from openamo.web.operations.access import OperationAccess
from openamo.web.users import AuthenticatedUser

BASE_MISSION = [Phase.APS, Phase.APD, Phase.PRO, Phase.ACT, Phase.VISA, Phase.DET, Phase.AOR]


def today() -> datetime.date:
    return timezone.localdate()


@dataclass
class ProjectState:
    project: Project
    phases: list[PhaseReview]
    changes: list[EnvelopeChange]
    review: PhasesResult | None = None
    review_error: str | None = None


def project_of(access: OperationAccess) -> Project | None:
    return Project.objects.filter(operation=access.operation).first()


def _rows(project: Project) -> tuple[list[PhaseReview], list[EnvelopeChange]]:
    """The project's phases in the order of the mission, and its envelope changes."""
    phases = sorted(
        PhaseReview.objects.filter(project=project).select_related("decided_by", "proposed_by"),
        key=lambda row: Phase(row.phase).order,
    )
    return phases, list(EnvelopeChange.objects.filter(project=project))


def load_state(project: Project, day: datetime.date | None = None) -> ProjectState:
    phases, changes = _rows(project)
    state = ProjectState(project, phases, changes)
    if project.envelope_works_ht is not None:
        try:
            state.review = _review(project, phases, changes, day or today())
        except OpenAMOError as exc:  # stored rows the domain now refuses: say so
            state.review_error = exc.message
    return state


def _review(
    project: Project, phases: list[PhaseReview], changes: list[EnvelopeChange], day: datetime.date
) -> PhasesResult:
    return review_phases(mappers.phases_input(project, phases, changes, day))


@transaction.atomic
def start_project(access: OperationAccess, user: AuthenticatedUser, start: ProjectStart) -> Project:
    """The construction file of the operation, with the elements of the basic mission."""
    access.require_edit()
    project = Project(operation=access.operation)
    audited_update(
        user, project, {**columns(start), "updated_by": user}, operation_id=access.operation.pk
    )
    first = Phase.DIAG if start.work_kind is WorkKind.REHABILITATION else Phase.ESQ
    phases = [first, *BASE_MISSION] if start.work_kind.is_building else BASE_MISSION
    PhaseReview.objects.bulk_create(PhaseReview(project=project, phase=p.value) for p in phases)
    return project


@transaction.atomic
def save_programme(
    access: OperationAccess, user: AuthenticatedUser, project: Project, request: ProgrammeRequest
) -> Project:
    access.require_edit()
    values = {
        "programme": request.programme.model_dump(mode="json"),
        "work_kind": request.work_kind.value,
        "complex_operation": request.complex_operation,
        "updated_by": user,
    }
    audited_update(
        user, project, values, operation_id=access.operation.pk, check=lambda: _check(project)
    )
    return project


@transaction.atomic
def set_envelope(
    access: OperationAccess, user: AuthenticatedUser, project: Project, decision: EnvelopeDecision
) -> EnvelopeChange | None:
    """The first envelope, then every change with its date, its author and its reason."""
    access.require_validate()
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.envelope_works_ht is None:
        first = {
            "envelope_works_ht": decision.works_ht,
            "envelope_total_ht": decision.total_ht,
            "envelope_set_on": decision.date,
            "envelope_set_by": user,
        }
        audited_update(user, project, first, operation_id=access.operation.pk,
                       action=Action.DECIDE, check=lambda: _check(project))  # fmt: skip
        return None
    if not decision.reason.strip():
        raise OpenAMOError("Indiquez le motif de l'évolution de l'enveloppe : il est conservé.")
    change = EnvelopeChange(project=project, decided_by=user)
    values = {
        "date": decision.date,
        "works_ht": decision.works_ht,
        "reason": decision.reason,
        "decided_by_label": decision.decided_by_label or user.get_full_name(),
    }
    if decision.total_ht is not None:  # saved first: the change's event sees it (revalidation)
        project.envelope_total_ht = decision.total_ht
        project.save(update_fields=["envelope_total_ht", "updated_at"])
    audited_update(user, change, values, operation_id=access.operation.pk, action=Action.DECIDE,
                   check=lambda: _check(project, change=change))  # fmt: skip
    return change


def _check(
    project: Project, *, row: PhaseReview | None = None, change: EnvelopeChange | None = None
) -> None:
    """The review computed with ``row`` or ``change`` as they will be stored, before they are:
    what the domain refuses raises :class:`OpenAMOError` and nothing is saved."""
    if project.envelope_works_ht is None:
        return
    phases, changes = _rows(project)
    phases = [row if row is not None and other.pk == row.pk else other for other in phases]
    _review(project, phases, [*changes, change] if change is not None else changes, today())


@transaction.atomic
def save_moe_inputs(
    access: OperationAccess, user: AuthenticatedUser, project: Project, estimates: MoeEstimates
) -> Project:
    access.require_edit()
    # the domain validates the figures before they are stored
    audited_update(user, project, {**columns(estimates), "updated_by": user},
                   operation_id=access.operation.pk, check=lambda: moe_verdict(project))  # fmt: skip
    return project


def moe_verdict(project: Project) -> MoeResult | None:
    if project.moe_fee_estimate_ht is None:
        return None
    buyer = project.operation.organisation.buyer
    return choose_moe_procedure(mappers.moe_input(project, buyer, today()))


@transaction.atomic
def decide_organisation(
    access: OperationAccess,
    user: AuthenticatedUser,
    project: Project,
    decision: OrganisationDecision,
) -> Project:
    access.require_validate()
    buyer = mappers.buyer_of(project.operation.organisation.buyer)
    verdict = choose_organisation(decision.answers.to_domain(buyer, today()))
    values = {
        "organisation_answers": decision.answers.stored(),
        "organisation_choice": (decision.choice or verdict.recommended).value,
        "organisation_decided_on": today(),
        "organisation_decided_by": user,
    }
    audited_update(user, project, values, operation_id=access.operation.pk, action=Action.DECIDE)
    return project


def organisation_verdict(project: Project) -> OrganisationResult | None:
    if not project.organisation_answers:
        return None
    buyer = project.operation.organisation.buyer
    return choose_organisation(mappers.organisation_input(project, buyer, today()))


def phase_row(project: Project, phase: str) -> PhaseReview:
    from django.http import Http404

    row = PhaseReview.objects.filter(project=project, phase=phase).first()
    if row is None:
        raise Http404("Phase introuvable.")
    return row


@transaction.atomic
def propose_phase(
    access: OperationAccess,
    user: AuthenticatedUser,
    project: Project,
    row: PhaseReview,
    proposal: PhaseProposal,
) -> PhaseReview:
    """The MOE's (or the AMO's) dates and estimate; a decided phase is no longer changed."""
    require_propose(access)
    row = PhaseReview.objects.select_for_update().get(pk=row.pk)
    if row.decision:
        raise OpenAMOError(
            "Cette phase a déjà fait l'objet d'une décision du maître d'ouvrage : elle n'est plus "
            "modifiable. Une nouvelle estimation passe par la phase suivante."
        )
    audited_update(user, row, {**columns(proposal), "proposed_by": user},
                   operation_id=access.operation.pk, check=lambda: _check(project, row=row))  # fmt: skip
    return row


@transaction.atomic
def decide_phase(
    access: OperationAccess,
    user: AuthenticatedUser,
    project: Project,
    row: PhaseReview,
    verdict: PhaseVerdict,
) -> PhaseReview:
    access.require_validate()
    row = PhaseReview.objects.select_for_update().get(pk=row.pk)
    if row.submitted_on is None:
        raise OpenAMOError("Cette phase n'a pas encore été remise : rien à décider.")
    label = Phase(row.phase).label
    decisions.refuse_if_stale(project, f"décider de la phase « {label} »", before=row)
    # What the approval is made on, to show it « à revalider » when it changes (``decisions``).
    current = Project.objects.get(pk=project.pk)
    made_on = (
        decisions.describe(current, list(EnvelopeChange.objects.filter(project=current)))
        if verdict.decision in decisions.APPROVALS
        else {}
    )
    values = {**columns(verdict), "decided_by": user, "decided_input": made_on, "stale_changes": []}
    audited_update(user, row, values, operation_id=access.operation.pk, action=Action.DECIDE,
                   check=lambda: _check(project, row=row))  # fmt: skip
    return row


def works_contracts(access: OperationAccess) -> list[Contract]:
    return list(
        Contract.objects.alive()
        .filter(operation=access.operation, nature="travaux")
        .select_related("lot")
        .prefetch_related("receptions", "final_account")
        .order_by("lot__name", "pk")
    )


def works_contract(access: OperationAccess, contract_pk: int) -> Contract:
    from django.http import Http404

    contract = (
        Contract.objects.alive()
        .filter(pk=contract_pk, operation=access.operation, nature="travaux")
        .first()
    )
    if contract is None:
        raise Http404("Marché introuvable.")
    return contract


def final_account_of(contract: Contract) -> FinalAccount | None:
    return FinalAccount.objects.filter(contract=contract).first()


def dgd_result(contract: Contract, dates: FinalAccountDates) -> DgdResult:
    return final_account(dates.to_domain(contract.notified_on, today()))


@transaction.atomic
def save_final_account(
    access: OperationAccess, user: AuthenticatedUser, contract: Contract, dates: FinalAccountDates
) -> FinalAccount:
    access.require_edit()
    dgd_result(contract, dates)  # refused by the domain → nothing saved
    account = final_account_of(contract) or FinalAccount(contract=contract)
    notified = dates.general_account_notified_on
    project = Project.objects.filter(operation=access.operation).first()
    if notified and notified != account.general_account_notified_on and project is not None:
        decisions.refuse_if_stale(project, "notifier le décompte général de ce marché")
    audited_update(user, account, {**columns(dates), "updated_by": user},
                   operation_id=access.operation.pk, contract_id=contract.pk)  # fmt: skip
    return account


def moe_candidates(access: OperationAccess) -> list[Contract]:
    """The operation's contracts that may be its MOE contract (not the works themselves)."""
    return list(
        Contract.objects.alive()
        .filter(operation=access.operation)
        .exclude(nature="travaux")
        .select_related("holder_organisation")
        .order_by("title", "pk")
    )


@transaction.atomic
def set_moe_contract(
    access: OperationAccess, user: AuthenticatedUser, project: Project, contract: Contract | None
) -> Project:
    """The maître d'ouvrage names the MOE contract: its holder's members then propose phases
    and statements on this operation (``openamo.web.construction.access``)."""
    access.require_validate()
    if contract is not None and contract.pk not in {c.pk for c in moe_candidates(access)}:
        raise OpenAMOError("Ce marché n'est pas un marché de maîtrise d'œuvre de cette opération.")
    before = snapshot(project, ["moe_contract"])
    project.moe_contract = contract
    project.updated_by = user
    project.save(update_fields=["moe_contract", "updated_by", "updated_at"])
    record(user, Action.DECIDE, project, operation_id=access.operation.pk, before=before,
           after=snapshot(project, ["moe_contract"]))  # fmt: skip
    return project
