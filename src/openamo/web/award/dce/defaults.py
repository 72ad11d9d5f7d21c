"""What the DCE settings form starts from: the operation's reference, the need's nature and the
accord-cadre it describes."""

from __future__ import annotations

from dataclasses import replace

from django.utils import timezone

from openamo import law
from openamo.award.consultation import (
    ContractForm,
)
from openamo.documents.dce import MINIMUM_HOLDERS
from openamo.errors import LawDataError
from openamo.procurement.enums import (
    FrameworkExecution,
    FrameworkHolders,
    Nature,
)
from openamo.web.award.access import GLOBAL
from openamo.web.award.mappers import Context
from openamo.web.award.requests import DceLotRequest, DceRequest
from openamo.web.operations.models import Need, Operation

CCAG_BY_NATURE = {
    Nature.FOURNITURES.value: "CCAG-FCS (arrêté du 30 mars 2021)",
    Nature.SERVICES.value: "CCAG-FCS (arrêté du 30 mars 2021)",
    Nature.TRAVAUX.value: "CCAG-Travaux (arrêté du 30 mars 2021)",
}


def default_settings(operation: Operation, context: Context) -> DceRequest:
    """What the form starts from: the operation's reference, the need's nature and the
    framework it describes."""
    nature = context.need.nature if context.need else Nature.FOURNITURES.value
    return _framework_defaults(
        DceRequest(
            reference=f"{operation.created_at:%Y}-{operation.pk:03d}",
            ccag=CCAG_BY_NATURE.get(nature, ""),
            buyer_representative=f"Le représentant légal de {operation.organisation.name}",
            buyer_address=operation.organisation.postal_address,
        ),
        context,
    )


_FORM_BY_EXECUTION = {
    "": ContractForm.ACCORD_CADRE_BONS_DE_COMMANDE,
    FrameworkExecution.BONS_DE_COMMANDE.value: ContractForm.ACCORD_CADRE_BONS_DE_COMMANDE,
    FrameworkExecution.MARCHES_SUBSEQUENTS.value: ContractForm.ACCORD_CADRE_MARCHES_SUBSEQUENTS,
    FrameworkExecution.MIXTE.value: ContractForm.ACCORD_CADRE_MIXTE,
}


def _framework_defaults(request: DceRequest, context: Context) -> DceRequest:
    """An accord-cadre described on the need: the DCE starts as one, executed as the need says
    (orders, subsequent contracts or both), with its holders and (contract without lots) its
    maximum."""
    need = context.need
    if need is None or not need.is_framework:
        return request
    form = _FORM_BY_EXECUTION.get(need.framework_execution)
    if form is None:
        return request
    lots = {}
    if need.framework_maximum_ht is not None:
        lots[GLOBAL] = DceLotRequest(max_amount_ht=need.framework_maximum_ht)
    return replace(
        request,
        contract_form=form,
        winners=need.framework_holders_count or _minimum_winners(need, context, request.winners),
        lots=lots,
    )


def _minimum_winners(need: Need, context: Context, default: int) -> int:
    """A multi-holder accord-cadre whose need gives no count starts at the legal minimum of its
    launch date (today when none is planned), not at a single holder it cannot have."""
    if need.framework_holders != FrameworkHolders.MULTI_ATTRIBUTAIRE.value:
        return default
    consultation = context.consultation
    day = consultation.launch_date if consultation and consultation.launch_date else None
    try:
        return int(law.at(day or timezone.localdate()).value(MINIMUM_HOLDERS))
    except LawDataError:
        return default
