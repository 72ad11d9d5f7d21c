"""``{% operation_contracts operation as contracts %}``: the operation page's Exécution section."""

from __future__ import annotations

from django import template

from openamo.validation import siret_display
from openamo.web.contracts.models import Contract
from openamo.web.contracts.queries import operation_contracts as live_contracts
from openamo.web.operations.models import Operation

register = template.Library()


@register.simple_tag
def operation_contracts(operation: Operation) -> list[Contract]:
    """The live contracts of the operation (one query)."""
    return live_contracts(operation)


@register.filter
def siret(value: str | None) -> str:
    """``{{ contract.holder_siret|siret }}`` → « 732 829 320 00074 »."""
    return siret_display(value)
