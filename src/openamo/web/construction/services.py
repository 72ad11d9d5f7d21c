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
from typing import Any

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
    Programme,
)
from openamo.errors import OpenAMOError
from openamo.validation import parse_input
from openamo.web.audit.models import Action
from openamo.web.audit.services import record, snapshot
from openamo.web.construction import decisions, mappers
from openamo.web.construction.access import require_propose
from openamo.web.construction.models import EnvelopeChange, FinalAccount, PhaseReview, Project
from openamo.web.contracts.models import Contract
from openamo.web.operations.access import OperationAccess

PROJECT_FIELDS = [
    "work_kind",
    "complex_operation",
    "envelope_works_ht",
    "envelope_total_ht",
    "envelope_set_on",
    "moe_fee_estimate_ht",
    "studies_estimate_ht",
    "jury_members",
    "organisation_choice",
    "organisation_decided_on",
]
PHASE_FIELDS = ["started_on", "submitted_on", "estimate_ht", "decision", "decided_on", "note"]
BASE_MISSION = [Phase.APS, Phase.APD, Phase.PRO, Phase.ACT, Phase.VISA, Phase.DET, Phase.AOR]


ANSWERS = "organisation_answers"
PROGRAMME_LABELS = decisions.PROGRAMME_LABELS
SKILL_LABELS = {"aucune": "aucune", "partielles": "partielles", "completes": "complètes"}


def _programme_text(project: Project) -> str:
    """The programme as the history shows it: one labelled line per heading, never a dict."""
    programme = project.programme or {}
    lines = [
        f"{label} : {' ; '.join(programme[key])}"
        for key, label in PROGRAMME_LABELS.items()
        if programme.get(key)
    ]
    spaces = programme.get("spaces") or []
    if spaces:
        lines.append("Surfaces : " + " ; ".join(f"{s['name']} {s['area_m2']} m²" for s in spaces))
    return "\n".join(lines)


def _answers_text(project: Project) -> str:
    answers = project.organisation_answers or {}
    if not answers:
        return ""
    yes_no = {True: "oui", False: "non"}
    return (
        f"Compétences internes : {SKILL_LABELS.get(answers.get('in_house_skills', ''), '—')} ; "
        f"actes en son nom par un mandataire : {yes_no[bool(answers.get('wants_acts_in_its_name'))]}"
        f" ; opération complexe : {yes_no[bool(answers.get('complex_operation'))]}"
    )


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


def load_state(project: Project, day: datetime.date | None = None) -> ProjectState:
    phases = sorted(
        PhaseReview.objects.filter(project=project).select_related("decided_by", "proposed_by"),
        key=lambda row: Phase(row.phase).order,
    )
    changes = list(EnvelopeChange.objects.filter(project=project))
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
def start_project(access: OperationAccess, user: Any, data: dict[str, Any]) -> Project:
    """The construction file of the operation, with the elements of the basic mission."""
    access.require_edit()
    kind = WorkKind(data["work_kind"])
    project = Project.objects.create(
        operation=access.operation,
        work_kind=kind.value,
        complex_operation=bool(data.get("complex_operation")),
        updated_by=user,
    )
    first = Phase.DIAG if kind is WorkKind.REHABILITATION else Phase.ESQ
    phases = [first, *BASE_MISSION] if kind.is_building else BASE_MISSION
    PhaseReview.objects.bulk_create(PhaseReview(project=project, phase=p.value) for p in phases)
    record(user, Action.CREATE, project, operation_id=access.operation.pk,
           after=snapshot(project, PROJECT_FIELDS))  # fmt: skip
    return project


