"""The steering committee's report (PDF or DOCX), from what the operation stored.

The document is the domain's (:mod:`openamo.documents.pilotage`, the same as ``amo projet
rapport``); this module only turns the stored rows and results into its typed input.
"""

from __future__ import annotations

import datetime

from django.utils.text import slugify

from openamo.documents.pilotage import SteeringDocument, steering_report_bytes
from openamo.steering import SteeringReport
from openamo.validation import french_errors
from openamo.web.steering.models import ChangeRequest, Framing, RoiSimulation

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def filename(project: str, as_of: datetime.date, fmt: str) -> str:
    return f"rapport-de-pilotage-{slugify(project)[:60]}-{as_of:%Y-%m-%d}.{fmt}"


def render(fmt: str, document: SteeringDocument) -> bytes:
    return steering_report_bytes(document, fmt)


def steering_document(
    report: SteeringReport,
    *,
    buyer: str,
    author: str,
    framing: Framing | None,
    changes: list[ChangeRequest],
    simulation: RoiSimulation | None,
    generated_on: datetime.date,
) -> SteeringDocument:
    with french_errors():
        typed_changes = [c.to_domain() for c in changes]
    return SteeringDocument(
        report=report,
        buyer=buyer,
        author=author,
        generated_on=generated_on,
        changes=typed_changes,
        framing=framing.to_domain() if framing is not None and framing.result else None,
        roi=simulation.to_domain() if simulation is not None else None,
        roi_simulated_on=simulation.created_at.date() if simulation is not None else None,
    )
