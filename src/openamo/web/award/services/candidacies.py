"""The candidacies: each checklist checked by the domain, kept while no ranking is decided."""

from __future__ import annotations

from django.db import transaction

from openamo.award import check_candidacy
from openamo.errors import ErrorDetail, OpenAMOError
from openamo.web.audit.models import Action
from openamo.web.audit.services import record
from openamo.web.award import history
from openamo.web.award.models import AnalysisStatus, Candidacy, LotAnalysis
from openamo.web.award.requests import CandidacyEntry
from openamo.web.operations.access import OperationAccess
from openamo.web.operations.models import Operation
from openamo.web.users import AuthenticatedUser


def _check(candidacy: Candidacy) -> None:
    candidacy.result = check_candidacy(candidacy.to_domain()).model_dump(mode="json")


def _validated_bidders(operation: Operation) -> set[str]:
    """Bidders whose offer is in a lot whose ranking the maître d'ouvrage validated."""
    bidders: set[str] = set()
    for analysis in LotAnalysis.objects.filter(operation=operation, status=AnalysisStatus.VALIDEE):
        analysed = analysis.analysed_input()
        lots = (analysed.lots or []) if analysed is not None else []
        bidders |= {offer.bidder for lot in lots for offer in lot.offers}
    return bidders


def _refuse_if_decided(operation: Operation, *bidders: str) -> None:
    decided = _validated_bidders(operation) & set(bidders)
    if decided:
        raise OpenAMOError(
            f"Le classement d'un lot où « {sorted(decided)[0]} » a remis une offre est validé "
            "par le maître d'ouvrage : sa candidature ne peut plus changer. Le maître d'ouvrage "
            "peut d'abord rouvrir l'analyse du lot.",
            code="decided",
        )


def _unique_candidacy(operation: Operation, bidder: str, exclude: int | None) -> None:
    others = Candidacy.objects.alive().filter(operation=operation, bidder=bidder)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise OpenAMOError(
            "Candidat déjà enregistré.",
            details=[ErrorDetail("bidder", "Ce candidat a déjà une candidature enregistrée.")],
        )


@transaction.atomic
def add_candidacy(
    access: OperationAccess, user: AuthenticatedUser, entry: CandidacyEntry
) -> Candidacy:
    access.require_edit()
    _unique_candidacy(access.operation, entry.bidder, None)
    candidacy = Candidacy(operation=access.operation)
    entry.apply_to(candidacy)
    _check(candidacy)
    candidacy.save()
    record(
        user,
        Action.CREATE,
        candidacy,
        operation_id=access.operation.pk,
        after=history.candidacy(candidacy),
    )
    return candidacy


@transaction.atomic
def update_candidacy(
    access: OperationAccess, user: AuthenticatedUser, candidacy: Candidacy, entry: CandidacyEntry
) -> Candidacy:
    access.require_edit()
    _refuse_if_decided(access.operation, candidacy.bidder, entry.bidder)
    _unique_candidacy(access.operation, entry.bidder, candidacy.pk)
    before = history.candidacy(candidacy)
    entry.apply_to(candidacy)
    _check(candidacy)
    candidacy.save()
    record(
        user,
        Action.UPDATE,
        candidacy,
        operation_id=access.operation.pk,
        before=before,
        after=history.candidacy(candidacy),
    )
    return candidacy


@transaction.atomic
def delete_candidacy(
    access: OperationAccess, user: AuthenticatedUser, candidacy: Candidacy
) -> None:
    access.require_edit()
    _refuse_if_decided(access.operation, candidacy.bidder)
    candidacy.soft_delete()
    record(
        user,
        Action.DELETE,
        candidacy,
        operation_id=access.operation.pk,
        before=history.candidacy(candidacy),
    )
