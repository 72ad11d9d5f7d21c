"""Explicit mapping between stored rows and the procurement domain's typed input.

``procedure_input`` builds the domain's :class:`ProcedureInput` from the operation, its need,
its lots and the wizard's :class:`Circumstances`; ``stored_procedure_input`` and
``stored_procedure_result`` read back what a consultation keeps.
"""

from __future__ import annotations

from collections.abc import Iterable

from openamo.procurement.models import LotInput, ProcedureInput, ProcedureResult
from openamo.validation import french_errors, parse_input
from openamo.web.operations.models import Consultation, Lot, Need, Operation
from openamo.web.operations.requests import Circumstances, FrameworkTerms


def procedure_input(
    operation: Operation, need: Need, lots: Iterable[Lot], answers: Circumstances
) -> ProcedureInput:
    """The ``amo procedure choose`` input for this operation, its need, lots and answers.

    Raises a French :class:`openamo.errors.OpenAMOError` on what the domain refuses, located
    as ``amo procedure choose`` locates it."""
    lot_list = [
        LotInput(name=lot.name[:200], estimated_amount_ht=lot.estimated_amount_ht) for lot in lots
    ]
    values: dict[str, object] = {
        "date": answers.date,
        "buyer": operation.organisation.buyer_category(),
        "nature": need.nature,
        "estimated_amount_ht": need.estimated_amount_ht,
        "duration_months": need.duration_months,
        "renewals": need.renewals,
        "renewal_duration_months": need.renewal_duration_months,
        "options_amount_ht": need.options_amount_ht,
        "social_and_specific_services": need.social_and_specific_services,
        "object": (need.object or operation.title)[:500],
    }
    if need.is_framework:
        values["framework"] = FrameworkTerms.of_need(need).to_domain("framework")
    if lot_list:
        values["lots"] = lot_list
    values.update(answers.given())
    with french_errors():
        return ProcedureInput.model_validate(
            {key: value for key, value in values.items() if value is not None}
        )


FRAMEWORK_FIELDS = {
    "execution": "framework_execution",
    "holders": "framework_holders",
    "holders_count": "framework_holders_count",
    "minimum_ht": "framework_minimum_ht",
    "maximum_ht": "framework_maximum_ht",
    "maximum_quantity": "framework_maximum_quantity",
    "duration_justification": "framework_duration_justification",
}
"""The domain's ``framework`` input (``FrameworkAgreementInput``) → the need's fields."""


def stored_procedure_input(consultation: Consultation) -> ProcedureInput:
    """The input the stored analysis was made on (``Consultation.input``)."""
    return parse_input(ProcedureInput, consultation.input)


def stored_procedure_result(consultation: Consultation) -> ProcedureResult:
    """The stored analysis (``Consultation.result``)."""
    return ProcedureResult.model_validate(consultation.result)
