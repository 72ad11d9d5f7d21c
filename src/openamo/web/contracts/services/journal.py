"""Every write of the contracts app, in the journal of the contract and of its operation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import models

from openamo.web.audit.models import Action
from openamo.web.audit.services import JSONValue, audited_update, record
from openamo.web.contracts.models import Contract
from openamo.web.users import AuthenticatedUser


def write(
    user: AuthenticatedUser,
    action: Action,
    instance: models.Model,
    contract: Contract,
    *,
    before: dict[str, JSONValue] | None = None,
    after: dict[str, JSONValue] | None = None,
) -> None:
    """Every write of the app goes in the journal of the contract and of its operation."""
    record(
        user,
        action,
        instance,
        operation_id=contract.operation_id,
        contract_id=contract.pk,
        before=before,
        after=after,
    )


def update(
    user: AuthenticatedUser,
    instance: models.Model,
    contract: Contract,
    values: Mapping[str, object],
    *,
    action: Action = Action.UPDATE,
    fields: Iterable[str] | None = None,
) -> bool:
    """:func:`~openamo.web.audit.services.audited_update`, in the journal of the contract and
    of its operation; whether anything audited changed."""
    return audited_update(
        user,
        instance,
        values,
        operation_id=contract.operation_id,
        contract_id=contract.pk,
        action=action,
        fields=fields,
    )
