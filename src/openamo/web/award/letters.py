"""The letters after a validated ranking (request to complete each candidacy that was asked to,
justification asked of each offer found abnormally low, both as recorded, rejection of each other tenderer, information of the winner), made by the domain
(:func:`openamo.documents.letters.make_letters`) from what the file holds: the analysis and its
decision, the offers, the buyer's details of the DCE settings and the award calendar."""

from __future__ import annotations

import io
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

from django.db import models, transaction
from django.utils import timezone

from openamo.award.models import EliminatedEntry, OfferDetail
from openamo.documents.letters import (
    AbnormalPriceRequest,
    Addressee,
    CompletionRequest,
    LettersInput,
    LotAward,
    Rejected,
    Sender,
    Signatory,
    Winner,
    make_letters,
)
from openamo.errors import OpenAMOError
from openamo.postal import parse_postal_address
from openamo.validation import french_errors
from openamo.web.audit.models import Action
from openamo.web.audit.services import record
from openamo.web.award.access import Scope
from openamo.web.award.calendar import calendar_input
from openamo.web.award.models import AnalysisStatus, Offer
from openamo.web.award.requests import DceRequest
from openamo.web.award.services import documents as document_service
from openamo.web.award.services import reading
from openamo.web.operations.models import Operation
from openamo.web.users import AuthenticatedUser


def _points(value: Decimal | int | str) -> str:
    return f"{Decimal(str(value)).quantize(Decimal('0.01')).normalize():f}".replace(".", ",")


def _typed_settings(operation: Operation) -> DceRequest:
    """The DCE settings as typed (their defaults before any was saved)."""
    settings = document_service.dce_settings_of(operation)
    return settings.request() if settings else DceRequest()


def _address(operation: Operation, typed: DceRequest) -> str:
    return typed.buyer_address.strip() or operation.organisation.postal_address.strip()


def _reference(operation: Operation) -> str:
    """The consultation's reference of the DCE settings, else the operation's title."""
    return (_typed_settings(operation).reference or operation.title)[:300]


def buyer_address(operation: Operation) -> str:
    """The buyer's postal address: the one the DCE settings give for this consultation, else
    the organisation's own (page « Identité de l'organisation »)."""
    return _address(operation, _typed_settings(operation))


def buyer_postal(operation: Operation) -> dict[str, str] | None:
    """The buyer's address on one line, and its commune (for « À <commune>, le … »), or None
    when no address with a postcode and a commune was written."""
    return postal_line(buyer_address(operation))


def postal_line(address: str) -> dict[str, str] | None:
    """A postal address typed on lines → on one line, with its commune (CEDEX left out: « Fait
    à Nantes »); None without a postcode and a commune at its end."""
    postal = parse_postal_address(address)
    if postal.commune is None:
        return None
    return {"address": postal.one_line()[:5000], "city": postal.commune}


def _buyer(scope: Scope) -> Sender:
    operation = scope.access.operation
    typed = _typed_settings(operation)
    postal = parse_postal_address(_address(operation, typed))
    if postal.postcode is None or postal.town is None:
        raise OpenAMOError(
            "Indiquez l'adresse de l'acheteur, avec son code postal et sa commune, sur la page "
            "« Identité de l'organisation » (ou dans les paramètres du DCE) : les lettres sont "
            "datées « À <commune>, le … ».",
            code="buyer_address",
        )
    return Sender(
        name=operation.organisation.name,
        postcode=postal.postcode,
        city=postal.town,
        signatory=signatory(typed.buyer_representative, operation.organisation.name),
        address=postal.street[:300] or None,
        siret=operation.organisation.siret or None,
        court=typed.buyer_court.strip()[:300] or None,
    )


def signatory(representative: str, buyer: str) -> Signatory:
    """« Claire Martin, maire » of the DCE settings → the name and the capacity (qualité) the
    signature block shows; without a capacity, the buyer's representative as such."""
    text = representative.strip()
    name, _, title = (part.strip() for part in text.partition(","))
    return Signatory(
        name=(name or f"Le représentant légal de {buyer}")[:300],
        title=(title[:1].upper() + title[1:] if title else "Représentant du pouvoir adjudicateur")[
            :300
        ],
    )


def _abnormal_prices(scope: Scope, live: list[Offer]) -> list[AbnormalPriceRequest]:
    """The request for justifications of each offer found abnormally low (R2152-3), as it was
    recorded: sent on the day of the request, an answer due on the day given."""
    requests = []
    for offer in live:
        sent, due = offer.abnormally_low_requested_on, offer.abnormally_low_due_on
        if sent is None or due is None or due <= sent:
            continue
        requests.append(
            AbnormalPriceRequest(
                tenderer=_party(offer.bidder, {offer.bidder: offer}),
                price_ht=offer.price_ht,
                sent_on=sent,
                due_on=due,
                lot=scope.lot.number if scope.lot is not None else None,
            )
        )
    return requests


