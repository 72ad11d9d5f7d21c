"""The offers of a lot and their marks, each checked by the domain, kept until the ranking is
validated."""

from __future__ import annotations

from django.db import transaction

from openamo.award import check_mark
from openamo.errors import ErrorDetail, OpenAMOError
from openamo.web.audit.models import Action
from openamo.web.audit.services import record
from openamo.web.award import history, marking
from openamo.web.award.access import Scope
from openamo.web.award.models import AnalysisStatus, Offer
from openamo.web.award.requests import OfferEntry
from openamo.web.award.services.reading import analysis_of
from openamo.web.users import AuthenticatedUser


def refuse_if_validated(scope: Scope) -> None:
    analysis = analysis_of(scope)
    if analysis is not None and analysis.status == AnalysisStatus.VALIDEE:
        raise OpenAMOError(
            f"{scope.label} : le classement a été validé par le maître d'ouvrage ; les offres ne "
            "peuvent plus changer. Le maître d'ouvrage peut rouvrir l'analyse.",
            code="decided",
        )


def _check_offer(scope: Scope, offer: Offer) -> None:
    others = Offer.objects.alive().filter(
        operation=scope.access.operation, lot=scope.lot, bidder=offer.bidder
    )
    if others.exclude(pk=offer.pk).exists():
        raise OpenAMOError(
            "Soumissionnaire déjà présent.",
            details=[ErrorDetail("bidder", "Ce soumissionnaire a déjà une offre pour ce lot.")],
        )
    offer.to_domain()


@transaction.atomic
def add_offer(scope: Scope, user: AuthenticatedUser, entry: OfferEntry) -> Offer:
    scope.access.require_edit()
    refuse_if_validated(scope)
    offer = Offer(operation=scope.access.operation, lot=scope.lot)
    entry.apply_to(offer)
    _check_offer(scope, offer)
    offer.save()
    record(
        user,
        Action.CREATE,
        offer,
        operation_id=offer.operation_id,
        after=history.offer(offer),
    )
    return offer


@transaction.atomic
def update_offer(scope: Scope, user: AuthenticatedUser, offer: Offer, entry: OfferEntry) -> Offer:
    scope.access.require_edit()
    refuse_if_validated(scope)
    before = history.offer(offer)
    entry.apply_to(offer)
    _check_offer(scope, offer)
    offer.save()
    record(
        user,
        Action.UPDATE,
        offer,
        operation_id=offer.operation_id,
        before=before,
        after=history.offer(offer),
    )
    return offer


@transaction.atomic
def delete_offer(scope: Scope, user: AuthenticatedUser, offer: Offer) -> None:
    scope.access.require_edit()
    refuse_if_validated(scope)
    offer.soft_delete()
    record(
        user,
        Action.DELETE,
        offer,
        operation_id=offer.operation_id,
        before=history.offer(offer),
    )


@transaction.atomic
def save_marks(
    scope: Scope, user: AuthenticatedUser, offer: Offer, entries: list[marking.MarkEntry]
) -> Offer:
    """Every mark passes the domain's check (scale, grid, written justification) or none is saved.

    Error locations are the slots' ``where`` (« Critère » or « Critère / Sous-critère »).
    """
    scope.access.require_edit()
    refuse_if_validated(scope)
    details: list[ErrorDetail] = []
    for entry in entries:
        slot = entry.slot
        if entry.mark is None:
            if entry.justification:
                details.append(
                    ErrorDetail(slot.where, "indiquez la note que cette justification fonde")
                )
            continue
        try:
            check_mark(
                slot.criterion, entry.mark, entry.justification, slot.sub.name if slot.sub else None
            )
        except OpenAMOError as exc:
            details += exc.details or [ErrorDetail(slot.where, exc.message)]
    if details:
        raise OpenAMOError(
            "Les notes ne sont pas enregistrées.", code="invalid_mark", details=details
        )
    before = history.offer(offer)
    offer.update_scores(marking.scores(entries))
    offer.save(update_fields=["marks", "updated_at"])
    record(
        user,
        Action.UPDATE,
        offer,
        operation_id=offer.operation_id,
        before=before,
        after=history.offer(offer),
    )
    return offer
