"""``{% operation_contracts operation as contracts %}``: the operation page's Exécution section."""

from __future__ import annotations

from django import template

from openamo.web.contracts.models import Contract
from openamo.web.contracts.queries import operation_contracts as live_contracts
from openamo.web.operations.models import Operation

register = template.Library()


@register.simple_tag
def operation_contracts(operation: Operation) -> list[Contract]:
    """The live contracts of the operation (one query)."""
    return live_contracts(operation)
