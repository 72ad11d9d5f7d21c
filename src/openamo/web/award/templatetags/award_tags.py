"""The passation summary shown on every operation page (``award/_operation_section.html``)."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from openamo.web.award.marking import decimal_label
from openamo.web.award.models import AnalysisStatus
from openamo.web.award.services import reading
from openamo.web.operations.models import Operation

register = template.Library()


@dataclass(frozen=True)
class AwardSummary:
    criteria: str
    offers: int
    proposed: int
    validated: int


@register.simple_tag
def award_summary(operation: Operation) -> AwardSummary:
    """Criteria, offers and the state of each lot's analysis (four SQL queries)."""
    criteria_set = reading.criteria_set_of(operation)
    analyses = list(reading.analyses_of(operation).values())
    criteria = criteria_set.to_domain() if criteria_set else []
    return AwardSummary(
        criteria=", ".join(f"{c.name} {decimal_label(c.weight)} %" for c in criteria),
        offers=sum(reading.offer_counts(operation).values()),
        proposed=sum(1 for a in analyses if a.status == AnalysisStatus.PROPOSEE),
        validated=sum(1 for a in analyses if a.status == AnalysisStatus.VALIDEE),
    )