@transaction.atomic
def save_programme(
    access: OperationAccess, user: Any, project: Project, data: dict[str, Any]
) -> Project:
    access.require_edit()
    programme = parse_input(Programme, data["programme"]).model_dump(mode="json")
    before = {**snapshot(project, PROJECT_FIELDS), "programme": _programme_text(project)}
    project.programme = programme
    project.work_kind = WorkKind(data["work_kind"]).value
    project.complex_operation = bool(data.get("complex_operation"))
    project.updated_by = user
    state = load_state(project)
    _check(state)
    project.save()
    record(user, Action.UPDATE, project, operation_id=access.operation.pk, before=before,
           after={**snapshot(project, PROJECT_FIELDS), "programme": _programme_text(project)})  # fmt: skip
    return project


@transaction.atomic
def set_envelope(
    access: OperationAccess, user: Any, project: Project, data: dict[str, Any]
) -> EnvelopeChange | None:
    """The first envelope, then every change with its date, its author and its reason."""
    access.require_validate()
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.envelope_works_ht is None:
        before = snapshot(project, PROJECT_FIELDS)
        project.envelope_works_ht = data["works_ht"]
        project.envelope_total_ht = data.get("total_ht")
        project.envelope_set_on = data["date"]
        project.envelope_set_by = user
        _check(load_state(project))
        project.save()
        record(user, Action.DECIDE, project, operation_id=access.operation.pk, before=before,
               after=snapshot(project, PROJECT_FIELDS))  # fmt: skip
        return None
    if not (data.get("reason") or "").strip():
        raise OpenAMOError("Indiquez le motif de l'évolution de l'enveloppe : il est conservé.")
    change = EnvelopeChange(
        project=project, date=data["date"], works_ht=data["works_ht"], reason=data["reason"],
        decided_by=user, decided_by_label=data.get("decided_by_label") or user.get_full_name(),
    )  # fmt: skip
    state = load_state(project)
    state.changes = [*state.changes, change]
    state.review = _review(project, state.phases, state.changes, today())
    change.save()
    if data.get("total_ht") is not None:
        project.envelope_total_ht = data["total_ht"]
        project.save(update_fields=["envelope_total_ht", "updated_at"])
    record(user, Action.DECIDE, change, operation_id=access.operation.pk,
           after=snapshot(change, ["date", "works_ht", "reason", "decided_by_label"]))  # fmt: skip
    return change


def _check(state: ProjectState) -> None:
    if state.project.envelope_works_ht is not None:
        _review(state.project, state.phases, state.changes, today())


@transaction.atomic
def save_moe_inputs(
    access: OperationAccess, user: Any, project: Project, data: dict[str, Any]
) -> Project:
    access.require_edit()
    before = snapshot(project, PROJECT_FIELDS)
    for name in ("moe_fee_estimate_ht", "studies_estimate_ht", "jury_members"):
        setattr(project, name, data.get(name))
    moe_verdict(project)  # the domain validates the figures before they are stored
    project.updated_by = user
    project.save()
    record(user, Action.UPDATE, project, operation_id=access.operation.pk, before=before,
           after=snapshot(project, PROJECT_FIELDS))  # fmt: skip
    return project


def moe_verdict(project: Project) -> MoeResult | None:
    if project.moe_fee_estimate_ht is None:
        return None
    buyer = project.operation.organisation.buyer
    return choose_moe_procedure(mappers.moe_input(project, buyer, today()))


