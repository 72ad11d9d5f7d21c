"""What waits for the buyer's maître d'ouvrage on the dashboard (``openamo.web.decisions``): a
baseline to validate and freeze, change requests to accept or refuse. Two queries, whatever
the number of projects."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse

from openamo import steering
from openamo.steering.enums import Decision, MilestoneKind
from openamo.web import revalidation
from openamo.web.decisions import PendingDecision
from openamo.web.operations.kinds import OperationKind
from openamo.web.organisations.access import deciding_organisation_ids
from openamo.web.revalidation import euros, plain
from openamo.web.softdelete import alive_through
from openamo.web.steering.models import Baseline, BaselineStatus, ChangeRequest, Framing
from openamo.web.users import AuthenticatedUser

BASELINE = "La base de référence"
STALE_TRIGGERS = frozenset({"framing", "baseline"})


def describe(baseline: steering.Baseline | None) -> dict[str, str]:
    """A baseline in French, label → value, as the buyer would compare two of them."""
    if baseline is None:
        return {
            "Budget de référence HT": euros(None),
            "Marge pour aléas": plain(None),
            "Périmètre": "—",
        }
    shown = {
        "Budget de référence HT": euros(baseline.budget_ht),
        "Marge pour aléas": revalidation.format_rate(baseline.margin_rate),
        "Périmètre": ", ".join(f"{f.name} ({f.priority.value})" for f in baseline.features) or "—",
    }
    for milestone in baseline.milestones:
        shown[f"Jalon « {milestone.name} »"] = revalidation.day(milestone.planned_on)
    for kpi in baseline.kpis:
        shown[f"Indicateur « {kpi.name} » : cible"] = (
            f"{format(kpi.target_value, 'f')} {kpi.unit}".strip()
        )
    return shown


def changes(baseline: Baseline, framing: Framing | None) -> list[dict[str, str]]:
    """What the framing now says differently from the validated baseline."""
    if not baseline.is_validated:
        return []
    current = framing.to_domain().baseline if framing is not None and framing.result else None
    return revalidation.diff(describe(baseline.to_domain()), describe(current))


def refresh_stale(operation_id: int | None, contract_id: int | None) -> None:
    if operation_id is None:
        return
    baseline = Baseline.objects.filter(operation_id=operation_id).first()
    if baseline is None:
        return
    found = changes(baseline, Framing.objects.filter(operation_id=operation_id).first())
    if found != baseline.stale_changes:
        Baseline.objects.filter(pk=baseline.pk).update(stale_changes=found)
        baseline.stale_changes = found


def refuse_if_stale(baseline: Baseline, step: str) -> None:
    revalidation.refuse_if_stale(BASELINE, baseline.stale_changes, step)


def _kickoff(baseline: Baseline) -> datetime.date | None:
    """The planned kick-off of the baseline: it is validated before the project starts."""
    kickoff = baseline.to_domain().milestone(MilestoneKind.LANCEMENT)
    return kickoff.planned_on if kickoff else None


def pending(user: AuthenticatedUser) -> list[PendingDecision]:
    # Only the buyer's own maître d'ouvrage decides (``require_validate``), never through a share.
    deciding = deciding_organisation_ids(user)
    if not deciding:
        return []
    live = alive_through("operation") & Q(
        operation__organisation_id__in=deciding,
        # An operation whose kind was changed away from IT no longer offers its steering pages.
        operation__kind=OperationKind.INFORMATIQUE,
    )
    baselines = (
        Baseline.objects.filter(live)
        .filter(Q(status=BaselineStatus.BROUILLON) | ~Q(stale_changes=[]))
        .select_related("operation")
        .only("operation_id", "operation__title", "status", "stale_changes", "data")
    )
    found = [
        PendingDecision(
            what=(
                f"Base de référence {revalidation.STALE_LABEL} — "
                + revalidation.changes_of(baseline.stale_changes)[0].sentence()
                if baseline.stale_changes and baseline.status == BaselineStatus.VALIDEE
                else "Base de référence à valider"
            ),
            subject=baseline.operation.title,
            url=reverse("steering:baseline", args=[baseline.operation_id]),
            due_on=_kickoff(baseline),
            kind="Bases de référence à valider",
        )
        for baseline in baselines
    ]
    changes = (
        ChangeRequest.objects.filter(live, decision=Decision.EN_ATTENTE.value)
        .select_related("operation")
        .only("number", "title", "operation_id", "operation__title")
        .order_by("operation__title", "number")
    )
    found += [
        PendingDecision(
            what=f"Demande d'évolution {change.code} « {change.title} » à décider",
            subject=change.operation.title,
            url=reverse("steering:change_detail", args=[change.operation_id, change.pk]),
        )
        for change in changes
    ]
    return found
