"""The maître d'ouvrage's approval of the MOE's phases, and when it is to be validated again.

Each approval (« approuvée », « approuvée avec observations ») keeps what it was made on
(``PhaseReview.decided_input``): the nature of the work, the programme and the financial
envelope in force. When one of them changes afterwards, the approval in force — that of the
latest approved phase, which covers the earlier ones — shows « à revalider » with what changed,
waits on the dashboard of the buyer's maître d'ouvrage, and the steps that depend on it
(deciding a later phase, notifying the general final account of a works contract) refuse to
run until the maître d'ouvrage approves that phase again (``openamo.web.revalidation``).
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q
from django.urls import reverse

from openamo.construction.enums import Phase, PhaseDecision, WorkKind
from openamo.web import revalidation
from openamo.web.construction.models import (
    PROGRAMME_LABELS,
    EnvelopeChange,
    PhaseReview,
    Project,
)
from openamo.web.decisions import PendingDecision
from openamo.web.operations.kinds import OperationKind
from openamo.web.organisations.access import deciding_organisation_ids
from openamo.web.revalidation import euros, plain, yes_no
from openamo.web.softdelete import alive_through
from openamo.web.users import AuthenticatedUser

STALE_TRIGGERS = frozenset({"project", "envelopechange", "phasereview"})
APPROVALS = frozenset({PhaseDecision.APPROUVEE.value, PhaseDecision.APPROUVEE_AVEC_OBSERVATIONS})


def approval(phase: str) -> str:
    """« L'approbation de l'avant-projet sommaire (APS) », for the sentences of refusal."""
    label = Phase(phase).label
    return f"L'approbation de la phase « {label} »"


def envelope_in_force(project: Project, changes: list[EnvelopeChange]) -> Decimal | None:
    """The works part of the envelope after its latest change (in date order)."""
    amount: Decimal | None = project.envelope_works_ht
    for change in sorted(changes, key=lambda c: (c.date, c.pk or 0)):
        amount = change.works_ht
    return amount


def describe(project: Project, changes: list[EnvelopeChange]) -> dict[str, str]:
    """What a phase is approved on, in French, label → value, as the buyer would compare it."""
    kind = WorkKind(project.work_kind).label
    shown = {
        "Nature de l'ouvrage": kind[:1].upper() + kind[1:],
        "Ouvrage complexe": yes_no(project.complex_operation),
        "Part travaux de l'enveloppe HT": euros(envelope_in_force(project, changes)),
        "Enveloppe financière totale HT": euros(project.envelope_total_ht),
    }
    programme = project.programme or {}
    for key, label in PROGRAMME_LABELS.items():
        shown[f"Programme : {label.lower()}"] = " ; ".join(programme.get(key) or []) or "—"
    spaces = programme.get("spaces") or []
    shown["Programme : surfaces"] = (
        " ; ".join(f"{s['name']} {plain(s['area_m2'])} m²" for s in spaces) or "—"
    )
    return shown


def is_approved(row: PhaseReview) -> bool:
    return row.decision in APPROVALS


def stale_by_phase(project: Project, rows: list[PhaseReview]) -> dict[int, list[dict[str, str]]]:
    """For each phase (by primary key), what changed since its approval: only the approval in
    force (the latest approved phase) may be stale, the earlier ones are covered by it; an
    approval recorded before this check existed has no input and never goes stale."""
    approved = sorted((row for row in rows if is_approved(row)), key=lambda r: Phase(r.phase).order)
    found: dict[int, list[dict[str, str]]] = {row.pk: [] for row in rows}
    if approved and approved[-1].decided_input:
        changes = list(EnvelopeChange.objects.filter(project=project))
        latest = approved[-1]
        found[latest.pk] = revalidation.diff(latest.decided_input, describe(project, changes))
    return found


def refresh_stale(operation_id: int | None, contract_id: int | None) -> None:
    if operation_id is None:
        return
    project = Project.objects.filter(operation_id=operation_id).first()
    if project is None:
        return
    rows = list(PhaseReview.objects.filter(project=project))
    for pk, found in stale_by_phase(project, rows).items():
        if found != next(row.stale_changes for row in rows if row.pk == pk):
            PhaseReview.objects.filter(pk=pk).update(stale_changes=found)


def refuse_if_stale(project: Project, step: str, before: PhaseReview | None = None) -> None:
    """Refuse ``step`` while an approval is to be validated again — with ``before``, only an
    approval of an earlier phase than that one (re-approving the stale phase is the way out)."""
    rows = PhaseReview.objects.filter(project=project).exclude(stale_changes=[])
    for row in sorted(rows, key=lambda r: Phase(r.phase).order):
        if before is not None and Phase(row.phase).order >= Phase(before.phase).order:
            continue
        revalidation.refuse_if_stale(approval(row.phase), row.stale_changes, step)


def pending(user: AuthenticatedUser) -> list[PendingDecision]:
    """Phases handed in and not yet decided, and approvals to validate again (one query)."""
    deciding = deciding_organisation_ids(user)
    if not deciding:
        return []
    rows = (
        PhaseReview.objects.filter(
            alive_through("project__operation"),
            project__operation__organisation_id__in=deciding,
            project__operation__kind=OperationKind.TRAVAUX,
        )
        .filter(Q(decision="", submitted_on__isnull=False) | ~Q(stale_changes=[]))
        .select_related("project__operation")
        .only("phase", "decision", "stale_changes", "submitted_on", "project__operation__title")
        .order_by("project__operation__title", "pk")
    )
    return [
        PendingDecision(
            what=(
                f"{Phase(row.phase).label} : approbation {revalidation.STALE_LABEL} — "
                + revalidation.changes_of(row.stale_changes)[0].sentence()
                if row.stale_changes
                else f"{Phase(row.phase).label} remise le {row.submitted_on:%d/%m/%Y} : à décider"
            ),
            subject=row.project.operation.title,
            url=reverse("construction:phase_decide", args=[row.project.operation_id, row.phase]),
        )
        for row in sorted(rows, key=lambda r: (r.project.operation.title, Phase(r.phase).order))
    ]