def _completions(scope: Scope, live: list[Offer]) -> list[CompletionRequest]:
    """The request to complete each candidacy of the lot's tenderers that was asked to
    (R2144-2), as it was recorded: the pieces the checklist found missing, sent on the day of
    the request, due on the day given."""
    bidders = {offer.bidder: offer for offer in live}
    requests = []
    for candidacy in reading.live_candidacies(scope.access.operation):
        verdict = candidacy.verdict()
        sent, due = candidacy.regularisation_requested_on, candidacy.regularisation_due_on
        if (
            candidacy.bidder not in bidders
            or not candidacy.regularisation_requested
            or verdict is None
            or not verdict.missing
            or sent is None
            or due is None
            or due <= sent
        ):
            continue
        candidate = _party(candidacy.bidder, bidders)
        if candidacy.siret:
            candidate = candidate.model_copy(update={"siret": candidacy.siret})
        if candidacy.postal_address.strip():  # the candidacy's own, before the offer's
            candidate = candidate.model_copy(update=postal_parts(candidacy.postal_address))
        requests.append(
            CompletionRequest(
                candidate=candidate,
                missing=[item[:3000] for item in verdict.missing],
                sent_on=sent,
                due_on=due,
            )
        )
    return requests


def postal_parts(text: str) -> dict[str, str]:
    """A postal address typed on lines → the street, postcode and town the letters print
    (``{}`` when nothing was typed; without a French postcode, the lines as the street)."""
    postal = parse_postal_address(text)
    parts = {"address": postal.street[:300]} if postal.street else {}
    if postal.postcode is not None and postal.town is not None:
        parts.update(postcode=postal.postcode, city=postal.town[:300])
    return parts


def _party(name: str, offers: dict[str, Offer]) -> Addressee:
    offer = offers.get(name)
    if offer is None:
        return Addressee(name=name[:300])
    return Addressee(
        name=name[:300], siret=offer.siret or None, **postal_parts(offer.postal_address)
    )


def letters_input(scope: Scope) -> LettersInput:
    """The ``amo lettres`` input of the lot, from its validated ranking (the domain's result
    as it was stored), its offers and candidacies, and the DCE settings."""
    analysis = reading.analysis_of(scope)
    if analysis is None or analysis.status != AnalysisStatus.VALIDEE or not analysis.result:
        raise OpenAMOError(
            "Les lettres suivent la décision : le maître d'ouvrage valide d'abord le classement.",
            code="not_validated",
        )
    operation = scope.access.operation
    context = reading.context_of(operation)
    live = reading.live_offers(scope)
    calendar = calendar_input(analysis, context.consultation, len(live))
    if calendar is None:
        raise OpenAMOError(
            "Le calendrier de l'attribution demande la procédure, l'acheteur et la valeur "
            "estimée : complétez l'analyse de la procédure de l'opération.",
            code="no_calendar",
        )
    offers = {offer.bidder: offer for offer in live}
    lot = analysis.lot_outcome()
    awarded = lot.awarded if lot is not None else []
    if lot is None or not awarded:
        raise OpenAMOError("Le classement validé ne désigne aucun attributaire.", code="none")
    details = {detail.bidder: detail for detail in lot.offers}
    eliminated = {entry.bidder: entry for entry in lot.eliminated}
    count = sum(1 for detail in details.values() if detail.ranked)
    winner = details.get(awarded[0])
    typed = _typed_settings(operation)
    # A framework agreement's letter gives its maximum (the DCE's), the offer being only a DQE
    # estimate; the calendar's ``framework_agreement`` says the letters treat it as one.
    framework = typed.contract_form.is_framework
    maximum = typed.lot(scope.key).max_amount_ht if framework else None
    if framework:
        calendar = calendar.model_copy(update={"framework_agreement": True})
    with french_errors():
        awards = []
        for index, name in enumerate(awarded):
            detail = details.get(name)
            rejected = []
            if index == 0:
                others = [other for other in [*details, *eliminated] if other not in awarded]
                rejected = [
                    _rejected(other, details.get(other), winner, count, eliminated, offers)
                    for other in dict.fromkeys(others)
                ]
            awards.append(
                LotAward(
                    lot=scope.lot.number if scope.lot is not None else None,
                    lot_name=scope.lot.name[:300] if scope.lot is not None else None,
                    winner=Winner(
                        tenderer=_party(name, offers),
                        amount_ht=(detail.price_ht if detail else None) or offers[name].price_ht,
                        advantages=_advantages(detail),
                        score=detail.total if detail else None,
                    ),
                    rejected=rejected,
                    max_amount_ht=maximum,
                )
            )
        return LettersInput(
            date=timezone.localdate(),
            reference=_reference(operation),
            object=document_service.report_info(scope, analysis).object[:300],
            buyer=_buyer(scope),
            calendar=calendar,
            completions=_completions(scope, live),
            abnormal_prices=_abnormal_prices(scope, live),
            awards=awards,
        )


