"""The DCE settings and the operation's data → the domain's ``ConsultationInput``."""

from __future__ import annotations

import datetime
from decimal import Decimal

from stdnum.fr.siret import is_valid as siret_is_valid

from openamo.award.consultation import (
    BuyerInfo,
    ConsultationInput,
    ContractForm,
    DceLot,
    EgalimTargets,
    Penalty,
    PriceClause,
    PriceForm,
    Revision,
)
from openamo.errors import OpenAMOError
from openamo.pricing.term import renewal_length
from openamo.procurement.enums import (
    Buyer,
    Nature,
)
from openamo.validation import french_errors
from openamo.web.award import lines
from openamo.web.award.access import Scope
from openamo.web.award.mappers import Context
from openamo.web.award.requests import DceRequest
from openamo.web.errors import LocatedErrors
from openamo.web.operations.models import Consultation, Need, Operation


def _text(value: str) -> str | None:
    return value.strip() or None


def _buyer(operation: Operation, request: DceRequest) -> BuyerInfo:
    organisation = operation.organisation
    siret = organisation.siret
    return BuyerInfo(
        name=organisation.name,
        buyer_type=Buyer(organisation.buyer) if organisation.buyer else Buyer.COLLECTIVITE,
        siret=siret if siret_is_valid(siret) else None,
        address=_text(request.buyer_address) or _text(organisation.postal_address),
        representative=_text(request.buyer_representative),
        profile_url=_text(request.buyer_profile_url),
        court=_text(request.buyer_court),
        contact=_text(request.buyer_contact),
        accountant=_text(request.buyer_accountant),
    )


def _price(request: DceRequest, errors: LocatedErrors) -> PriceClause | None:
    revision = None
    if request.price_form is PriceForm.REVISABLE:
        terms = [
            errors.build(f"price.revision.terms[{index}]", term.to_domain)
            for index, term in enumerate(lines.revision_terms(request.revision_terms))
        ]
        if None in terms:
            return None
        revision = errors.build(
            "price.revision",
            lambda: Revision(
                fixed_part=request.revision_fixed_part or Decimal(0),
                terms=[term for term in terms if term is not None],
                base_month=request.revision_base_month,
                periodicity=request.revision_periodicity,
            ),
        )
        if revision is None:
            return None
    return errors.build("price", lambda: PriceClause(form=request.price_form, revision=revision))


def _lot(
    index: int, scope: Scope, request: DceRequest, context: Context, errors: LocatedErrors
) -> DceLot | None:
    lot, need, typed = scope.lot, context.need, request.lot(scope.key)
    amount = lot.estimated_amount_ht if lot else (need.estimated_amount_ht if need else None)
    within = f"lots[{index}]"
    items = [
        errors.build(f"{within}.items[{number}]", item.to_domain)
        for number, item in enumerate(lines.bpu_items(typed.items))
    ]
    egalim = None
    if typed.catering:
        targets = (request.egalim_quality_percent, request.egalim_organic_percent)
        if any(target is not None for target in targets):
            egalim = errors.build(
                f"{within}.egalim",
                lambda: EgalimTargets(quality_percent=targets[0], organic_percent=targets[1]),
            )
    description = lot.description if lot else (need.object if need else "")
    return errors.build(
        within,
        lambda: DceLot(
            number=lot.number if lot else 1,
            name=lot.name if lot else (need.object if need and need.object else scope.label),
            estimated_amount_ht=amount or Decimal(0),
            catering=typed.catering,
            items=[item for item in items if item is not None],
            description=description[:5000] or None,
            max_amount_ht=typed.max_amount_ht,
            egalim=egalim,
            requirements=lines.requirements(typed.requirements),
        ),
    )


def _penalties(request: DceRequest, errors: LocatedErrors) -> list[Penalty]:
    built = [
        errors.build(f"penalties[{index}]", penalty.to_domain)
        for index, penalty in enumerate(lines.penalties(request.penalties))
    ]
    return [penalty for penalty in built if penalty is not None]


def _refuse_if_incomplete(context: Context) -> tuple[Need, Consultation]:
    """The need (with its duration), the consultation's dates and the criteria the DCE
    reprints; what is missing upstream is named."""
    need, consultation = context.need, context.consultation
    if need is None or not need.duration_months:
        raise OpenAMOError(
            "Décrivez d'abord le besoin, avec la durée du marché (page de l'opération).",
            code="need_missing",
        )
    if consultation is None or not consultation.launch_date or not consultation.response_deadline:
        raise OpenAMOError(
            "Lancez d'abord l'assistant de choix de la procédure : le DCE reprend la date de "
            "lancement et la date limite de remise des offres de la consultation.",
            code="consultation_missing",
        )
    if not context.criteria:
        raise OpenAMOError("Définissez d'abord les critères de jugement.", code="criteria_missing")
    return need, consultation


def consultation_input(
    operation: Operation, context: Context, request: DceRequest, scopes: list[Scope]
) -> ConsultationInput:
    """The domain's input of the operation's DCE (what ``amo dce generate`` reads); what the
    domain refuses is located as on the whole JSON (``lots[0].items[2].quantity``)."""
    need, consultation = _refuse_if_incomplete(context)
    duration, launch, deadline = (
        need.duration_months,
        consultation.launch_date,
        consultation.response_deadline,
    )
    assert duration is not None and launch is not None and deadline is not None
    errors = LocatedErrors()
    buyer = errors.build("buyer", lambda: _buyer(operation, request))
    lots = [_lot(index, scope, request, context, errors) for index, scope in enumerate(scopes)]
    price = _price(request, errors)
    penalties = _penalties(request, errors)
    errors.raise_if_any()
    assert buyer is not None and price is not None
    with french_errors():
        return ConsultationInput(
            buyer=buyer,
            object=(need.object or operation.title)[:300],
            reference=request.reference or str(operation.pk),
            nature=Nature(need.nature),
            procedure_type=request.procedure_type,
            cpv=_text(request.cpv),
            launch_date=launch,
            response_deadline=datetime.datetime.combine(deadline, request.response_time),
            validity_days=request.validity_days or 120,
            duration_months=duration,
            renewals=need.renewals,
            renewal_months=renewal_length(duration, need.renewal_duration_months)
            if need.renewals
            else None,
            contract_form=request.contract_form,
            ccag=_text(request.ccag),
            variants_allowed=request.variants_allowed,
            negotiation=request.negotiation,
            site_visit=request.site_visit,
            criteria=context.criteria,
            lots=[lot for lot in lots if lot is not None],
            winners=request.winners or 1,
            tie_break=_text(request.tie_break),
            price=price,
            penalties=penalties,
            advance_percent=request.advance_percent,
            retention_percent=request.retention_percent,
            environmental_conditions=lines.plain_lines(request.environmental_conditions),
            social_conditions=lines.plain_lines(request.social_conditions),
            social_condition_exception=request.social_condition_exception,
            economic_capacity=_text(request.economic_capacity),
            technical_capacity=_text(request.technical_capacity),
            technical_memo=lines.plain_lines(request.technical_memo),
            delivery_sites=lines.plain_lines(request.delivery_sites),
            subsequent_response_days=request.subsequent_response_days
            if request.contract_form.by_subsequent_contracts and request.winners > 1
            else None,
            mixed_split=_text(request.mixed_split)
            if request.contract_form is ContractForm.ACCORD_CADRE_MIXTE
            else None,
        )
