"""``{% amendments_summary contract as summary %}``: the contract page's Avenants section."""

from __future__ import annotations

from django import template

from openamo.web.amendments.models import Amendment
from openamo.web.amendments.presenters import Summary, summary
from openamo.web.contracts.models import Contract

register = template.Library()


@register.simple_tag
def amendments_summary(contract: Contract) -> Summary:
    """Counts, current amount and cumulative percentage (one query)."""
    return summary(contract, list(Amendment.objects.filter(contract=contract)))