def _advantages(detail: OfferDetail | None) -> list[str]:
    rows = []
    for score in detail.criteria if detail else []:
        row = f"{score.criterion} : {_points(score.points)} points sur {_points(score.weight)}"
        if score.justification:
            row += f" — {score.justification}"
        rows.append(row[:3000])
    return rows or ["Offre économiquement la plus avantageuse au regard des critères annoncés."]


def _rejected(
    name: str,
    detail: OfferDetail | None,
    winner: OfferDetail | None,
    count: int,
    eliminated: dict[str, EliminatedEntry],
    offers: dict[str, Offer],
) -> Rejected:
    tenderer = _party(name, offers)
    if name in eliminated or detail is None or detail.rank is None or detail.total is None:
        reason = eliminated[name].reason if name in eliminated else ""
        return Rejected(tenderer=tenderer, reasons=[reason[:3000] or "Offre écartée, non classée."])
    reasons = [
        f"Offre classée n° {detail.rank} sur {count}, avec {_points(detail.total)} points "
        f"sur 100 contre {_points((winner.total if winner else None) or 0)} pour l'offre retenue."
    ]
    theirs = {score.criterion: score for score in (winner.criteria if winner else [])}
    for score in detail.criteria:
        other = theirs.get(score.criterion)
        if other is None:
            continue
        reasons.append(
            f"{score.criterion} : {_points(score.points)} points sur "
            f"{_points(score.weight)} (offre retenue : {_points(other.points)})."
        )
    return Rejected(tenderer=tenderer, reasons=reasons, rank=detail.rank, score=detail.total)


@transaction.atomic
def request_count(scope: Scope) -> int:
    """How many requests of the analysis (completion, justification) the lot has recorded."""
    live = reading.live_offers(scope)
    return len(_completions(scope, live)) + len(_abnormal_prices(scope, live))


def requests_input(scope: Scope) -> LettersInput:
    """The requests the analysis sends before any ranking: to complete a candidacy (R2144-2)
    and to justify an abnormally low price (R2152-3), as recorded on the candidacies and
    offers; the buyer sends them while the analysis goes on, not after the decision."""
    operation = scope.access.operation
    live = reading.live_offers(scope)
    completions, abnormal = _completions(scope, live), _abnormal_prices(scope, live)
    if not (completions or abnormal):
        raise OpenAMOError(
            "Aucune demande n'est enregistrée pour ce lot : cochez « demande de compléments » "
            "sur une candidature, ou demandez la justification d'un prix sur une offre, avec "
            "la date d'envoi et la date limite de réponse.",
            code="no_request",
        )
    need = reading.context_of(operation).need
    with french_errors():
        return LettersInput(
            date=timezone.localdate(),
            reference=_reference(operation),
            object=((need.object if need else "") or operation.title)[:300],
            buyer=_buyer(scope),
            completions=completions,
            abnormal_prices=abnormal,
        )


def letters_archive(scope: Scope, user: AuthenticatedUser) -> bytes:
    """The ZIP of the letters after the validated ranking (DOCX and PDF each); journaled."""
    analysis = reading.analysis_of(scope)
    data = letters_input(scope)
    assert analysis is not None  # letters_input refused otherwise
    return _archive(data, user, analysis, scope, "Lettres d'attribution et de rejet")


def requests_archive(scope: Scope, user: AuthenticatedUser) -> bytes:
    """The ZIP of the requests of the analysis (DOCX and PDF each); journaled."""
    analysis = reading.analysis_of(scope)
    data = requests_input(scope)
    return _archive(data, user, analysis or scope.access.operation, scope, "Demandes aux candidats")


def _archive(
    data: LettersInput, user: AuthenticatedUser, subject: models.Model, scope: Scope, what: str
) -> bytes:
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as folder:
        result = make_letters(data, Path(folder))
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for letter in result.letters:
                for path in (letter.docx, letter.pdf):
                    archive.write(path, Path(path).name)
    record(
        user,
        Action.GENERATE,
        subject,
        operation_id=scope.access.operation.pk,
        after={"document": f"{what} ({len(result.letters)})"},
    )
    return buffer.getvalue()