@transaction.atomic
def decide_organisation(
    access: OperationAccess, user: Any, project: Project, data: dict[str, Any]
) -> Project:
    access.require_validate()
    before = {**snapshot(project, PROJECT_FIELDS), ANSWERS: _answers_text(project)}
    project.organisation_answers = {
        "in_house_skills": data["in_house_skills"],
        "wants_acts_in_its_name": bool(data.get("wants_acts_in_its_name")),
        "complex_operation": bool(data.get("complex_operation")),
    }
    verdict = organisation_verdict(project)
    assert verdict is not None
    project.organisation_choice = data.get("organisation_choice") or verdict.recommended.value
    project.organisation_decided_on = today()
    project.organisation_decided_by = user
    project.save()
    record(user, Action.DECIDE, project, operation_id=access.operation.pk, before=before,
           after={**snapshot(project, PROJECT_FIELDS), ANSWERS: _answers_text(project)})  # fmt: skip
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
    access: OperationAccess, user: Any, project: Project, row: PhaseReview, data: dict[str, Any]
) -> PhaseReview:
    """The MOE's (or the AMO's) dates and estimate; a decided phase is no longer changed."""
    require_propose(access)
    row = PhaseReview.objects.select_for_update().get(pk=row.pk)
    if row.decision:
        raise OpenAMOError(
            "Cette phase a déjà fait l'objet d'une décision du maître d'ouvrage : elle n'est plus "
            "modifiable. Une nouvelle estimation passe par la phase suivante."
        )
    before = snapshot(row, PHASE_FIELDS)
    for name in ("started_on", "submitted_on", "estimate_ht"):
        setattr(row, name, data.get(name))
    row.proposed_by = user
    _validate_with(project, row)
    row.save()
    record(user, Action.UPDATE, row, operation_id=access.operation.pk, before=before,
           after=snapshot(row, PHASE_FIELDS))  # fmt: skip
    return row


@transaction.atomic
def decide_phase(
    access: OperationAccess, user: Any, project: Project, row: PhaseReview, data: dict[str, Any]
) -> PhaseReview:
    access.require_validate()
    row = PhaseReview.objects.select_for_update().get(pk=row.pk)
    if row.submitted_on is None:
        raise OpenAMOError("Cette phase n'a pas encore été remise : rien à décider.")
    label = Phase(row.phase).label
    decisions.refuse_if_stale(project, f"décider de la phase « {label} »", before=row)
    before = snapshot(row, PHASE_FIELDS)
    row.decision = data["decision"]
    row.decided_on = data["decided_on"]
    row.note = data.get("note") or ""
    row.decided_by = user
    # What the approval is made on, to show it « à revalider » when it changes (``decisions``).
    current = Project.objects.get(pk=project.pk)
    row.decided_input = (
        decisions.describe(current, list(EnvelopeChange.objects.filter(project=current)))
        if decisions.is_approved(row)
        else {}
    )
    row.stale_changes = []
    _validate_with(project, row)
    row.save()
    record(user, Action.DECIDE, row, operation_id=access.operation.pk, before=before,
           after=snapshot(row, PHASE_FIELDS))  # fmt: skip
    return row


def _validate_with(project: Project, row: PhaseReview) -> None:
    state = load_state(project)
    phases = [row if other.pk == row.pk else other for other in state.phases]
    if project.envelope_works_ht is not None:
        _review(project, phases, state.changes, today())


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


def dgd_result(contract: Contract, values: dict[str, Any]) -> DgdResult:
    return final_account(mappers.dgd_input(values, contract.notified_on, today()))


@transaction.atomic
def save_final_account(
    access: OperationAccess, user: Any, contract: Contract, data: dict[str, Any]
) -> FinalAccount:
    access.require_edit()
    dgd_result(contract, data)  # refused by the domain → nothing saved
    account = final_account_of(contract) or FinalAccount(contract=contract)
    notified = data.get("general_account_notified_on")
    project = Project.objects.filter(operation=access.operation).first()
    if notified and notified != account.general_account_notified_on and project is not None:
        decisions.refuse_if_stale(project, "notifier le décompte général de ce marché")
    before = snapshot(account, mappers.FINAL_ACCOUNT_FIELDS) if account.pk else None
    for name in mappers.FINAL_ACCOUNT_FIELDS:
        value = data.get(name)
        setattr(account, name, bool(value) if name == "contractor_reserves" else value)
    account.updated_by = user
    account.save()
    record(user, Action.UPDATE if before else Action.CREATE, account,
           operation_id=access.operation.pk, contract_id=contract.pk, before=before,
           after=snapshot(account, mappers.FINAL_ACCOUNT_FIELDS))  # fmt: skip
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
    access: OperationAccess, user: Any, project: Project, contract: Contract | None
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
